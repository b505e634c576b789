"""The CSV import and the APIs share one validator: a registered device is held to its metrics."""

import pytest

from blocks.importers import ReadingsImportError, read_csv
from blocks.sensors.validation import ANY_METRIC, MetricRule, ReadingRefused, check_reading

HEADER = "device,metric,measured_at,value"


def refusals(lines):
    with pytest.raises(ReadingsImportError) as caught:
        read_csv([HEADER, *lines])
    return [str(problem) for problem in caught.value.problems]


def test_csv_refuses_for_a_registered_device_what_the_api_refuses(make_device):
    make_device()
    problems = refusals([
        "roof-1,voltage,2026-05-01T12:00:00+02:00,1",
        "roof-1,power,2026-05-01T12:00:00+02:00,1e308",
        "roof-1,power,2026-05-01T13:00:00+02:00,NaN",
    ])
    assert problems == [
        "line 2: the device has no such metric",
        "line 3: 1e+308 is outside the plausible range 0 to 50",
        "line 4: 'NaN' is not a finite number",
    ]


def test_csv_wall_clock_times_in_a_dst_gap_or_fold_are_refused(db):
    problems = refusals([
        "roof-9,power,2026-03-29T02:30:00,1",   # Amsterdam skips 02:00-03:00
        "roof-9,power,2026-10-25T02:30:00,1",   # and repeats 02:00-03:00
    ])
    assert "does not exist" in problems[0]
    assert "happens twice" in problems[1]
    # With the offset given, the same moments are fine.
    assert len(read_csv([HEADER, "roof-9,power,2026-10-25T02:30:00+01:00,1"])) == 1


def test_unregistered_devices_in_csv_are_checked_for_everything_but_their_metrics(db):
    readings = read_csv([HEADER, "roof-9,anything,2026-05-01T12:00:00Z,1e308"])
    assert readings[0].value == 1e308


@pytest.mark.parametrize(
    ("raw_time", "raw_value", "code"),
    [
        ("2026-05-01T12:00:00+02:00", float("inf"), "not_finite"),
        ("2026-05-01T12:00:00+02:00", 10**400, "not_finite"),
        ("2026-05-01T12:00:00+02:00", None, "not_a_number"),
        ("2026-05-01 12:00", 1, "no_offset"),
        (12345, 1, "not_a_time"),
    ],
)
def test_the_validator_refuses_with_stable_codes(raw_time, raw_value, code):
    with pytest.raises(ReadingRefused) as caught:
        check_reading(MetricRule("power", 0, 50), raw_time, raw_value)
    assert caught.value.code == code
    with pytest.raises(ReadingRefused):
        check_reading(None, "2026-05-01T12:00:00Z", 1)
    assert check_reading(ANY_METRIC, "2026-05-01T12:00:00Z", "3")[1] == 3.0
