"""Data the cards read that does not live in the page: sensor readings and the devices that send them."""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.models import Orderable


class Reading(models.Model):
    """One measurement of one metric of one device (an IoT card shows a device + metric)."""

    device = models.CharField(_("device"), max_length=100)
    metric = models.CharField(_("metric"), max_length=100)
    measured_at = models.DateTimeField(_("measured at"))
    value = models.FloatField(_("value"))

    class Meta:
        verbose_name = _("sensor reading")
        verbose_name_plural = _("sensor readings")
        constraints = [
            models.UniqueConstraint(
                fields=["device", "metric", "measured_at"], name="reading_unique_per_moment"
            )
        ]
        indexes = [
            models.Index(fields=["device", "metric", "-measured_at"], name="reading_series_recent")
        ]

    def __str__(self):
        return f"{self.device}/{self.metric} {self.measured_at:%Y-%m-%d %H:%M}: {self.value}"


class Device(ClusterableModel):
    """A sensor of an initiative that sends readings (over HTTP or MQTT) with its own token.

    ``key`` is the device's name in readings (``Reading.device``), in MQTT topics
    (``ctylab/<key>/<metric key>``) and on sensor cards; it never changes once readings
    exist, so it is chosen when the device is registered. The token is never stored: only its
    SHA-256 (hex), so a leaked database does not let anyone send readings. An empty
    ``token_hash`` means the token is revoked and the device is refused until a new one is
    issued (``blocks.sensors.tokens``).
    """

    initiative = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("initiative"),
        on_delete=models.CASCADE,
        related_name="sensor_devices",
    )
    name = models.CharField(_("display name"), max_length=120)
    key = models.SlugField(
        _("key"),
        max_length=100,
        unique=True,
        help_text=_(
            "How the device names itself: in MQTT topics (ctylab/<key>/<metric>) and on sensor "
            "cards. Letters, digits, - and _; it cannot change later."
        ),
    )
    producer = models.CharField(
        _("producer"),
        max_length=120,
        blank=True,
        help_text=_("Who produces what the meter counts (the resident whose roof it is), as shown on the card and in the compensation export."),
    )
    latitude = models.FloatField(
        _("latitude"), null=True, blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    longitude = models.FloatField(
        _("longitude"), null=True, blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    token_hash = models.CharField(max_length=64, blank=True, default="", editable=False, db_index=True)
    token_issued_at = models.DateTimeField(_("token issued at"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("registered at"), auto_now_add=True)

    class Meta:
        verbose_name = _("sensor device")
        verbose_name_plural = _("sensor devices")
        ordering = ["name", "pk"]

    def __str__(self):
        return self.name

    @property
    def has_token(self):
        return bool(self.token_hash)


class Metric(Orderable):
    """One quantity a device measures, with the range of values that can be real.

    ``source`` is the quantity's name in what the device sends when that differs from
    ``key``: a Sensor.Community ``value_type`` (e.g. ``SDS_P1``) or a field of a The Things
    Stack ``decoded_payload``. A cumulative metric is a meter that only counts up (kWh
    produced): its yield over a period is the difference of the readings.
    """

    device = ParentalKey(Device, on_delete=models.CASCADE, related_name="metrics")
    key = models.SlugField(_("key"), max_length=100, help_text=_("The metric's name in topics and readings, e.g. power."))
    name = models.CharField(_("display name"), max_length=120)
    unit = models.CharField(_("unit"), max_length=20, blank=True)
    minimum = models.FloatField(_("lowest plausible value"))
    maximum = models.FloatField(_("highest plausible value"))
    cumulative = models.BooleanField(
        _("cumulative meter"),
        default=False,
        help_text=_("The value only counts up, like a meter of kWh produced."),
    )
    source = models.CharField(
        _("name in the device's messages"),
        max_length=100,
        blank=True,
        help_text=_("If the device calls it differently: a Sensor.Community value_type or a decoded_payload field."),
    )

    class Meta(Orderable.Meta):
        verbose_name = _("metric")
        verbose_name_plural = _("metrics")
        constraints = [
            models.UniqueConstraint(fields=["device", "key"], name="metric_key_unique_per_device"),
            models.CheckConstraint(
                condition=models.Q(minimum__lt=models.F("maximum")), name="metric_range_not_empty"
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.unit})" if self.unit else self.name

    def clean(self):
        if self.minimum is not None and self.maximum is not None and self.minimum >= self.maximum:
            raise ValidationError({"maximum": _("The highest value must be above the lowest.")})


class ReadingRollup(models.Model):
    """The readings of one series in one hour (UTC), summed up for long chart ranges.

    Kept up to date by every ingestion path (``blocks.sensors.rollups``), so a
    chart of a year reads at most 8,784 rows however often the sensor reports.
    ``first_value``/``last_value`` are the readings at the start and end of the hour (the
    yield of a cumulative meter is their difference across hours).
    """

    device = models.CharField(max_length=100)
    metric = models.CharField(max_length=100)
    hour = models.DateTimeField()
    count = models.PositiveIntegerField()
    total = models.FloatField()
    minimum = models.FloatField()
    maximum = models.FloatField()
    first_value = models.FloatField()
    last_value = models.FloatField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["device", "metric", "hour"], name="rollup_unique_per_hour")
        ]

    def __str__(self):
        return f"{self.device}/{self.metric} {self.hour:%Y-%m-%d %H}h: {self.count} reading(s)"
