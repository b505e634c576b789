"""Benchmark: sensor readings in over HTTP and MQTT, and the page of a sensor with a year of them.

    .venv/bin/python bench/ingest.py [--batches 50] [--batch-size 1000] [--messages 20000]

It creates its own throwaway PostgreSQL database (``ctylab_bench_ingest_<pid>`` on
``BENCH_POSTGRES``, default ``postgres://postgres@127.0.0.1:5432``), migrates it and drops it
at the end. MQTT uses the real broker at ``MQTT_URL`` (default mqtt://127.0.0.1:1883) with a
topic prefix and client ids of its own.

It prints:

- HTTP: readings stored per second, POSTing JSON batches with a device token to
  ``/sensors/api/readings/`` on a WSGI server on a local port (one client, one server thread);
- MQTT: messages stored per second, from the first publish to the last commit, through
  ``manage.py ingest_mqtt``'s subscriber (QoS 1, acknowledged after each commit), with the
  messages published from another process;
- the initiative page (a power sensor card and a cumulative meter card) with one day and
  with one year of per-minute readings (525,600 rows per series): median render time and
  the number of queries; and the card's JSON for the 1-year range.

The machine these run on is shared, so wall-clock rates move with other people's load. Next
to each rate it prints the CPU time the work took, which moves much less: the server's
Python thread(s) and the PostgreSQL backend serving them, in ms per 1,000 readings (read
from ``/proc/<pid>/task/<tid>/schedstat``, nanoseconds on the CPU), and the capacity that
CPU time means on one core (readings per CPU-second). The load average is printed too.

Goals: >= 5,000 readings/s over HTTP, >= 2,000 messages/s over MQTT, and the same queries and
render time (within noise) with one day or one year of history.
"""

import argparse
import json
import multiprocessing
import os
import statistics
import sys
import threading
import time
import urllib.request
import uuid
from datetime import timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO / "site"), str(REPO)]
SERVER = os.environ.get("BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432")
HTTP_GOAL, MQTT_GOAL = 5000, 2000


