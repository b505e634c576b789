"""Reading sensor series for IoT cards, batched: one query for every series on a page."""

import unicodedata

from django.db.models import DateTimeField, Q
from django.db.models.expressions import RawSQL

from .models import Reading

RECENT_READINGS = 48


def series_name(text):
    """A device or metric name as stored and looked up: Unicode NFKC, trimmed.

    The same name typed in the card editor and written in an imported CSV must meet, however
    it was typed (full-width letters, a non-breaking space). Case is kept: sensors' own
    identifiers often tell "A1" from "a1".
    """
    return unicodedata.normalize("NFKC", str(text or "")).strip()

# The moment of the oldest of a series' latest ``limit`` readings (NULL if it has none). It
# reads ``limit`` entries of the (device, metric, -measured_at) index, so a page costs the
# same however long its sensors' history is. A window function numbering each series'
# readings, used before, reads and sorts all of them: with a year of hourly readings that
# made a page with 40 sensors take seconds. SQL, because the ORM cannot take MIN() over a
# sliced subquery (and 40 ORM subqueries cost more to build than the query takes to run).
OLDEST_SHOWN_SQL = (
    "SELECT MIN(latest.measured_at) FROM "  # noqa: S608 - the table name comes from the model
    f"(SELECT measured_at FROM {Reading._meta.db_table} WHERE device = %s AND metric = %s "
    "ORDER BY measured_at DESC LIMIT %s) AS latest"
)


def shown_series(stream):
    """The (device, metric) series the cards of ``stream`` show, as stored (``series_name``).

    Each card says which series it shows through its value's ``reading_series()``.
    """
    found = set()
    for child in stream:
        reading_series = getattr(child.value, "reading_series", None)
        series = reading_series() if callable(reading_series) else None
        if series:
            found.add(tuple(series_name(part) for part in series))
    return found


def recent_readings(series, limit=RECENT_READINGS):
    """Map each (device, metric) in ``series`` to its latest ``limit`` readings, oldest first."""
    series = set(series)
    found = {key: [] for key in series}
    if not series:
        return found
    matches = Q()
    for device, metric in series:
        oldest_shown = RawSQL(  # noqa: S611 - fixed SQL, values passed as parameters
            OLDEST_SHOWN_SQL, (device, metric, limit), output_field=DateTimeField()
        )
        # Readings are unique per moment, so this is exactly the latest ``limit`` (or fewer).
        matches |= Q(device=device, metric=metric, measured_at__gte=oldest_shown)
    rows = (
        Reading.objects.filter(matches)
        .order_by("device", "metric", "measured_at")
        .values_list("device", "metric", "measured_at", "value")
    )
    for device, metric, measured_at, value in rows:
        found[(device, metric)].append((measured_at, value))
    return found
