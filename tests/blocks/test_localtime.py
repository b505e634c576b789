"""One rule for wall-clock times without an offset: the clocks' gaps and folds (issue 15, kind 7)."""

import zoneinfo
from datetime import date, datetime

import pytest
from django import forms
from django.utils import timezone

from blocks.cards.base import AwareDateTimeBlock, start_of_day
from blocks.localtime import (
    EARLIER,
    LATER,
    SHIFT_FORWARD,
    AmbiguousTimeError,
    NonexistentTimeError,
    make_aware,
    parse_local_datetime,
)

AMSTERDAM = zoneinfo.ZoneInfo("Europe/Amsterdam")


def test_ordinary_times_get_their_offset():
    assert make_aware(datetime(2026, 3, 29, 1, 30)).isoformat() == "2026-03-29T01:30:00+01:00"
    assert make_aware(datetime(2026, 3, 29, 3, 30)).isoformat() == "2026-03-29T03:30:00+02:00"
    assert parse_local_datetime("2026-07-01T12:00:00").isoformat() == "2026-07-01T12:00:00+02:00"


def test_times_with_an_offset_are_taken_as_written():
    assert parse_local_datetime("2026-03-29T02:30:00+01:00").isoformat() == "2026-03-29T02:30:00+01:00"
    assert parse_local_datetime("2026-10-25T02:30:00Z").isoformat() == "2026-10-25T02:30:00+00:00"
    assert parse_local_datetime("yesterday") is None


def test_a_skipped_time_is_refused_unless_shifting_is_asked_for():
    with pytest.raises(NonexistentTimeError) as caught:
        make_aware(datetime(2026, 3, 29, 2, 30))
    assert str(caught.value) == (
        "2026-03-29 02:30 does not exist in the time zone Europe/Amsterdam: the clocks skip that hour. "
        "Give the time with its UTC offset."
    )
    assert make_aware(datetime(2026, 3, 29, 2, 30), nonexistent=SHIFT_FORWARD).isoformat() == (
        "2026-03-29T03:30:00+02:00"
    )


def test_a_repeated_time_is_refused_unless_a_choice_is_made():
    with pytest.raises(AmbiguousTimeError) as caught:
        make_aware(datetime(2026, 10, 25, 2, 30))
    assert "2026-10-25T02:30+02:00 or 2026-10-25T02:30+01:00" in str(caught.value)
    assert make_aware(datetime(2026, 10, 25, 2, 30), ambiguous=EARLIER).isoformat() == "2026-10-25T02:30:00+02:00"
    assert make_aware(datetime(2026, 10, 25, 2, 30), ambiguous=LATER).isoformat() == "2026-10-25T02:30:00+01:00"


def test_the_zone_in_use_decides():
    with timezone.override(zoneinfo.ZoneInfo("America/New_York")):
        with pytest.raises(NonexistentTimeError, match="America/New_York"):
            make_aware(datetime(2026, 3, 8, 2, 30))
        assert make_aware(datetime(2026, 3, 29, 2, 30)).isoformat() == "2026-03-29T02:30:00-04:00"


def test_a_day_starts_after_a_gap_at_midnight():
    # Santiago de Chile puts its clocks forward at midnight: 6 September 2026 starts at 01:00.
    with timezone.override(zoneinfo.ZoneInfo("America/Santiago")):
        assert start_of_day(date(2026, 9, 6)).isoformat() == "2026-09-06T01:00:00-03:00"
    assert start_of_day(date(2026, 3, 29)).isoformat() == "2026-03-29T00:00:00+01:00"


def test_card_times_typed_in_the_page_form_are_checked():
    # The page editor's date-time field (Django's forms.DateTimeField) refuses both.
    field = AwareDateTimeBlock().field
    for typed in ("2026-03-29 02:30", "2026-10-25 02:30"):
        with pytest.raises(forms.ValidationError, match="it may be ambiguous or it may not exist"):
            field.clean(typed)
    assert field.clean("2026-03-29 03:30").isoformat() == "2026-03-29T03:30:00+02:00"


def test_stored_card_times_without_offset_still_render():
    # Content stored before the check is read as the clocks would show it, never a crash.
    block = AwareDateTimeBlock()
    assert block.to_python("2026-03-29T02:30:00").isoformat() == "2026-03-29T03:30:00+02:00"
    assert block.to_python("2026-10-25T02:30:00").isoformat() == "2026-10-25T02:30:00+02:00"
