"""Reading sensor series for IoT cards, batched: one query for every series on a page."""

import unicodedata

from .models import Reading

RECENT_READINGS = 48


def series_name(text):
    """A device or metric name as stored and looked up: Unicode NFKC, trimmed.

    The same name typed in the card editor and written in an imported CSV must meet, however
    it was typed (full-width letters, a non-breaking space). Case is kept: sensors' own
    identifiers often tell "A1" from "a1".
    """
    return unicodedata.normalize("NFKC", str(text or "")).strip()


# One branch per series, each the latest ``limit`` entries of the (device, metric,
# -measured_at) index, so a page costs the same however long its sensors' history is. The
# branches are glued with UNION ALL into one query. Two earlier forms read the whole history:
# a window function numbering each series' readings (seconds for 40 sensors with a year of
# hourly readings), and one OR of "measured_at >= (the oldest of the latest limit)" per
# series, for which PostgreSQL cannot know how few rows qualify and scans the table (100 ms
# with a year of per-minute readings). SQL, because the ORM cannot slice the members of a
# UNION on every database, and 40 ORM subqueries cost more to build than the query takes.
LATEST_OF_SERIES_SQL = (
    "SELECT * FROM (SELECT id, device, metric, measured_at, value "  # noqa: S608 - the table name comes from the model
    f"FROM {Reading._meta.db_table} WHERE device = %s AND metric = %s "
    "ORDER BY measured_at DESC LIMIT %s) AS series_{number}"
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


def reading_card_types():
    """The names of the registered card types that can show readings: those whose value
    class declares its own ``reading_series()`` (``blocks.cards.base.CardValue``).

    So another app finds the cards that new readings concern without naming a card type.
    """
    from .cards.base import CardValue
    from .registry import registry

    return sorted(
        name
        for name, card_type in registry.types.items()
        if getattr(card_type.block.meta.value_class, "reading_series", None)
        not in (None, CardValue.reading_series)
    )


def recent_readings(series, limit=RECENT_READINGS):
    """Map each (device, metric) in ``series`` to its latest ``limit`` readings, oldest first."""
    series = set(series)
    found = {key: [] for key in series}
    if not series:
        return found
    series = sorted(series)
    sql = " UNION ALL ".join(LATEST_OF_SERIES_SQL.format(number=number) for number in range(len(series)))
    params = [value for device, metric in series for value in (device, metric, limit)]
    # raw() converts the database's values (SQLite keeps times as text).
    for reading in Reading.objects.raw(sql, params):  # noqa: S611 - fixed SQL, values passed as parameters
        found[(reading.device, reading.metric)].append((reading.measured_at, reading.value))
    for readings in found.values():
        readings.sort(key=lambda reading: reading[0])
    return found
