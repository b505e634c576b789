"""Turning a wall-clock time without an offset into an instant: the one rule for the project.

A local time given without a UTC offset names one instant on most days, but not around the
clock changes of the time zone (``TIME_ZONE``, Europe/Amsterdam by default):

* in spring the clocks skip an hour, so ``2026-03-29 02:30`` **does not exist**;
* in autumn they repeat one, so ``2026-10-25 02:30`` happens **twice** (+02:00, then +01:00).

Python's ``zoneinfo`` and Django's ``timezone.make_aware`` silently pick an instant in both
cases (PEP 495, ``fold=0``), which turned a non-existent 02:30 into 03:30 and made the import
drop a real 03:30 reading as "already present" (issue 15). Every place that turns such a time
into an aware one goes through :func:`make_aware`, which refuses both unless the caller
chose explicitly what it wants. Django's form fields already refuse them
(``forms.DateTimeField``: "…it may be ambiguous or it may not exist"), so forms need nothing.
"""

from datetime import UTC, datetime, tzinfo

from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

RAISE = "raise"
# Ambiguous times (the repeated hour): the first or the second time the clock shows it.
EARLIER, LATER = "earlier", "later"
# Non-existent times (the skipped hour): moved forward by the length of the gap, as a clock
# that was not put forward would show it (02:30 becomes 03:30 in spring in Amsterdam).
SHIFT_FORWARD = "shift_forward"


class WallClockError(ValueError):
    """A local time that names no instant, or two; ``str(error)`` is a message for people."""

    def __init__(self, message, value, zone):
        super().__init__(message)
        self.value, self.zone = value, zone


class NonexistentTimeError(WallClockError):
    pass


class AmbiguousTimeError(WallClockError):
    pass


def _zone_name(zone):
    return getattr(zone, "key", None) or str(zone)


def _shown(value):
    return value.strftime("%Y-%m-%d %H:%M") + (f":{value.second:02d}" if value.second else "")


def make_aware(value: datetime, zone: tzinfo | None = None, *, ambiguous=RAISE, nonexistent=RAISE) -> datetime:
    """``value`` (naive: a wall-clock time in ``zone``) as an aware datetime in ``zone``.

    ``zone`` defaults to the current time zone (``TIME_ZONE`` unless activated otherwise).
    An aware ``value`` is returned unchanged. Raises :class:`NonexistentTimeError` for a time
    the clocks skip and :class:`AmbiguousTimeError` for one they show twice, unless
    ``nonexistent=SHIFT_FORWARD`` or ``ambiguous=EARLIER``/``LATER`` says what to take.
    """
    if timezone.is_aware(value):
        return value
    zone = zone or timezone.get_current_timezone()
    first = value.replace(tzinfo=zone, fold=0)
    second = value.replace(tzinfo=zone, fold=1)
    if first.utcoffset() == second.utcoffset():
        return first
    # The offsets differ only around a transition: a time that survives the round trip
    # through UTC exists (twice: a fold); one that does not lies in a gap.
    exists = first.astimezone(UTC).astimezone(zone).replace(tzinfo=None) == value
    if not exists:
        if nonexistent == SHIFT_FORWARD:
            return first.astimezone(UTC).astimezone(zone)
        raise NonexistentTimeError(
            _(
                "%(time)s does not exist in the time zone %(zone)s: the clocks skip that hour. "
                "Give the time with its UTC offset."
            )
            % {"time": _shown(value), "zone": _zone_name(zone)},
            value,
            zone,
        )
    if ambiguous == EARLIER:
        return first
    if ambiguous == LATER:
        return second
    raise AmbiguousTimeError(
        _(
            "%(time)s happens twice in the time zone %(zone)s: the clocks are set back that night. "
            "Give the time with its UTC offset: %(first)s or %(second)s."
        )
        % {
            "time": _shown(value),
            "zone": _zone_name(zone),
            "first": first.isoformat(timespec="minutes"),
            "second": second.isoformat(timespec="minutes"),
        },
        value,
        zone,
    )


def parse_local_datetime(text: str, zone: tzinfo | None = None, **choices) -> datetime | None:
    """An ISO 8601 date and time as an aware datetime; ``None`` when ``text`` is not one.

    A time with an offset (``+02:00``, ``Z``) is taken as written; one without is a wall-clock
    time in ``zone``, checked by :func:`make_aware` (``choices`` are passed on to it, so it
    raises :class:`WallClockError` for a skipped or repeated time unless told otherwise).
    """
    try:
        moment = parse_datetime(text.strip())
    except ValueError:
        return None
    if moment is None:
        return None
    return make_aware(moment, zone, **choices)

