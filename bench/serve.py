"""Benchmark: Ctylab served the production way, pages per second beside a bare Django view.

    .venv/bin/python bench/serve.py [--seconds 5] [--concurrency 4] [--workers 2] [--rounds 2]

Sets Ctylab up as README "Production" does, in a throwaway PostgreSQL database
(``ctylab_bench_serve_<pid>`` on ``BENCH_POSTGRES``, default
``postgres://postgres@127.0.0.1:5432``, dropped at the end): production settings (``DEBUG`` off,
connections kept, WhiteNoise), migrate, collectstatic, the demo content and an initiative page
with 20 cards (four of each type, as bench/render.py makes them), Redis as cache when it
answers at ``BENCH_REDIS_URL`` (default ``redis://127.0.0.1:6379/15``, own key prefix, removed
afterwards). Then gunicorn with ``--workers`` sync workers serves it on a free port of
127.0.0.1, and a second gunicorn serves a bare Django view (no middleware, no database) that
returns the same bytes as the 20-card page: the limit for any Django page on this machine.
A second gunicorn runs with the page cache on (ctylab/pagecache.py, Redis or local memory) for
the cached 20-card row; the first has it off, for every other row. Where ``varnishd`` is installed, Varnish with site/ctylab/deploy/varnish.vcl is started in front
of the first gunicorn and the 20-card page is also measured through it (the cached page).

The load generator is in this file: ``--concurrency`` client processes, each sending one
request after the other (a new connection each time, as gunicorn's sync workers close them)
for ``--seconds`` per page after a one-second warm-up, only to 127.0.0.1. It shares the
machine's cores with the server, the same for every row, so compare rows within one run.

It prints, per round, requests per second, median and 95th-percentile latency and the number
of failed requests (anything but 200) for: the home page, the 20-card initiative page, a
search, an initiative's decisions page and the bare Django view, then each page's req/s as a
share of the bare view's.

Goals (issue 14): the 20-card page at least 10x bakerydemo's home page (measured at 28-33
req/s with 2 workers on this machine); a cached anonymous initiative page at least 50 % of the
bare view (the page-cache row; the Varnish row for a cache in front).
"""

import argparse
import http.client
import multiprocessing
import os
import re
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
import uuid
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO / "site"), str(REPO), str(REPO / "bench")]

SERVER = os.environ.get("BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432")
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/15")
HOST = "localhost"  # the demo's platform host
CARDS = 20

BARE_DJANGO = textwrap.dedent(
    '''
    """A bare Django view returning fixed bytes: no middleware, no database, no template."""
    import os

    from django.conf import settings
    from django.http import HttpResponse
    from django.urls import path

    with open(os.environ["BENCH_BARE_BODY"], "rb") as file:
        BODY = file.read()

    settings.configure(DEBUG=False, SECRET_KEY="bench-only", ALLOWED_HOSTS=["*"],
                       ROOT_URLCONF=__name__, MIDDLEWARE=[], INSTALLED_APPS=[])


    def page(request):
        return HttpResponse(BODY, content_type="text/html; charset=utf-8")


    urlpatterns = [path("", page)]

    from django.core.wsgi import get_wsgi_application  # noqa: E402

    application = get_wsgi_application()
    '''
)


# --- setting up -----------------------------------------------------------------------------


def admin_sql(statement):
    import psycopg

    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as connection:
        connection.execute(statement)


def redis_available():
    import redis

    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except redis.exceptions.ConnectionError:
        return False
    return True


def production_env(database, scratch, prefix):
    env = {key: value for key, value in os.environ.items() if key not in {"PYTHONPATH", "DJANGO_SETTINGS_MODULE"}}
    env.update(
        SECRET_KEY=secrets.token_urlsafe(50),
        DATABASE_URL=f"{SERVER}/{database}",
        CTYLAB_PLATFORM_HOSTS=HOST,
        STATIC_ROOT=str(scratch / "static"),
        MEDIA_ROOT=str(scratch / "media"),
        CTYLAB_VAR_DIR=str(scratch / "var"),
        ACCOUNTS_AVATAR_ROOT=str(scratch / "avatars"),
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
        LOG_LEVEL="WARNING",
    )
    if prefix:
        env.update(REDIS_URL=REDIS_URL, CACHE_KEY_PREFIX=prefix)
    return env


