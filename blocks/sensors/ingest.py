"""Storing readings, whichever way they came: checked one by one, stored in one transaction.

``ingest(device, items, now)`` takes ``items``: an iterable of ``(metric key, raw time,
raw value)`` as sent, and returns one :class:`Outcome` per item, in order:

- ``stored``: new, now stored;
- ``duplicate``: the same value at the same moment is already stored (a re-sent batch);
- ``refused``: with a ``code`` and message (the validator's codes, and ``conflict`` when a
  different value is already stored for that moment, which is kept).

Nothing refused is stored, and what is stored is stored together or not at all. The hourly
roll-ups of the touched hours are recomputed in the same transaction (``.rollups``), and
``blocks.signals.readings_imported`` is sent once the readings are committed (at most once a
minute per series, see ``due_notifications``).
"""

import json
from dataclasses import dataclass

from django.core.cache import cache
from django.db import connection, transaction
from django.utils.translation import gettext as _

from ..models import Reading
from ..signals import readings_imported
from .conf import sensor_settings
from .rollups import (
    chunks,
    hour_of,
    in_list_size,
    refresh_rollups,  # noqa: F401 - where callers have found it
    refresh_series_hours,
)
from .validation import MetricRule, ReadingRefused, check_reading, latest_allowed

STORED, DUPLICATE, REFUSED = "stored", "duplicate", "refused"


@dataclass
class Outcome:
    index: int
    metric: str = ""
    measured_at: object = None
    value: float | None = None
    status: str = REFUSED
    code: str = ""
    message: str = ""

    def as_json(self):
        answer = {"index": self.index, "status": self.status}
        if self.metric:
            answer["metric"] = self.metric
        if self.measured_at is not None:
            answer["time"] = self.measured_at.isoformat()
        if self.status == REFUSED:
            answer["error"] = {"code": self.code, "message": self.message}
        return answer


def refuse(outcome, code, message):
    outcome.status, outcome.code, outcome.message = REFUSED, code, str(message)
    return outcome


def metric_rules(device):
    return {metric.key: MetricRule.of(metric) for metric in device.metrics.all()}


def check_items(rules, items, now=None, wall_clock_zone=None):
    """One Outcome per item: accepted ones have status "" (to store), the rest are refused."""
    latest = latest_allowed(now)
    outcomes, seen = [], {}
    for index, (metric, raw_time, raw_value) in enumerate(items):
        outcome = Outcome(index, metric=metric if isinstance(metric, str) else "")
        outcomes.append(outcome)
        if not isinstance(metric, str) or not metric:
            refuse(outcome, "unknown_metric", _("the reading names no metric"))
            continue
        try:
            outcome.measured_at, outcome.value = check_reading(
                rules.get(metric), raw_time, raw_value, wall_clock_zone=wall_clock_zone, latest=latest
            )
        except ReadingRefused as error:
            refuse(outcome, error.code, error.message)
            continue
        key = (metric, outcome.measured_at)
        earlier = seen.get(key)
        if earlier is None:
            seen[key] = outcome
            outcome.status = ""
        elif earlier.value == outcome.value:
            outcome.status = DUPLICATE
        else:
            refuse(outcome, "conflict", _("repeats reading %(index)s with another value") % {"index": earlier.index})
    return outcomes


class NotAllNew(Exception):
    """Some readings of a batch were stored already: undo the quick insert, sort them out."""


READING_TABLE = Reading._meta.db_table
ON_CONFLICT = "ON CONFLICT (device, metric, measured_at) DO NOTHING"
# PostgreSQL: the batch as one JSON parameter, however many readings it holds. psycopg merges
# parameters into the statement on the client: thousands of placeholders, or arrays, cost
# more to build there than the database takes to store the rows; json.dumps is C.
INSERT_JSON_SQL = (
    f"INSERT INTO {READING_TABLE} (device, metric, measured_at, value) "  # noqa: S608 - our table
    "SELECT device, metric, measured_at, value FROM jsonb_to_recordset(%s::jsonb) "
    "AS batch(device varchar, metric varchar, measured_at timestamptz, value float8) "
    f"{ON_CONFLICT}"
)
# Elsewhere (SQLite): rows of placeholders, within the database's limit of parameters.
INSERT_ROWS_SQL = f"INSERT INTO {READING_TABLE} (device, metric, measured_at, value) VALUES {{rows}} {ON_CONFLICT}"  # noqa: S608


