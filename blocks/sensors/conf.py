"""Settings of the sensor ingestion, with their defaults, read when used (never at import)."""

from django.conf import settings


class SensorSettings:
    prefix = "CTYLAB_SENSORS_"

    def _setting(self, name, default):
        return getattr(settings, self.prefix + name, default)

    @property
    def CLOCK_SKEW_SECONDS(self):
        """How far in the future a reading's time may be (device clocks drift): 300 s."""
        return self._setting("CLOCK_SKEW_SECONDS", 300)

    @property
    def MAX_BATCH(self):
        """Most readings in one HTTP batch; a bigger one is refused whole with 413."""
        return self._setting("MAX_BATCH", 10_000)

    @property
    def RATE_LIMIT(self):
        """Requests (HTTP) per device per minute; over it the answer is 429 with Retry-After."""
        return self._setting("RATE_LIMIT", 120)

    @property
    def ACTIVITY_SECONDS(self):
        """Pages showing a sensor re-sort on its new readings at most this often: 60 s."""
        return self._setting("ACTIVITY_SECONDS", 60)

    @property
    def MQTT_URL(self):
        """The broker ``manage.py ingest_mqtt`` subscribes to (``mqtt://host:port``)."""
        return getattr(settings, "MQTT_URL", None) or "mqtt://127.0.0.1:1883"

    @property
    def MQTT_CLIENT_ID(self):
        """Fixed, so the broker keeps the subscriber's session (and its queue) across restarts."""
        return self._setting("MQTT_CLIENT_ID", "ctylab-ingest")

    @property
    def MQTT_TOPIC_PREFIX(self):
        """Topics are ``<prefix>/<device key>/<metric key>``."""
        return self._setting("MQTT_TOPIC_PREFIX", "ctylab")


sensor_settings = SensorSettings()
