"""IoT card: one metric of one device — the latest reading and a chart of recent ones.

Value shape::

    {"title": str, "device": str, "metric": str, "unit": str}

The readings themselves are rows of ``blocks.Reading``; all IoT cards of a page load theirs
in a single query (``bulk_to_python``). The chart is an SVG drawn on the server.
"""

from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail import blocks as wagtail_blocks

from ..readings import recent_readings
from ..sensors.series import RANGES, chart_geometry
from .base import CardBlock, CardValue


class IoTValue(CardValue):
    # Filled by IoTCardBlock.bulk_to_python; a value built another way loads its own.
    series = None

    @cached_property
    def readings(self):
        if self.series is None:
            key = (self["device"], self["metric"])
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


class IoTCardBlock(CardBlock):
    device = wagtail_blocks.CharBlock(label=_("Device"), max_length=100)
    metric = wagtail_blocks.CharBlock(label=_("Metric"), max_length=100)
    unit = wagtail_blocks.CharBlock(label=_("Unit"), max_length=20, required=False)

    def bulk_to_python(self, values):
        cards = super().bulk_to_python(values)
        series = recent_readings((card["device"], card["metric"]) for card in cards)
        for card in cards:
            card.series = series.get((card["device"], card["metric"]), [])
        return cards

    class Meta:
        value_class = IoTValue
        icon = "cogs"
        label = _("Sensor")
        group = _("Measure")
        template = "blocks/iot.html"
        description = _("The latest reading of a sensor, with a chart of recent ones.")
        preview_value = {"title": "Opbrengst", "device": "roof-1", "metric": "power", "unit": "kW"}
