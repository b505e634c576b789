"""Hourly roll-ups of sensor series, computed by the database from the readings.

``refresh_hours(device_key, metric, hours)`` recomputes the ``blocks.ReadingRollup`` rows of
the given hours (aware datetimes on the hour, UTC) from the readings stored in them, and
``refresh_rollups(device_key, metric, low, high)`` those of every hour from ``low``'s to
``high``'s (inclusive). Recomputing rather than adding to the stored row keeps a roll-up
right whatever order readings arrive in (a device catching up, a re-sent batch).

The database does the summing: a batch of readings costs three queries however many series
it touches (aggregates per hour; the first and last value of each hour; one upsert), reading
only the hours the batch touched, whatever the history holds. The earlier form fetched
every reading of those hours into Python, series by series.
"""

from datetime import UTC, timedelta

from django.db import connection
from django.db.models import Count, Max, Min, Q, Sum
from django.db.models.functions import TruncHour

from ..models import Reading, ReadingRollup

HOUR = timedelta(hours=1)


def hour_of(moment):
    """The UTC hour ``moment`` falls in (an aware datetime)."""
    return moment.astimezone(UTC).replace(minute=0, second=0, microsecond=0)


def hour_runs(hours):
    """``[(start, end)]``: the sorted ``hours`` joined into runs of consecutive hours, end exclusive."""
    runs = []
    for hour in sorted(set(hours)):
        if runs and runs[-1][1] == hour:
            runs[-1][1] = hour + HOUR
        else:
            runs.append([hour, hour + HOUR])
    return [tuple(run) for run in runs]


def chunks(items, size):
    for start in range(0, len(items), size):
        yield items[start : start + size]


def in_list_size():
    """How many values one ``IN (…)`` may hold here (SQLite allows 999 parameters a query)."""
    return max(100, (connection.features.max_query_params or 10_000) - 10)


def refresh_series_hours(touched):
    """Recompute the roll-ups of ``touched``: ``{(device key, metric): UTC hours}``.

    Three queries however many series and hours: the aggregates of every touched hour, the
    value at each hour's first and last moment, and one upsert. Returns how many hours have
    readings.
    """
    runs = [
        Q(device=device, metric=metric, measured_at__gte=start, measured_at__lt=end)
        for (device, metric), hours in touched.items()
        for start, end in hour_runs(hours)
    ]
    per_hour = []
    # Usually one query; readings scattered over many hours take one per few hundred runs.
    for some in chunks(runs, in_list_size() // 4):
        within = Q()
        for run in some:
            within |= run
        per_hour += (
            Reading.objects.filter(within)
            .annotate(hour=TruncHour("measured_at", tzinfo=UTC))
            .values("device", "metric", "hour")
            .annotate(
                readings=Count("id"),
                total=Sum("value"),
                minimum=Min("value"),
                maximum=Max("value"),
                first_at=Min("measured_at"),
                last_at=Max("measured_at"),
            )
            .order_by()
        )
    if not per_hour:
        return 0
    value_at = values_at(
        {(row["device"], row["metric"], moment) for row in per_hour for moment in (row["first_at"], row["last_at"])}
    )
    ReadingRollup.objects.bulk_create(
        [
            ReadingRollup(
                device=row["device"],
                metric=row["metric"],
                hour=hour_of(row["hour"]),
                count=row["readings"],
                total=row["total"],
                minimum=row["minimum"],
                maximum=row["maximum"],
                first_value=value_at[(row["device"], row["metric"], row["first_at"])],
                last_value=value_at[(row["device"], row["metric"], row["last_at"])],
            )
            for row in per_hour
        ],
        batch_size=1000,
        update_conflicts=True,
        unique_fields=["device", "metric", "hour"],
        update_fields=["count", "total", "minimum", "maximum", "first_value", "last_value"],
    )
    return len(per_hour)


def values_at(keys):
    """``{(device, metric, moment): value}`` of the readings at ``keys``; one query per 1,000 or so."""
    per_series = {}
    for device, metric, moment in keys:
        per_series.setdefault((device, metric), []).append(moment)
    found, size = {}, in_list_size()
    terms, count = Q(), 0
    for (device, metric), moments in sorted(per_series.items()):
        for some in chunks(sorted(moments), size):
            if count and count + len(some) + 2 > size:
                found.update(_values_where(terms))
                terms, count = Q(), 0
            terms |= Q(device=device, metric=metric, measured_at__in=some)
            count += len(some) + 2
    if count:
        found.update(_values_where(terms))
    return found


def _values_where(terms):
    rows = Reading.objects.filter(terms).values_list("device", "metric", "measured_at", "value")
    return {(device, metric, moment): value for device, metric, moment, value in rows}


def refresh_hours(device_key, metric, hours):
    """Recompute the roll-ups of ``hours`` (UTC hours) of one series; returns how many hours have readings."""
    return refresh_series_hours({(device_key, metric): hours})


def refresh_rollups(device_key, metric, low, high):
    """Recompute the hourly roll-ups of a series between ``low`` and ``high`` (inclusive)."""
    start, end = hour_of(low), hour_of(high)
    hours = []
    while start <= end:
        hours.append(start)
        start += HOUR
    return refresh_hours(device_key, metric, hours)
