"""The MQTT subscriber behind ``manage.py ingest_mqtt``.

Topics are ``ctylab/<device key>/<metric key>``; a message's payload is a JSON object::

    {"token": "<the device's token>", "value": 3.25, "time": "2026-05-01T12:00:00+02:00"}

``time`` needs a UTC offset, like every API time. The subscriber connects (MQTT 5) with a fixed
client id, ``clean_start=False`` and a session expiry of a week, and subscribes with QoS 1,
so the broker keeps the messages that arrive while it is down (Mosquitto: up to
``max_queued_messages``, 1,000 by default: raise it for many devices) and sends them when it
is back. A message is acknowledged (PUBACK) only once its reading is committed
or refused, so a subscriber killed in between gets it again; the readings' uniqueness makes
that second delivery a duplicate, not a second row.

Messages are taken in batches (what has arrived, up to ``batch_size``) and stored in one transaction per batch, with the devices of a batch
loaded in one query. Malformed messages (a topic of another shape, a payload that is not a
JSON object, a truncated one) and refused readings are counted and logged, and acknowledged:
sending them again would not make them right.
"""

import json
import logging
import queue
import time
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from django.db import DatabaseError
from django.utils import timezone

from .conf import sensor_settings
from .ingest import DUPLICATE, REFUSED, STORED, check_items, metric_rules, store_accepted
from .tokens import token_matches

logger = logging.getLogger("blocks.sensors.mqtt")
SESSION_EXPIRY_SECONDS = 7 * 24 * 3600


@dataclass
class Counts:
    received: int = 0
    stored: int = 0
    duplicates: int = 0
    refused: int = 0
    malformed: int = 0
    by_reason: dict = field(default_factory=dict)

    def note(self, reason):
        self.by_reason[reason] = self.by_reason.get(reason, 0) + 1


def broker_address(url):
    """``(host, port, use_tls)`` of an ``mqtt://`` or ``mqtts://`` URL."""
    parts = urlsplit(url)
    if parts.scheme not in ("mqtt", "mqtts") or not parts.hostname:
        raise ValueError(f"MQTT_URL must look like mqtt://host:1883, not {url!r}")
    tls = parts.scheme == "mqtts"
    return parts.hostname, parts.port or (8883 if tls else 1883), tls


def parse_message(topic, payload, prefix):
    """``(device key, metric key, message dict)``, or ValueError saying what is malformed."""
    parts = topic.split("/")
    if len(parts) != 3 or parts[0] != prefix or not parts[1] or not parts[2]:
        raise ValueError(f"topic {topic!r} is not {prefix}/<device>/<metric>")
    try:
        message = json.loads(payload)
    except (ValueError, RecursionError):
        raise ValueError("payload is not JSON (truncated?)") from None
    if not isinstance(message, dict):
        raise ValueError("payload is not a JSON object")
    return parts[1], parts[2], message


def process(messages, prefix, counts):
    """Check and store a batch of ``(topic, payload bytes)``; returns nothing, updates ``counts``.

    Raises DatabaseError when the database is away (nothing of the batch is then stored).
    """
    from ..models import Device

    parsed = []
    for topic, payload in messages:
        counts.received += 1
        try:
            parsed.append(parse_message(topic, payload, prefix))
        except ValueError as problem:
            counts.malformed += 1
            counts.note("malformed")
            logger.warning("Malformed MQTT message on %s: %s", topic, problem)
    if not parsed:
        return
    devices = {
        device.key: device
        for device in Device.objects.filter(key__in={key for key, _m, _p in parsed}).prefetch_related("metrics")
    }
    per_device, matched = {}, {}
    for key, metric, message in parsed:
        device, token = devices.get(key), message.get("token")
        token = token if isinstance(token, str) else None  # a JSON list or object is no token (nor hashable)
        # A device sends the same token with each message: hash it once per batch.
        if device is not None and (key, token) not in matched:
            matched[(key, token)] = token_matches(device, token)
        if device is None or not matched[(key, token)]:
            counts.refused += 1
            counts.note("unauthorized")
            logger.warning("MQTT reading for %s/%s refused: unknown device or wrong token", key, metric)
            continue
        per_device.setdefault(key, []).append((metric, message.get("time"), message.get("value")))
    now = timezone.now()
    checked = {key: check_items(metric_rules(devices[key]), items, now=now) for key, items in per_device.items()}
    # Every device's readings in one transaction and one INSERT.
    store_accepted(checked)
    for key, outcomes in checked.items():
        for outcome in outcomes:
            if outcome.status == STORED:
                counts.stored += 1
            elif outcome.status == DUPLICATE:
                counts.duplicates += 1
            elif outcome.status == REFUSED:
                counts.refused += 1
                counts.note(outcome.code)
                logger.warning("MQTT reading for %s/%s refused: %s", key, outcome.metric, outcome.message)


