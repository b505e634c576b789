"""The one reading validator: the CSV import, the HTTP API and MQTT accept and refuse the same.

``check_reading(rule, raw_time, raw_value, now=..., wall_clock_zone=None)`` returns
``(measured_at, value)`` — an aware datetime and a finite float — or raises
:class:`ReadingRefused` with a ``code`` (stable, for machines) and a translated message:

==================  =====================================================================
code                refused because
==================  =====================================================================
``unknown_metric``  the device has no such metric (``rule`` is None for a known device)
``not_a_number``    the value is not a number (JSON number or numeric text; not a boolean)
``not_finite``      NaN or ±infinity (also what ``1e400`` becomes)
``out_of_range``    outside the metric's plausible range (``1e308`` for a kWh meter)
``not_a_time``      not an ISO 8601 / RFC 3339 date and time
``no_offset``       a wall-clock time without a UTC offset, where one is required (the APIs)
``nonexistent``     a wall-clock time in a daylight-saving gap (CSV without offsets)
``ambiguous``       a wall-clock time that occurs twice when clocks go back (CSV)
``in_future``       later than now plus ``CTYLAB_SENSORS_CLOCK_SKEW_SECONDS``
==================  =====================================================================

A :class:`MetricRule` is what the validator needs to know of a metric. Readings of a
device that is not registered (CSV files of older installations) have ``rule=ANY_METRIC``:
every other check still applies.
"""

import math
from dataclasses import dataclass
from datetime import timedelta

from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from ..localtime import AmbiguousTimeError, NonexistentTimeError, make_aware
from .conf import sensor_settings


class ReadingRefused(ValueError):
    def __init__(self, code, message):
        self.code = code
        self.message = message
        super().__init__(message)


@dataclass(frozen=True)
class MetricRule:
    key: str
    minimum: float | None = None
    maximum: float | None = None

    @classmethod
    def of(cls, metric):
        return cls(metric.key, metric.minimum, metric.maximum)


ANY_METRIC = MetricRule("")


def parse_value(raw):
    if isinstance(raw, bool) or raw is None:
        raise ReadingRefused("not_a_number", _("%(value)r is not a number") % {"value": raw})
    if isinstance(raw, int | float):
        try:
            value = float(raw)
        except OverflowError:  # an integer beyond any float
            value = math.inf
    else:
        text = str(raw).strip()
        try:
            value = float(text)
        except ValueError:
            raise ReadingRefused("not_a_number", _("%(value)r is not a number") % {"value": text}) from None
    if not math.isfinite(value):
        raise ReadingRefused("not_finite", _("%(value)r is not a finite number") % {"value": raw})
    return value


def wall_clock_to_aware(naive, zone):
    """``naive`` read on the clocks of ``zone``; refuses times skipped or repeated by DST
    (the project's one rule: ``blocks.localtime.make_aware``)."""
    try:
        return make_aware(naive, zone)
    except NonexistentTimeError as error:
        raise ReadingRefused("nonexistent", str(error)) from None
    except AmbiguousTimeError as error:
        raise ReadingRefused("ambiguous", str(error)) from None


def parse_time(raw, wall_clock_zone=None):
    """An aware datetime from ISO 8601 text (``Z`` or ``±hh:mm``).

    Without an offset the time is refused, unless ``wall_clock_zone`` says whose clocks it
    was read on (CSV files); then a time in a DST gap or fold is refused instead.
    """
    text = raw.strip() if isinstance(raw, str) else None
    try:
        parsed = parse_datetime(text) if text else None
    except ValueError:
        parsed = None
    if parsed is None:
        raise ReadingRefused(
            "not_a_time", _("%(value)r is not a date and time (ISO 8601)") % {"value": raw}
        )
    if timezone.is_naive(parsed):
        if wall_clock_zone is None:
            raise ReadingRefused(
                "no_offset",
                _("%(value)r has no UTC offset (add Z or e.g. +01:00)") % {"value": text},
            )
        parsed = wall_clock_to_aware(parsed, wall_clock_zone)
    return parsed


def latest_allowed(now=None):
    """The latest time a reading may have: now plus ``CTYLAB_SENSORS_CLOCK_SKEW_SECONDS``."""
    return (now or timezone.now()) + timedelta(seconds=sensor_settings.CLOCK_SKEW_SECONDS)


def check_reading(rule, raw_time, raw_value, now=None, wall_clock_zone=None, latest=None):
    """``(measured_at, value)`` of a reading, or ReadingRefused (see the module's table).

    ``latest`` is ``latest_allowed(now)``, for callers checking a batch to work out once.
    """
    if rule is None:
        raise ReadingRefused("unknown_metric", _("the device has no such metric"))
    measured_at = parse_time(raw_time, wall_clock_zone)
    value = parse_value(raw_value)
    if rule.minimum is not None and value < rule.minimum or rule.maximum is not None and value > rule.maximum:
        raise ReadingRefused(
            "out_of_range",
            _("%(value)s is outside the plausible range %(minimum)s to %(maximum)s")
            % {"value": f"{value:g}", "minimum": f"{rule.minimum:g}", "maximum": f"{rule.maximum:g}"},
        )
    if measured_at > (latest or latest_allowed(now)):
        raise ReadingRefused(
            "in_future", _("%(time)s is in the future") % {"time": measured_at.isoformat()}
        )
    if measured_at.year < 1970 or measured_at.year > 9998:
        raise ReadingRefused("not_a_time", _("%(value)r is out of range") % {"value": raw_time})
    return measured_at, value
