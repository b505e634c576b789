"""MQTT ingestion against the real Mosquitto on 127.0.0.1:1883 (skipped when it is not running).

Each test uses its own topic prefix and client ids, so tests (and other people's brokers'
traffic) never see each other's messages.
"""

import json
import socket
import time
import uuid
from datetime import timedelta

import paho.mqtt.client as mqtt
import pytest
from django.utils import timezone

from blocks.models import Reading
from blocks.sensors.mqtt import Subscriber, broker_address

BROKER = "mqtt://127.0.0.1:1883"


def broker_answers():
    try:
        with socket.create_connection(("127.0.0.1", 1883), timeout=1):
            return True
    except OSError:
        return False


pytestmark = pytest.mark.skipif(not broker_answers(), reason="no MQTT broker on 127.0.0.1:1883")


@pytest.fixture
def prefix():
    return f"ctylab-test-{uuid.uuid4().hex[:10]}"


@pytest.fixture
def client_ids():
    made = []

    def make():
        made.append(f"ctylab-test-{uuid.uuid4().hex[:12]}")
        return made[-1]

    yield make
    # Forget the persistent sessions the test made, so the broker does not keep them queued.
    for client_id in made:
        cleaner = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id=client_id, protocol=mqtt.MQTTv5)
        cleaner.connect("127.0.0.1", 1883, clean_start=True)
        cleaner.loop_start()
        time.sleep(0.05)
        cleaner.disconnect()
        cleaner.loop_stop()


@pytest.fixture
def publish():
    publisher = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id=f"ctylab-test-pub-{uuid.uuid4().hex[:8]}")
    publisher.connect("127.0.0.1", 1883)
    publisher.loop_start()

    def send(topic, payload):
        if not isinstance(payload, bytes | str):
            payload = json.dumps(payload)
        publisher.publish(topic, payload, qos=1).wait_for_publish(5)

    yield send
    publisher.disconnect()
    publisher.loop_stop()


def receive(subscriber, count, timeout=10):
    deadline = time.monotonic() + timeout
    subscriber.run(until=lambda: subscriber.counts.received >= count or time.monotonic() > deadline)
    return subscriber.counts


def at(minutes_ago):
    return (timezone.now() - timedelta(minutes=minutes_ago)).replace(microsecond=0).isoformat()


def started(prefix, client_id):
    subscriber = Subscriber(url=BROKER, client_id=client_id, prefix=prefix, flush_seconds=0.05)
    subscriber.connect()
    assert subscriber.wait_subscribed()
    return subscriber


def test_readings_are_stored_and_bad_messages_counted_without_stopping(db, make_device, prefix, client_ids, publish):
    device, token = make_device()
    subscriber = started(prefix, client_ids())
    try:
        topic = f"{prefix}/roof-1/power"
        publish(topic, {"token": token, "value": 3.5, "time": at(3)})
        publish(topic, b'{"token": "' + token.encode() + b'", "value": 4')  # truncated
        publish(topic, b"\xff\xfe not even text")
        publish(topic, [1, 2, 3])
        publish(topic, {"token": "wrong", "value": 1, "time": at(2)})
        publish(f"{prefix}/roof-1/voltage", {"token": token, "value": 230, "time": at(2)})
        publish(topic, '{"token": "%s", "value": NaN, "time": "%s"}' % (token, at(2)))  # noqa: UP031
        publish(topic, {"token": token, "value": 1, "time": "2026-03-29T02:30:00"})
        publish(topic, {"token": token, "value": 4.5, "time": at(1)})
        counts = receive(subscriber, 9)
    finally:
        subscriber.disconnect()
    assert (counts.received, counts.stored, counts.malformed, counts.refused) == (9, 2, 3, 4)
    assert counts.by_reason == {
        "malformed": 3, "unauthorized": 1, "unknown_metric": 1, "not_finite": 1, "no_offset": 1,
    }
    assert sorted(Reading.objects.values_list("value", flat=True)) == [3.5, 4.5]


def test_messages_published_while_the_subscriber_restarts_are_not_lost(db, make_device, prefix, client_ids, publish):
    device, token = make_device()
    client_id = client_ids()
    first = started(prefix, client_id)
    first.disconnect()
    for minute in range(5):
        publish(f"{prefix}/roof-1/power", {"token": token, "value": minute, "time": at(10 - minute)})
    again = started(prefix, client_id)
    try:
        counts = receive(again, 5)
    finally:
        again.disconnect()
    assert counts.stored == 5
    assert sorted(Reading.objects.values_list("value", flat=True)) == [0, 1, 2, 3, 4]


def test_a_message_delivered_twice_is_stored_once(db, make_device, prefix, client_ids, publish):
    device, token = make_device()
    subscriber = started(prefix, client_ids())
    message = {"token": token, "value": 2.0, "time": at(1)}
    try:
        publish(f"{prefix}/roof-1/power", message)
        publish(f"{prefix}/roof-1/power", message)
        counts = receive(subscriber, 2)
    finally:
        subscriber.disconnect()
    assert (counts.stored, counts.duplicates) == (1, 1)
    assert Reading.objects.count() == 1


def test_broker_urls():
    assert broker_address("mqtt://127.0.0.1:1883") == ("127.0.0.1", 1883, False)
    assert broker_address("mqtts://broker.example") == ("broker.example", 8883, True)
    with pytest.raises(ValueError):
        broker_address("http://broker.example")


def test_the_command_says_when_no_broker_answers(db):
    from django.core.management import CommandError, call_command

    with pytest.raises(CommandError, match="Cannot reach the MQTT broker"):
        call_command("ingest_mqtt", url="mqtt://127.0.0.1:1", verbosity=0)
    call_command("ingest_mqtt", url="mqtt://127.0.0.1:1", skip_without_broker=True, verbosity=0)
