"""The yield of cumulative meters (kWh produced): per day, per month and in total.

A meter's value at a moment is the last reading before it; the yield of a period is the
value at its end minus the value at its start (the first reading ever, if the meter started
within the period). A meter that goes down was replaced or reset: that period counts 0.

``meter_yields(series, now)`` answers for every ``(device, metric)`` of a page in **one**
query, whatever the length of the history: each boundary (the starts of the last 7 local
days and 12 local months) is one index lookup in the hourly roll-ups.
"""

from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

from django.db import connection
from django.utils import timezone

from ..models import ReadingRollup

DAYS, MONTHS = 7, 12


@dataclass
class MeterYield:
    days: list = field(default_factory=list)     # [(date, amount)], oldest first, today last
    months: list = field(default_factory=list)   # [(first day of month, amount)], this month last
    total: float = 0.0

    @property
    def today(self):
        return self.days[-1][1] if self.days else 0.0

    @property
    def this_month(self):
        return self.months[-1][1] if self.months else 0.0


def month_starts(today, count):
    starts, year, month = [], today.year, today.month
    for _index in range(count):
        starts.append(today.replace(year=year, month=month, day=1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return list(reversed(starts))


def midnight(day):
    return timezone.make_aware(datetime.combine(day, time.min))


def boundaries(now):
    today = timezone.localdate(now)
    days = [today - timedelta(days=offset) for offset in range(DAYS - 1, -1, -1)]
    months = month_starts(today, MONTHS)
    return days, months


def meter_yields(series, now=None):
    """``{(device, metric): MeterYield}`` for the cumulative ``series``, in one query."""
    series = sorted(set(series))
    if not series:
        return {}
    now = now or timezone.now()
    days, months = boundaries(now)
    moments = sorted({midnight(day) for day in days} | {midnight(month) for month in months})
    table = ReadingRollup._meta.db_table
    before = f"(SELECT last_value FROM {table} WHERE device = %s AND metric = %s AND hour < %s ORDER BY hour DESC LIMIT 1)"  # noqa: S608
    first = f"(SELECT first_value FROM {table} WHERE device = %s AND metric = %s ORDER BY hour ASC LIMIT 1)"  # noqa: S608
    latest = f"(SELECT last_value FROM {table} WHERE device = %s AND metric = %s ORDER BY hour DESC LIMIT 1)"  # noqa: S608
    columns, params = [], []
    for device, metric in series:
        columns += [first, latest]
        params += [device, metric, device, metric]
        for moment in moments:
            columns.append(before)
            # Raw SQL: the database's own datetime form (SQLite stores UTC text).
            params += [device, metric, connection.ops.adapt_datetimefield_value(moment)]
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(columns), params)
        row = cursor.fetchone()
    width = 2 + len(moments)
    found = {}
    for index, key in enumerate(series):
        values = row[index * width : (index + 1) * width]
        first_value, latest_value = values[0], values[1]
        if first_value is None:
            found[key] = MeterYield(
                days=[(day, 0.0) for day in days], months=[(month, 0.0) for month in months]
            )
            continue
        at = dict(zip(moments, values[2:], strict=True))

        def meter(moment, at=at, first_value=first_value):
            value = at.get(moment)
            return first_value if value is None else value

        def amount(start, end):
            return max(0.0, end - start)

        day_amounts = [
            (day, amount(meter(midnight(day)), meter(midnight(days[i + 1])) if i + 1 < len(days) else latest_value))
            for i, day in enumerate(days)
        ]
        month_amounts = [
            (month, amount(meter(midnight(month)), meter(midnight(months[i + 1])) if i + 1 < len(months) else latest_value))
            for i, month in enumerate(months)
        ]
        found[key] = MeterYield(days=day_amounts, months=month_amounts, total=amount(first_value, latest_value))
    return found
