"""Storing readings, whichever way they came: checked one by one, stored in one transaction.

``ingest(device, items, now)`` takes ``items``: an iterable of ``(metric key, raw time,
raw value)`` as sent, and returns one :class:`Outcome` per item, in order:

- ``stored``: new, now stored;
- ``duplicate``: the same value at the same moment is already stored (a re-sent batch);
- ``refused``: with a ``code`` and message (the validator's codes, and ``conflict`` when a
  different value is already stored for that moment, which is kept).

Nothing refused is stored, and what is stored is stored together or not at all. The hourly
roll-ups of the touched hours are recomputed in the same transaction, and
``blocks.signals.readings_imported`` is sent once the readings are committed (at most once a
minute per series, see ``due_notifications``).
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, timedelta

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import Reading, ReadingRollup
from ..signals import readings_imported
from .conf import sensor_settings
from .validation import MetricRule, ReadingRefused, check_reading

STORED, DUPLICATE, REFUSED = "stored", "duplicate", "refused"
HOUR = timedelta(hours=1)


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
    now = now or timezone.now()
    outcomes, seen = [], {}
    for index, (metric, raw_time, raw_value) in enumerate(items):
        outcome = Outcome(index, metric=metric if isinstance(metric, str) else "")
        outcomes.append(outcome)
        if not isinstance(metric, str) or not metric:
            refuse(outcome, "unknown_metric", _("the reading names no metric"))
            continue
        try:
            outcome.measured_at, outcome.value = check_reading(
                rules.get(metric), raw_time, raw_value, now=now, wall_clock_zone=wall_clock_zone
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


def store_checked(device_key, outcomes):
    """Store the accepted outcomes (status "") of one device; sets each one's final status."""
    accepted = [outcome for outcome in outcomes if outcome.status == ""]
    if not accepted:
        return set()
    spans = {}
    for outcome in accepted:
        low, high = spans.get(outcome.metric, (outcome.measured_at, outcome.measured_at))
        spans[outcome.metric] = (min(low, outcome.measured_at), max(high, outcome.measured_at))
    with transaction.atomic():
        stored = {}
        for metric, (low, high) in spans.items():
            rows = Reading.objects.filter(
                device=device_key, metric=metric, measured_at__range=(low, high)
            ).values_list("measured_at", "value")
            stored.update({(metric, moment): value for moment, value in rows})
        new = []
        for outcome in accepted:
            previous = stored.get((outcome.metric, outcome.measured_at))
            if previous is None:
                outcome.status = STORED
                new.append(
                    Reading(device=device_key, metric=outcome.metric, measured_at=outcome.measured_at, value=outcome.value)
                )
            elif previous == outcome.value:
                outcome.status = DUPLICATE
            else:
                refuse(outcome, "conflict", _("another value is already stored for this moment"))
        # ignore_conflicts: a concurrent sender of the same batch is not an error.
        Reading.objects.bulk_create(new, batch_size=2000, ignore_conflicts=True)
        touched = {
            metric: spans[metric] for metric in {reading.metric for reading in new}
        }
        for metric, (low, high) in touched.items():
            refresh_rollups(device_key, metric, low, high)
    series = {(device_key, metric) for metric in touched}
    due = due_notifications(series)
    if due:
        transaction.on_commit(lambda: readings_imported.send(sender=Reading, series=due))
    return series


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


def hour_of(moment):
    return moment.astimezone(UTC).replace(minute=0, second=0, microsecond=0)


def refresh_rollups(device_key, metric, low, high):
    """Recompute the hourly roll-ups of a series between ``low`` and ``high`` (inclusive)."""
    start, end = hour_of(low), hour_of(high) + HOUR
    hours = defaultdict(list)
    rows = (
        Reading.objects.filter(device=device_key, metric=metric, measured_at__gte=start, measured_at__lt=end)
        .order_by("measured_at")
        .values_list("measured_at", "value")
    )
    for moment, value in rows:
        hours[hour_of(moment)].append(value)
    rollups = [
        ReadingRollup(
            device=device_key,
            metric=metric,
            hour=hour,
            count=len(values),
            total=sum(values),
            minimum=min(values),
            maximum=max(values),
            first_value=values[0],
            last_value=values[-1],
        )
        for hour, values in hours.items()
    ]
    ReadingRollup.objects.bulk_create(
        rollups,
        batch_size=1000,
        update_conflicts=True,
        unique_fields=["device", "metric", "hour"],
        update_fields=["count", "total", "minimum", "maximum", "first_value", "last_value"],
    )