def insert_readings(pending):
    """Insert ``pending`` (``[(device key, Outcome)]``), skipping moments already stored.

    Returns how many rows were new. Without model instances: for a batch of a thousand,
    building instances and preparing each field cost more than the database takes to store them.
    """
    if not pending:
        return 0
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            rows = [
                {"device": key, "metric": outcome.metric, "measured_at": outcome.measured_at.isoformat(), "value": outcome.value}
                for key, outcome in pending
            ]
            cursor.execute(INSERT_JSON_SQL, [json.dumps(rows)])
            return cursor.rowcount
        adapt = connection.ops.adapt_datetimefield_value
        per_statement = max(1, min(1000, (connection.features.max_query_params or 4000) // 4))
        inserted = 0
        for some in chunks(pending, per_statement):
            params = []
            for key, outcome in some:
                params += (key, outcome.metric, adapt(outcome.measured_at), outcome.value)
            cursor.execute(INSERT_ROWS_SQL.format(rows=", ".join(["(%s, %s, %s, %s)"] * len(some))), params)
            inserted += cursor.rowcount
        return inserted


def stored_values(pending):
    """``{(device, metric, measured_at): value}`` already stored at the moments of ``pending``."""
    moments = {}
    for key, outcome in pending:
        moments.setdefault((key, outcome.metric), set()).add(outcome.measured_at)
    stored = {}
    for (key, metric), wanted in moments.items():
        for some in chunks(sorted(wanted), in_list_size()):
            rows = Reading.objects.filter(device=key, metric=metric, measured_at__in=some)
            stored.update({(key, metric, moment): value for moment, value in rows.values_list("measured_at", "value")})
    return stored


def store_accepted(batches):
    """Store the accepted outcomes (status "") of ``batches`` (``{device key: [Outcome]}``).

    Sets each one's final status and returns the ``(device, metric)`` series that got new
    readings. However many devices and readings, the usual batch (all new) costs one INSERT
    and the roll-ups' three queries. When the database says some readings were stored
    already (a re-sent batch), that INSERT is undone and each reading is compared with the
    stored one: the same value is a duplicate, another value a conflict (the stored one stays).
    """
    pending = [(key, outcome) for key, outcomes in batches.items() for outcome in outcomes if outcome.status == ""]
    if not pending:
        return set()
    with transaction.atomic():
        try:
            with transaction.atomic():
                if insert_readings(pending) != len(pending):
                    raise NotAllNew
            new = pending
        except NotAllNew:
            stored = stored_values(pending)
            new = []
            for key, outcome in pending:
                previous = stored.get((key, outcome.metric, outcome.measured_at))
                if previous is None:
                    new.append((key, outcome))
                elif previous == outcome.value:
                    outcome.status = DUPLICATE
                else:
                    refuse(outcome, "conflict", _("another value is already stored for this moment"))
            # A concurrent sender of the same readings in between is not an error.
            insert_readings(new)
        hours = {}
        for key, outcome in new:
            outcome.status = STORED
            hours.setdefault((key, outcome.metric), set()).add(hour_of(outcome.measured_at))
        refresh_series_hours(hours)
    due = due_notifications(set(hours))
    if due:
        transaction.on_commit(lambda: readings_imported.send(sender=Reading, series=due))
    return set(hours)


def store_checked(device_key, outcomes):
    """``store_accepted`` for the outcomes of one device."""
    return store_accepted({device_key: outcomes})


def due_notifications(series):
    """The series whose pages have not been told of new readings in the last minute.

    Pages re-sort by the activity of the sensors they show (``readings_imported``); a sensor
    reporting every few seconds would otherwise have them do so every few seconds. The
    window is ``CTYLAB_SENSORS_ACTIVITY_SECONDS`` (60); 0 tells them every time.
    """
    seconds = sensor_settings.ACTIVITY_SECONDS
    if not seconds:
        return set(series)
    return {
        key for key in series
        if cache.add(f"ctylab:sensors:told:{key[0]}:{key[1]}", 1, timeout=seconds)
    }


def ingest(device, items, now=None):
    """Check and store ``items`` (``(metric key, raw time, raw value)``) for ``device``."""
    outcomes = check_items(metric_rules(device), items, now=now)
    store_checked(device.key, outcomes)
    return outcomes
