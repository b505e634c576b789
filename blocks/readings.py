"""Reading sensor series for IoT cards, batched: one query for every series on a page."""

from django.db.models import F, Q, Window
from django.db.models.functions import RowNumber

from .models import Reading

RECENT_READINGS = 48


def recent_readings(series, limit=RECENT_READINGS):
    """Map each (device, metric) in ``series`` to its latest ``limit`` readings, oldest first."""
    series = set(series)
    found = {key: [] for key in series}
    if not series:
        return found
    matches = Q()
    for device, metric in series:
        matches |= Q(device=device, metric=metric)
    rows = (
        Reading.objects.filter(matches)
        .annotate(
            recency=Window(
                RowNumber(),
                partition_by=[F("device"), F("metric")],
                order_by=F("measured_at").desc(),
            )
        )
        .filter(recency__lte=limit)
        .order_by("device", "metric", "measured_at")
        .values_list("device", "metric", "measured_at", "value")
    )
    for device, metric, measured_at, value in rows:
        found[(device, metric)].append((measured_at, value))
    return found