def cpu_ns(pid=None, tid=None):
    """Nanoseconds process ``pid`` (or thread ``tid`` of this process) has spent on a CPU.

    From ``/proc/…/schedstat`` (first field); None where that is not readable (not Linux).
    """
    path = f"/proc/self/task/{tid}/schedstat" if tid else f"/proc/{pid}/schedstat"
    try:
        return int(Path(path).read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return None


def backend_pid():
    """The process id of the PostgreSQL backend serving this thread's connection."""
    from django.db import connection

    connection.ensure_connection()
    return connection.connection.info.backend_pid


def per_thousand(ns, count):
    return None if ns is None or not count else ns / 1e6 / count * 1000


def cpu_figures(python_ns, database_ns, count, what):
    """``python X ms + PostgreSQL Y ms per 1,000 <what> (Z <what>/CPU-s)``, or n/a."""
    python_ms, database_ms = per_thousand(python_ns, count), per_thousand(database_ns, count)
    if python_ms is None or database_ms is None:
        return "CPU time n/a"
    return (f"CPU: Python {python_ms:.0f} ms + PostgreSQL {database_ms:.0f} ms per 1,000 {what} "
            f"= {1e6 / (python_ms + database_ms):,.0f} {what}/CPU-s")


def load_average():
    try:
        return "load average " + ", ".join(f"{value:.2f}" for value in os.getloadavg())
    except OSError:
        return "load average n/a"


def setup_django(database_url):
    os.environ["DJANGO_SETTINGS_MODULE"] = "ctylab.settings.dev"
    os.environ["DATABASE_URL"] = database_url
    import django

    django.setup()
    from django.conf import settings

    settings.DEBUG = False
    settings.CTYLAB_SENSORS_RATE_LIMIT = 0  # measuring throughput, not the limit
    settings.WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database", "AUTO_UPDATE": False}}
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


def create_database(name):
    import psycopg

    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')


def drop_database(name):
    import psycopg

    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def make_site():
    from wagtail.models import Page, Site

    from initiatives.models import HomePage, InitiativePage

    root = Page.get_first_root_node()
    home = root.add_child(instance=HomePage(title="Ctylab", slug="bench-home"))
    Site.objects.update_or_create(is_default_site=True, defaults={"hostname": "127.0.0.1", "port": 80, "root_page": home})
    pages = {}
    for name in ("day", "year"):
        cards = [
            {"type": "iot", "id": "power", "value": {"title": "Power", "device": f"roof-{name}", "metric": "power", "unit": "kW"}},
            {"type": "iot", "id": "energy", "value": {"title": "Energy", "device": f"roof-{name}", "metric": "energy", "unit": ""}},
        ]
        page = home.add_child(instance=InitiativePage(title=f"Roof {name}", slug=f"roof-{name}", summary="Zonnepanelen", municipality="Utrecht", cards=cards))
        page.save_revision().publish()
        pages[name] = page
    return pages


def make_device(page, key):
    from blocks.models import Device, Metric
    from blocks.sensors.tokens import issue_token

    device = Device.objects.create(initiative=page, key=key, name=key)
    Metric.objects.create(device=device, key="power", name="Power", unit="kW", minimum=0, maximum=100)
    Metric.objects.create(device=device, key="energy", name="Energy", unit="kWh", minimum=0, maximum=1e9, cumulative=True)
    return device, issue_token(device)


def fill_history(key, minutes):
    """Per-minute readings up to now, written by SQL (generating them is not what is measured)."""
    from django.db import connection
    from django.utils import timezone

    from blocks.sensors.rollups import refresh_rollups

    now = timezone.now().replace(second=0, microsecond=0)
    start = now - timedelta(minutes=minutes - 1)
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO blocks_reading (device, metric, measured_at, value) "
            "SELECT %s, 'power', t, 2.5 + 2 * sin(extract(epoch from t) / 3600.0) FROM generate_series(%s::timestamptz, %s::timestamptz, '1 minute') t",
            [key, start, now],
        )
        cursor.execute(
            "INSERT INTO blocks_reading (device, metric, measured_at, value) "
            "SELECT %s, 'energy', t, extract(epoch from t - %s::timestamptz) / 3600.0 FROM generate_series(%s::timestamptz, %s::timestamptz, '1 minute') t",
            [key, start, start, now],
        )
    for metric in ("power", "energy"):
        refresh_rollups(key, metric, start, now)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE blocks_reading")  # as autovacuum would after a bulk load
        cursor.execute("ANALYZE blocks_readingrollup")


def serve(database_ns):
    """A one-thread WSGI server on a free port; adds each request's backend CPU to ``database_ns``."""
    from wsgiref.simple_server import WSGIRequestHandler, make_server

    from django.core.wsgi import get_wsgi_application
    from django.db import connection

    class Quiet(WSGIRequestHandler):
        def log_message(self, *args):
            pass

    django_app = get_wsgi_application()

    def app(environ, start_response):
        response = django_app(environ, start_response)
        # The connection closes when the response does (CONN_MAX_AGE 0): its backend's CPU
        # time so far is what this request cost the database.
        if connection.connection is not None:
            spent = cpu_ns(pid=connection.connection.info.backend_pid)
            database_ns[0] = None if spent is None or database_ns[0] is None else database_ns[0] + spent
        return response

    server = make_server("127.0.0.1", 0, app, handler_class=Quiet)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    return server, thread


def bench_http(token, batches, batch_size):
    from django.utils import timezone

    database_ns = [0]
    server, thread = serve(database_ns)
    url = f"http://127.0.0.1:{server.server_port}/sensors/api/readings/"
    start = timezone.now() - timedelta(days=20)
    bodies = []
    for number in range(batches):
        first = start + timedelta(seconds=number * batch_size)
        bodies.append(json.dumps({"readings": [
            {"metric": "power", "time": (first + timedelta(seconds=i)).isoformat(), "value": 1.0 + (i % 50) / 10}
            for i in range(batch_size)
        ]}).encode())
    stored = 0
    began = time.perf_counter()
    server_began = cpu_ns(tid=thread.native_id)
    for body in bodies:
        request = urllib.request.Request(
            url, data=body, method="POST",
            headers={"Content-Type": "application/json", "Authorization": f"Bearer {token}"},
        )
        with urllib.request.urlopen(request) as response:  # noqa: S310 - our own local server
            stored += json.load(response)["stored"]
    elapsed = time.perf_counter() - began
    server_ended = cpu_ns(tid=thread.native_id)
    server.shutdown()
    python_ns = None if server_began is None or server_ended is None else server_ended - server_began
    return stored, elapsed, python_ns, database_ns[0]


