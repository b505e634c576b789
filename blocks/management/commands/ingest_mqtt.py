import logging
import signal

from django.core.management.base import BaseCommand, CommandError

from blocks.sensors.conf import sensor_settings
from blocks.sensors.mqtt import Subscriber


class Command(BaseCommand):
    help = (
        "Subscribe to MQTT_URL on ctylab/<device>/<metric> and store the readings devices "
        'publish as JSON {"token", "value", "time"} (QoS 1, a persistent session).'
    )

    def add_arguments(self, parser):
        parser.add_argument("--url", help=f"broker URL (default: MQTT_URL or {sensor_settings.MQTT_URL})")
        parser.add_argument("--client-id", help="the session's client id (default: CTYLAB_SENSORS_MQTT_CLIENT_ID)")
        parser.add_argument(
            "--skip-without-broker", action="store_true",
            help="exit quietly when no broker answers (make run starts the subscriber this way)",
        )

    def handle(self, *args, url=None, client_id=None, skip_without_broker=False, verbosity=1, **options):
        if verbosity > 0 and not logging.getLogger("blocks.sensors.mqtt").handlers:
            handler = logging.StreamHandler(self.stderr)
            handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
            logging.getLogger("blocks.sensors.mqtt").addHandler(handler)
            logging.getLogger("blocks.sensors.mqtt").setLevel(logging.INFO)
        subscriber = Subscriber(url=url, client_id=client_id)
        try:
            subscriber.connect()
        except (OSError, ValueError) as problem:
            if skip_without_broker:
                self.stdout.write(f"No MQTT broker at {subscriber.url}; sensors can still post over HTTP.")
                return
            raise CommandError(f"Cannot reach the MQTT broker at {subscriber.url}: {problem}") from None
        stopping = []
        signal.signal(signal.SIGTERM, lambda *_args: stopping.append(True))
        self.stdout.write(f"Subscribed to {subscriber.prefix}/+/+ on {subscriber.url} as {subscriber.client_id}")
        try:
            subscriber.run(until=lambda: bool(stopping))
        except KeyboardInterrupt:
            pass
        finally:
            subscriber.disconnect()
        self.stdout.write(f"Stopped: {subscriber.counts}")
