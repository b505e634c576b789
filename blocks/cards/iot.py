"""IoT card: one metric of one device — the latest reading and a chart of recent ones.

Value shape::

    {"title": str, "device": str, "metric": str, "unit": str}

The readings themselves are rows of ``blocks.Reading``; all IoT cards of a page load theirs
in a single query (``bulk_to_python``). The chart is an SVG drawn on the server.
"""

from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail import blocks as wagtail_blocks

from ..readings import recent_readings, series_name
from .base import CardBlock, CardValue

CHART_WIDTH, CHART_HEIGHT, CHART_PAD = 300, 80, 4


class IoTValue(CardValue):
    # Filled by IoTCardBlock.bulk_to_python; a value built another way loads its own.
    series = None

    @property
    def series_key(self):
        """``(device, metric)`` in the normal form readings are stored under."""
        return (series_name(self["device"]), series_name(self["metric"]))

    @cached_property
    def readings(self):
        if self.series is None:
            key = self.series_key
            self.series = recent_readings([key])[key]
        return self.series

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
        """Polyline points and range for the SVG chart; None with fewer than two readings."""
        if len(self.readings) < 2:
            return None
        values = [value for _time, value in self.readings]
        low, high = min(values), max(values)
        span = (high - low) or 1.0
        step = (CHART_WIDTH - 2 * CHART_PAD) / (len(values) - 1)
        usable = CHART_HEIGHT - 2 * CHART_PAD
        points = " ".join(
            f"{CHART_PAD + index * step:.1f},{CHART_PAD + usable - (value - low) / span * usable:.1f}"
            for index, value in enumerate(values)
        )
        return {
            "points": points,
            "low": low,
            "high": high,
            "width": CHART_WIDTH,
            "height": CHART_HEIGHT,
            "count": len(values),
            "since": self.readings[0][0],
        }

    def latest_activity(self, changed_at, now=None):
        return self.latest_time or changed_at


class SeriesNameBlock(wagtail_blocks.CharBlock):
    """A device or metric name, stored in the normal form of ``blocks.readings.series_name``."""

    def clean(self, value):
        return series_name(super().clean(value))


class IoTCardBlock(CardBlock):
    device = SeriesNameBlock(label=_("Device"), max_length=100)
    metric = SeriesNameBlock(label=_("Metric"), max_length=100)
    unit = wagtail_blocks.CharBlock(label=_("Unit"), max_length=20, required=False)

    def bulk_to_python(self, values):
        cards = super().bulk_to_python(values)
        series = recent_readings(card.series_key for card in cards)
        for card in cards:
            card.series = series.get(card.series_key, [])
        return cards

    class Meta:
        value_class = IoTValue
        icon = "cogs"
        label = _("Sensor")
        group = _("Measure")
        template = "blocks/iot.html"
        description = _("The latest reading of a sensor, with a chart of recent ones.")
        preview_value = {"title": "Opbrengst", "device": "roof-1", "metric": "power", "unit": "kW"}