def publish(host, port, client_id, topic, payloads, received, ready, go, stop):
    """Publish ``payloads`` on ``topic`` with QoS 1 (run in a process of its own)."""
    import paho.mqtt.client as mqtt

    publisher = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id=client_id)
    publisher.max_inflight_messages_set(1000)
    publisher.max_queued_messages_set(0)
    publisher.connect(host, port)
    publisher.loop_start()
    ready.set()
    go.wait()
    for number, payload in enumerate(payloads):
        # The broker holds what the subscriber has not taken yet (up to max_queued_messages,
        # 1,000 by default, beyond what is in flight, then it drops): keep the lead under that.
        while number - received.value > 900:
            time.sleep(0.001)
        publisher.publish(topic, payload, qos=1)
    stop.wait()
    publisher.disconnect()
    publisher.loop_stop()


def bench_mqtt(token, key, messages):
    import paho.mqtt.client as mqtt
    from django.utils import timezone

    from blocks.sensors.conf import sensor_settings
    from blocks.sensors.mqtt import Subscriber, broker_address

    host, port, _tls = broker_address(sensor_settings.MQTT_URL)
    prefix = f"ctylab-bench-{uuid.uuid4().hex[:8]}"
    client_id = f"ctylab-bench-{uuid.uuid4().hex[:8]}"
    subscriber = Subscriber(client_id=client_id, prefix=prefix)
    subscriber.connect()
    assert subscriber.wait_subscribed(), "the broker did not confirm the subscription"
    start = timezone.now() - timedelta(days=40)
    payloads = [
        json.dumps({"token": token, "value": 1.0 + (i % 50) / 10, "time": (start + timedelta(seconds=i)).isoformat()})
        for i in range(messages)
    ]
    topic = f"{prefix}/{key}/power"
    # Devices publish from elsewhere: from another process, so the publisher does not take
    # the subscriber's interpreter lock (in one process the two took turns with it).
    context = multiprocessing.get_context("spawn")
    received, ready, go, stop = context.Value("q", 0), context.Event(), context.Event(), context.Event()
    publisher = context.Process(
        target=publish, args=(host, port, client_id + "-pub", topic, payloads, received, ready, go, stop), daemon=True
    )
    publisher.start()
    assert ready.wait(30), "the publisher did not connect"

    # What the subscriber costs: the thread that checks and stores (this one), paho's network
    # thread that receives and acknowledges, and the database backend.
    threads = [threading.get_native_id(), subscriber.client._thread.native_id]
    database = backend_pid()
    cpu_began = [cpu_ns(tid=tid) for tid in threads] + [cpu_ns(pid=database)]
    began = time.perf_counter()
    began_monotonic = time.monotonic()
    go.set()
    last = {"count": 0, "at": time.monotonic()}

    def done():
        received.value = subscriber.counts.received
        if subscriber.counts.received != last["count"]:
            last.update(count=subscriber.counts.received, at=time.monotonic())
        # Everything, or nothing more for 10 s (the broker drops what overflows its queue).
        return subscriber.counts.received >= messages or time.monotonic() - last["at"] > 10

    subscriber.run(until=done)
    elapsed = time.perf_counter() - began
    cpu_ended = [cpu_ns(tid=tid) for tid in threads] + [cpu_ns(pid=database)]
    spent = [None if a is None or b is None else b - a for a, b in zip(cpu_began, cpu_ended, strict=True)]
    python_ns = None if None in spent[:2] else spent[0] + spent[1]
    if subscriber.counts.received < messages:
        elapsed = last["at"] - began_monotonic
    subscriber.disconnect()
    stop.set()
    publisher.join(10)
    # Forget the persistent session on the broker.
    cleaner = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id=client_id, protocol=mqtt.MQTTv5)
    cleaner.connect(host, port, clean_start=True)
    cleaner.disconnect()
    return subscriber.counts, elapsed, python_ns, spent[2]


