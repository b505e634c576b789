"""Sensor readings as open data: a series in a time range, aggregates, JSON and CSV."""

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

pytestmark = pytest.mark.django_db


def base(platform):
    return f"/api/v2/initiatives/{platform['zonnedak'].pk}/cards/iot-1"


def test_readings_in_a_range_oldest_first_and_paged(client, platform):
    data = client.get(f"{base(platform)}/readings/", {"limit": 10, "offset": 5}).json()
    assert (data["device"], data["metric"], data["unit"]) == ("roof-1", "power", "kW")
    # The default range is the last week: all 100 hourly readings.
    assert data["meta"]["total_count"] == 100
    assert [item["value"] for item in data["items"]] == [float(n) for n in range(5, 15)]
    since = data["items"][0]["measured_at"]
    until = data["items"][3]["measured_at"]
    ranged = client.get(f"{base(platform)}/readings/", {"since": since, "until": until}).json()
    assert [item["value"] for item in ranged["items"]] == [5.0, 6.0, 7.0]  # until is exclusive


def test_readings_as_csv(client, platform):
    response = client.get(f"{base(platform)}/readings.csv", {"limit": 3})
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["measured_at", "value"] and [row[1] for row in rows[1:]] == ["0.0", "1.0", "2.0"]


def test_aggregates_per_day_and_as_csv(client, platform):
    data = client.get(f"{base(platform)}/aggregates/", {"interval": "day"}).json()
    assert sum(bucket["count"] for bucket in data["items"]) == 100
    first = data["items"][0]
    assert first["min"] <= first["mean"] <= first["max"]
    assert client.get(f"{base(platform)}/aggregates/", {"interval": "minute"}).status_code == 400
    rows = list(csv.reader(io.StringIO(client.get(f"{base(platform)}/aggregates.csv").content.decode())))
    assert rows[0] == ["start", "count", "min", "max", "mean"] and len(rows) > 2


@pytest.mark.parametrize(
    "params", [{"since": "yesterday"}, {"until": "2026-13-01T00:00:00Z"}, {"limit": "-1"}, {"offset": "²"}]
)
def test_bad_ranges_and_counts_are_refused_with_a_message(client, platform, params):
    response = client.get(f"{base(platform)}/readings/", params)
    assert response.status_code == 400 and response.json()["message"]


def test_a_long_range_of_hours_is_shortened_not_refused(client, platform, settings):
    settings.CTYLAB_OPENDATA_MAX_READINGS = 24
    data = client.get(
        f"{base(platform)}/aggregates/", {"interval": "hour", "since": "2000-01-01T00:00:00Z"}
    ).json()
    assert len(data["items"]) <= 25 and data["since"] > "2026"


def test_an_answer_costs_the_same_queries_for_short_and_long_ranges(client, platform):
    def queries(**params):
        with CaptureQueriesContext(connection) as captured:
            assert client.get(f"{base(platform)}/readings/", params).status_code == 200
        return len(captured)

    queries(limit=1)
    assert queries(limit=1) == queries(limit=1000)
