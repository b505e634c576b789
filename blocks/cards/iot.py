"""IoT card: one metric of one device — the latest reading and a chart of recent ones.

Value shape::

    {"title": str, "device": str, "metric": str, "unit": str}

The readings themselves are rows of ``blocks.Reading``; all IoT cards of a page load theirs
in a single query (``bulk_to_python``), with one more for the registered devices' display
names and one for the yields of cumulative meters. The chart is an SVG drawn on the server;
a script keeps it up to date (``blocks.sensors.card_views``).
"""

from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail import blocks as wagtail_blocks

from ..readings import recent_readings, series_name
from ..sensors.conf import sensor_settings
from ..sensors.series import RANGES, chart_geometry
from ..sensors.yields import meter_yields
from .base import API_MOMENT, API_STRING, CardBlock, CardValue, api_moment


def registered_metrics(series):
    """``{(device key, metric key): Metric}`` of the registered ones among ``series``: one query."""
    from ..models import Metric

    series = set(series)
    if not series:
        return {}
    metrics = Metric.objects.filter(device__key__in={device for device, _metric in series}).select_related("device")
    return {
        (metric.device.key, metric.key): metric
        for metric in metrics
        if (metric.device.key, metric.key) in series
    }


def load_sensor_data(cards):
    """Readings, registered metrics and meter yields of ``cards``: three queries for a page."""
    keys = [card.series_key for card in cards]
    series = recent_readings(keys)
    metrics = registered_metrics(keys)
    cumulative = [key for key in keys if key in metrics and metrics[key].cumulative]
    yields = meter_yields(cumulative)
    for card, key in zip(cards, keys, strict=True):
        card.series = series.get(key, [])
        card.registered = metrics.get(key)
        card.meter = yields.get(key)


class IoTValue(CardValue):
    # Filled by IoTCardBlock.bulk_to_python; a value built another way loads its own.
    series = None
    registered = None  # the blocks.Metric, if the device is registered
    meter = None  # a MeterYield, for a registered cumulative metric

    @property
    def series_key(self):
        """``(device, metric)`` in the normal form readings are stored under."""
        return (series_name(self["device"]), series_name(self["metric"]))

    @cached_property
    def readings(self):
        if self.series is None:
            load_sensor_data([self])
        return self.series

    @property
    def device_label(self):
        """What visitors read: the registered display name, else the key the editor typed."""
        return self.registered.device.name if self.registered else self["device"]

    @property
    def metric_label(self):
        return self.registered.name if self.registered else self["metric"]

    @property
    def unit_label(self):
        return self.get("unit") or (self.registered.unit if self.registered else "")

    @property
    def meter_yield(self):
        self.readings  # noqa: B018 - loads the meter too
        return self.meter

    @property
    def producer(self):
        return (self.registered.device.producer or self.registered.device.name) if self.registered else ""

    def contract_measures(self):
        """Toward the contract's amount goal: a cumulative meter's total, else the latest value.

        ``producers`` (``{name: units}``) is what a compensation per unit is paid on.
        """
        meter = self.meter_yield
        if meter:
            return {"amount": meter.total, "producers": {self.producer: meter.total}, "unit": self.unit_label}
        return {} if self.latest_value is None else {"amount": self.latest_value}

    @cached_property
    def latest_reading(self):
        return self.readings[-1] if self.readings else None

    @cached_property
    def latest_value(self):
        return self.latest_reading[1] if self.latest_reading else None

    @cached_property
    def latest_time(self):
        return self.latest_reading[0] if self.latest_reading else None

    @cached_property
    def chart(self):
        """Polyline points and range for the SVG chart; None with fewer than two readings.

        Values that are not finite are left out and extreme ones are scaled safely
        (``blocks.sensors.series.chart_geometry``).
        """
        return chart_geometry(self.readings)

    @property
    def ranges(self):
        return list(RANGES)

    def latest_activity(self, changed_at, now=None):
        return self.latest_time or changed_at

    @property
    def live_for(self):
        """New readings are announced (``readings_imported``) at most once per this window, so
        a rendering of the latest value is at most this old; None when every batch is told."""
        return sensor_settings.ACTIVITY_SECONDS or None

    def reading_series(self):
        return (self["device"], self["metric"])


class SeriesNameBlock(wagtail_blocks.CharBlock):
    """A device or metric name, stored in the normal form of ``blocks.readings.series_name``."""

    def clean(self, value):
        return series_name(super().clean(value))


class IoTCardBlock(CardBlock):
    device = SeriesNameBlock(
        label=_("Device"),
        max_length=100,
        help_text=_(
            "The device's key, filled in when you choose a registered sensor above; type it only "
            "for readings imported from a file."
        ),
    )
    metric = SeriesNameBlock(
        label=_("Metric"),
        max_length=100,
        help_text=_("What the sensor measures, by its key (e.g. power); filled in with the device."),
    )
    unit = wagtail_blocks.CharBlock(
        label=_("Unit"),
        max_length=20,
        required=False,
        help_text=_("Optional: e.g. kW; empty uses the unit the device is registered with."),
    )

    def bulk_to_python(self, values):
        cards = super().bulk_to_python(values)
        load_sensor_data(cards)
        return cards

    def get_api_representation(self, value, context=None):
        """The series, its unit and the recent readings the chart shows (oldest first).

        The whole history of the series, and aggregates over it, are at the readings
        endpoints the API links from the card.
        """
        return {
            "title": value.get("title") or "",
            "device": value["device"],
            "metric": value["metric"],
            "unit": value.get("unit") or "",
            "recent": [
                {"measured_at": api_moment(measured_at), "value": reading}
                for measured_at, reading in value.readings
            ],
        }

    api_schema = {
        "type": "object",
        "properties": {
            "title": API_STRING,
            "device": API_STRING,
            "metric": API_STRING,
            "unit": API_STRING,
            "recent": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {"measured_at": API_MOMENT, "value": {"type": "number"}},
                    "required": ["measured_at", "value"],
                },
            },
        },
        "required": ["title", "device", "metric", "unit", "recent"],
    }

    class Meta:
        value_class = IoTValue
        icon = "cogs"
        # The registered sensors of the page are offered by this script (blocks.panels.CardsPanel).
        form_attrs = {"data-controller": "sensor-chooser"}
        label = _("Sensor")
        group = _("Measure")
        template = "blocks/iot.html"
        description = _("The latest reading of a sensor, with a chart of recent ones.")
        preview_value = {"title": "Opbrengst", "device": "roof-1", "metric": "power", "unit": "kW"}