def build_site(env):
    """migrate, collectstatic, the demo and a 20-card page; returns the paths to measure."""
    os.environ.update(env)
    os.environ["DJANGO_SETTINGS_MODULE"] = "ctylab.settings.production"
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connections
    from django.utils import timezone
    from render import make_cards, make_images, make_readings

    from governance.models import Proposal
    from initiatives.demo import load_demo_content
    from initiatives.models import HomePage, InitiativePage

    call_command("migrate", verbosity=0, interactive=False)
    call_command("collectstatic", verbosity=0, interactive=False)
    load_demo_content(secrets.token_urlsafe(16))
    now = timezone.now()
    home = HomePage.objects.get()
    neighbour = InitiativePage.objects.get(slug="jeu-de-boules-lindenstraat")
    page = InitiativePage(
        title=f"Zonnedak met {CARDS} kaarten", slug=f"zonnedak-{CARDS}",
        summary="Een energiecoöperatie van buren.", municipality="Utrecht",
        cards=make_cards(CARDS, now, make_images(), make_readings(CARDS // 5, now, 30), neighbour),
    )
    home.add_child(instance=page)
    page.save_revision().publish()
    decided = Proposal.objects.select_related("initiative").first().initiative
    paths = {
        "home page": "/",
        f"initiative page, {CARDS} cards": page.url,
        "search (q=zon)": "/search/?q=zon",
        "decisions": f"/governance/initiative/{decided.pk}/decisions/",
    }
    connections.close_all()
    return paths


def start_gunicorn(env, app, workers, pythonpath, cwd):
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--bind", "127.0.0.1:0", "--workers", str(workers),
         "--timeout", "300", "--pythonpath", str(pythonpath), app],
        env=env, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )
    port, booted, log = None, 0, []
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and booted < workers:
        line = process.stderr.readline()
        if not line:
            break
        log.append(line)
        if match := re.search(r"Listening at: http://127\.0\.0\.1:(\d+)", line):
            port = int(match.group(1))
        booted += "Booting worker" in line
    if port is None:
        process.kill()
        raise SystemExit("gunicorn did not start:\n" + "".join(log))
    # Drain the log so a full pipe never blocks the server.
    import threading

    threading.Thread(target=lambda: [None for _ in process.stderr], daemon=True).start()
    return process, port