def bench_render(page, runs=15):
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST="127.0.0.1")
    path = page.url_path.replace("/bench-home", "", 1)
    client.get(path)  # warm caches (templates, registry)
    timings, cpu_timings = [], []
    for _run in range(runs):
        with CaptureQueriesContext(connection) as queries:
            began, cpu_began = time.perf_counter(), time.thread_time()
            response = client.get(path)
            timings.append((time.perf_counter() - began) * 1000)
            cpu_timings.append((time.thread_time() - cpu_began) * 1000)
        assert response.status_code == 200, response.status_code
    json_timings = []
    for _run in range(runs):
        with CaptureQueriesContext(connection) as json_queries:
            began = time.perf_counter()
            response = client.get(f"/sensors/cards/{page.pk}/power/?range=1y")
            json_timings.append((time.perf_counter() - began) * 1000)
        assert response.status_code == 200
    json_ms = statistics.median(json_timings)
    return statistics.median(timings), statistics.median(cpu_timings), len(queries), json_ms, len(json_queries)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--batches", type=int, default=50)
    parser.add_argument("--batch-size", type=int, default=1000)
    parser.add_argument("--messages", type=int, default=20000)
    parser.add_argument("--keep", action="store_true", help="keep the database")
    options = parser.parse_args()
    database = f"ctylab_bench_ingest_{os.getpid()}"
    create_database(database)
    try:
        setup_django(f"{SERVER}/{database}")
        pages = make_site()
        day, _ = make_device(pages["day"], "roof-day")
        year, _ = make_device(pages["year"], "roof-year")
        began = time.perf_counter()
        fill_history("roof-day", 24 * 60)
        fill_history("roof-year", 365 * 24 * 60)
        print(f"history written: 2 x 525,600 + 2 x 1,440 readings with roll-ups in {time.perf_counter() - began:.1f} s")

        http_device, http_token = make_device(pages["day"], "bench-http")
        print(f"HTTP starts ({load_average()})")
        stored, elapsed, python_ns, database_ns = bench_http(http_token, options.batches, options.batch_size)
        rate = stored / elapsed
        print(f"HTTP: {stored:,} readings in {options.batches} batches of {options.batch_size} in {elapsed:.2f} s "
              f"= {rate:,.0f} readings/s (goal >= {HTTP_GOAL:,}: {'met' if rate >= HTTP_GOAL else 'NOT met'})")
        print(f"      {cpu_figures(python_ns, database_ns, stored, 'readings')}")

        mqtt_device, mqtt_token = make_device(pages["day"], "bench-mqtt")
        print(f"MQTT starts ({load_average()})")
        counts, elapsed, python_ns, database_ns = bench_mqtt(mqtt_token, "bench-mqtt", options.messages)
        rate = counts.stored / elapsed
        print(f"MQTT: {counts.stored:,} of {options.messages:,} messages stored in {elapsed:.2f} s "
              f"= {rate:,.0f} messages/s (goal >= {MQTT_GOAL:,}: {'met' if rate >= MQTT_GOAL else 'NOT met'}); "
              f"malformed {counts.malformed}, refused {counts.refused}")
        print(f"      {cpu_figures(python_ns, database_ns, counts.stored, 'messages')}")

        print(f"pages start ({load_average()})")
        results = {name: bench_render(page) for name, page in pages.items()}
        for name, (ms, cpu_ms, queries, json_ms, json_queries) in results.items():
            print(f"page with one {name} of per-minute readings: median {ms:.1f} ms ({cpu_ms:.1f} ms Python CPU), "
                  f"{queries} queries; card JSON (1 year range) median {json_ms:.1f} ms, {json_queries} queries")
        same = results["day"][2] == results["year"][2]
        print(f"same queries with a day or a year of history: {'yes' if same else 'NO'}; "
              f"render time ratio year/day: {results['year'][0] / results['day'][0]:.2f} wall-clock, "
              f"{results['year'][1] / results['day'][1]:.2f} Python CPU")
        print(f"done ({load_average()})")
    finally:
        from django.db import connections

        connections.close_all()
        if not options.keep:
            drop_database(database)


if __name__ == "__main__":
    main()
