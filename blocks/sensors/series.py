"""Chart series for sensor cards: the last 24 hours, 7 days, 30 days or a year.

``series_points(device, metric, range_name, now)`` returns ``[(time, value), …]``, oldest
first, at most a few hundred points whatever the history holds:

- ``24h`` from the readings themselves (at most ``RAW_LIMIT`` of the latest, averaged into
  ``MAX_POINTS`` buckets);
- ``7d`` and ``30d`` from the hourly roll-ups (168 or 720 rows, averaged into buckets);
- ``1y`` from the hourly roll-ups averaged per local day by the database (366 rows out).

``chart_geometry(points)`` turns points into the SVG polyline the card draws: values that are
not finite are left out, and extreme ones (1e308) are scaled without overflowing.
"""

import math
from datetime import timedelta

from django.db.models import Max, Sum
from django.db.models.functions import TruncDate
from django.utils import timezone

from ..models import Reading, ReadingRollup

RANGES = {"24h": timedelta(hours=24), "7d": timedelta(days=7), "30d": timedelta(days=30), "1y": timedelta(days=365)}
DEFAULT_RANGE = "24h"
MAX_POINTS = 300
RAW_LIMIT = 5000
CHART_WIDTH, CHART_HEIGHT, CHART_PAD = 300, 80, 4


def bucketed(points, limit=MAX_POINTS):
    """At most ``limit`` points: consecutive points averaged (time of each bucket's last)."""
    if len(points) <= limit:
        return points
    size = math.ceil(len(points) / limit)
    merged = []
    for start in range(0, len(points), size):
        chunk = points[start : start + size]
        merged.append((chunk[-1][0], math.fsum(value for _t, value in chunk) / len(chunk)))
    return merged


def series_points(device, metric, range_name, now):
    since = now - RANGES[range_name]
    if range_name == "24h":
        rows = list(
            Reading.objects.filter(device=device, metric=metric, measured_at__gt=since, measured_at__lte=now)
            .order_by("-measured_at")
            .values_list("measured_at", "value")[:RAW_LIMIT]
        )
        rows.reverse()
        return bucketed(rows)
    rollups = ReadingRollup.objects.filter(
        device=device, metric=metric, hour__gt=since - timedelta(hours=1), hour__lte=now
    )
    if range_name == "1y":
        # Summed per local day by the database: 366 rows leave it, not 8,784.
        days = (
            rollups.annotate(day=TruncDate("hour", tzinfo=timezone.get_current_timezone()))
            .values("day")
            .annotate(day_total=Sum("total"), day_count=Sum("count"), day_end=Max("hour"))
            .order_by("day")
            .values_list("day_end", "day_total", "day_count")
        )
        return bucketed([(end, total / count) for end, total, count in days if count])
    hourly = [
        (hour, total / count)
        for hour, total, count in rollups.order_by("hour").values_list("hour", "total", "count")
        if count
    ]
    return bucketed(hourly)


def chart_geometry(points):
    """The SVG polyline of ``points`` (``[(time, value)]``), or None with fewer than two.

    ``{"points": "x,y …", "low", "high", "count", "since", "width", "height"}``.
    """
    finite = [(moment, value) for moment, value in points if value is not None and math.isfinite(value)]
    if len(finite) < 2:
        return None
    values = [value for _t, value in finite]
    low, high = min(values), max(values)
    # Divide before subtracting: high - low overflows to infinity for values near ±1e308.
    scale = max(abs(low), abs(high)) or 1.0
    span = (high / scale - low / scale) or 1.0
    usable = CHART_HEIGHT - 2 * CHART_PAD
    step = (CHART_WIDTH - 2 * CHART_PAD) / (len(values) - 1)
    coordinates = " ".join(
        f"{CHART_PAD + index * step:.1f},{CHART_PAD + usable - (value / scale - low / scale) / span * usable:.1f}"
        for index, value in enumerate(values)
    )
    return {
        "points": coordinates,
        "low": low,
        "high": high,
        "width": CHART_WIDTH,
        "height": CHART_HEIGHT,
        "count": len(values),
        "since": finite[0][0],
    }