def start_varnish(backend_port, scratch):
    """varnishd with site/ctylab/deploy/varnish.vcl in front of gunicorn; (process, port) or None."""
    import socket

    if not shutil.which("varnishd"):
        return None
    workdir = scratch / "varnish"
    workdir.mkdir()
    for path in (scratch, workdir):
        path.chmod(0o755)  # varnishd reads the VCL and runs its worker as its own users
    vcl = workdir / "ctylab.vcl"
    source = (REPO / "site" / "ctylab" / "deploy" / "varnish.vcl").read_text()
    vcl.write_text(re.sub(r'\.port = "\d+";', f'.port = "{backend_port}";', source, count=1))
    vcl.chmod(0o644)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    process = subprocess.Popen(
        ["varnishd", "-F", "-a", f"127.0.0.1:{port}", "-T", "none", "-f", str(vcl), "-n", str(workdir / "n"),
         "-s", "malloc,64m"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return process, port
        except OSError:
            time.sleep(0.2)
    process.kill()
    return None


# --- the load generator ---------------------------------------------------------------------


def fetch(port, path, timeout=30):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        # As the TLS-terminating proxy forwards it (production redirects plain HTTP).
        connection.request("GET", path, headers={"Host": HOST, "X-Forwarded-Proto": "https"})
        response = connection.getresponse()
        body = response.read()
        return response.status, body
    finally:
        connection.close()


def client(port, path, start, stop, results):
    latencies, failures = [], 0
    while time.monotonic() < start:
        fetch(port, path)  # warm-up: worker caches, kept database connections
    while (now := time.monotonic()) < stop:
        status, _ = fetch(port, path)
        latencies.append(time.monotonic() - now)
        failures += status != 200
    results.put((latencies, failures))


def load(port, path, seconds, concurrency):
    """(req/s, median ms, p95 ms, failures) for ``seconds`` of ``concurrency`` clients."""
    results = multiprocessing.Queue()
    start = time.monotonic() + 1
    stop = start + seconds
    clients = [multiprocessing.Process(target=client, args=(port, path, start, stop, results)) for _ in range(concurrency)]
    for process in clients:
        process.start()
    latencies, failures = [], 0
    for _ in clients:
        got, failed = results.get()
        latencies += got
        failures += failed
    for process in clients:
        process.join()
    latencies.sort()
    if not latencies:
        return 0.0, float("nan"), float("nan"), failures
    p95 = latencies[min(len(latencies) - 1, int(len(latencies) * 0.95))]
    return len(latencies) / seconds, statistics.median(latencies) * 1000, p95 * 1000, failures


# --- running --------------------------------------------------------------------------------


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=5, help="measured seconds per page")
    parser.add_argument("--concurrency", type=int, default=4, help="client processes")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers")
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    if not 0 < args.seconds <= 60 or not 0 < args.concurrency <= 32 or not 0 < args.rounds <= 5:
        parser.error("keep it bounded: 0 < seconds <= 60, 0 < concurrency <= 32, 0 < rounds <= 5")

    database = f"ctylab_bench_serve_{os.getpid()}"
    scratch = Path(tempfile.mkdtemp(prefix="ctylab-bench-serve-"))
    prefix = f"ctylab-bench-serve-{uuid.uuid4().hex[:8]}" if redis_available() else ""
    servers = []
    admin_sql(f'CREATE DATABASE "{database}"')
    try:
        env = production_env(database, scratch, prefix)
        started = time.monotonic()
        paths = build_site(env)
        print(f"set up in {time.monotonic() - started:.0f} s: PostgreSQL, "
              f"{'Redis' if prefix else 'local-memory'} cache, gunicorn with {args.workers} sync workers, "
              f"{args.concurrency} clients, {args.seconds:g} s per page")

        # Uncached figures: the page cache off (CTYLAB_PAGE_CACHE_SECONDS=0) in this server.
        ctylab, port = start_gunicorn({**env, "CTYLAB_PAGE_CACHE_SECONDS": "0"}, "ctylab.wsgi", args.workers,
                                      REPO / "site", scratch)
        servers.append(ctylab)
        cached, cached_port = start_gunicorn({**env, "CTYLAB_PAGE_CACHE_SECONDS": "600"}, "ctylab.wsgi",
                                             args.workers, REPO / "site", scratch)
        servers.append(cached)
        # The first visit makes the image renditions: allow it time on a busy machine.
        status, body = fetch(port, paths[f"initiative page, {CARDS} cards"], timeout=300)
        if status != 200 or body.count(b"data-card-type=") != CARDS:
            raise SystemExit(f"the {CARDS}-card page answered {status} with {body.count(b'data-card-type=')} cards")
        for name, path in paths.items():
            if (status := fetch(port, path, timeout=300)[0]) != 200:
                raise SystemExit(f"{name} ({path}) answered {status}")
        bare_body = scratch / "bare.html"
        bare_body.write_bytes(body)
        (scratch / "bare_django.py").write_text(BARE_DJANGO)
        bare, bare_port = start_gunicorn({**env, "BENCH_BARE_BODY": str(bare_body)}, "bare_django:application",
                                         args.workers, scratch, scratch)
        servers.append(bare)

        targets = [(name, port, path) for name, path in paths.items()]
        targets.append((f"initiative page, {CARDS} cards, page cache", cached_port,
                        paths[f"initiative page, {CARDS} cards"]))
        if varnish := start_varnish(port, scratch):
            servers.append(varnish[0])
            targets.append((f"initiative page, {CARDS} cards, Varnish", varnish[1], paths[f"initiative page, {CARDS} cards"]))
        targets.append((f"bare Django view, same {len(body) // 1024} KiB", bare_port, "/"))
        # Every worker of every server renders each page once (imports, renditions, the
        # kept connection, the page cache's first copy) before anything is timed.
        for _name, target_port, path in targets:
            for _ in range(2 * args.workers):
                fetch(target_port, path, timeout=300)
        rates = {name: [] for name, _, _ in targets}
        for round_number in range(1, args.rounds + 1):
            print(f"\nround {round_number}")
            print(f"{'page':<40} {'req/s':>8} {'median ms':>10} {'p95 ms':>8} {'failed':>7}")
            for name, target_port, path in targets:
                rate, median, p95, failures = load(target_port, path, args.seconds, args.concurrency)
                rates[name].append(rate)
                print(f"{name:<40} {rate:>8.1f} {median:>10.1f} {p95:>8.1f} {failures:>7}")
        bare_rates = rates[targets[-1][0]]
        print("\nshare of the bare Django view's req/s (per round)")
        for name, _, _ in targets[:-1]:
            shares = " / ".join(f"{rate / limit:.1%}" for rate, limit in zip(rates[name], bare_rates, strict=True))
            print(f"{name:<40} {shares}")
    finally:
        for server in servers:
            server.terminate()
            server.wait(timeout=30)
        admin_sql(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        if prefix:
            import redis

            client_ = redis.Redis.from_url(REDIS_URL)
            for key in client_.scan_iter(match=f"{prefix}:*"):
                client_.delete(key)
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