class Subscriber:
    """Subscribes to ``<prefix>/+/+`` and stores what arrives; ``run()`` in the calling thread.

    The network runs in paho's thread and only queues messages; checking, storing and
    acknowledging happen in the thread that calls ``run``, the one with the database connection.
    """

    def __init__(self, url=None, client_id=None, prefix=None, batch_size=1000, flush_seconds=0.0):
        import paho.mqtt.client as mqtt

        self.url = url or sensor_settings.MQTT_URL
        self.client_id = client_id or sensor_settings.MQTT_CLIENT_ID
        self.prefix = prefix or sensor_settings.MQTT_TOPIC_PREFIX
        self.batch_size, self.flush_seconds = batch_size, flush_seconds
        self.counts = Counts()
        # SimpleQueue (C, no Python-level lock): paho's thread puts every message, and Queue.put
        # took a tenth of that thread's time.
        self.inbox = queue.SimpleQueue()
        self.subscribed = False
        self.client = mqtt.Client(
            mqtt.CallbackAPIVersion.VERSION2,
            client_id=self.client_id,
            protocol=mqtt.MQTTv5,
            manual_ack=True,
        )
        self.client.on_connect = self._on_connect
        self.client.on_subscribe = self._on_subscribe
        self.client.on_message = self._on_message
        # The broker may hand over a whole queue at once after a restart.
        self.client.max_inflight_messages_set(1000)
        self.client.max_queued_messages_set(0)

    def _on_connect(self, client, userdata, flags, reason_code, properties):
        if reason_code.is_failure:
            logger.error("MQTT broker refused the connection: %s", reason_code)
            return
        client.subscribe(f"{self.prefix}/+/+", qos=1)

    def _on_subscribe(self, client, userdata, mid, reason_codes, properties):
        self.subscribed = True

    def _on_message(self, client, userdata, message):
        self.inbox.put(message)

    def connect(self):
        host, port, tls = broker_address(self.url)
        if tls:
            self.client.tls_set()
        from paho.mqtt.packettypes import PacketTypes
        from paho.mqtt.properties import Properties

        properties = Properties(PacketTypes.CONNECT)
        # The session (subscription and queued messages) outlives a disconnection by this long.
        properties.SessionExpiryInterval = SESSION_EXPIRY_SECONDS
        # Up to a batch of unacknowledged messages at once; Mosquitto's max_inflight_messages
        # (20) applies to MQTT 3.1.1 clients only, and 20 per transaction would be slow.
        properties.ReceiveMaximum = self.batch_size
        self.client.connect(host, port, keepalive=30, clean_start=False, properties=properties)
        self.client.loop_start()

    def wait_subscribed(self, timeout=10):
        deadline = time.monotonic() + timeout
        while not self.subscribed and time.monotonic() < deadline:
            time.sleep(0.01)
        return self.subscribed

    def disconnect(self):
        self.client.disconnect()
        self.client.loop_stop()

    def _take_batch(self, wait):
        batch = []
        try:
            batch.append(self.inbox.get(timeout=wait))
        except queue.Empty:
            return batch
        # What has already arrived, without waiting: the broker sends only so many unacknowledged
        # messages (Mosquitto: max_inflight_messages, 20 by default), so waiting for more
        # before acknowledging these would only stall it.
        deadline = time.monotonic() + self.flush_seconds
        while len(batch) < self.batch_size:
            try:
                batch.append(self.inbox.get_nowait())
            except queue.Empty:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    break
                time.sleep(min(remaining, 0.005))
        return batch

    def step(self, wait=0.5):
        """Store one batch of what has arrived (waiting up to ``wait`` s for a first message)."""
        batch = self._take_batch(wait)
        if not batch:
            return 0
        while True:
            try:
                process([(message.topic, message.payload) for message in batch], self.prefix, self.counts)
                break
            except DatabaseError:
                # Not acknowledged yet, so nothing is lost: try the same batch again.
                logger.exception("Could not store MQTT readings; retrying in 5 s")
                time.sleep(5)
        for message in batch:
            self.client.ack(message.mid, message.qos)
        return len(batch)

    def run(self, until=None, log_every=60):
        """Store batches until ``until()`` is true (forever by default)."""
        last_log = time.monotonic()
        while not (until and until()):
            self.step()
            if time.monotonic() - last_log >= log_every:
                last_log = time.monotonic()
                logger.info("MQTT ingestion: %s", self.counts)
