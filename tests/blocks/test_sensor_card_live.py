"""The sensor card's JSON: latest reading and a chart per range, from roll-ups for long ranges."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from blocks.importers import import_readings
from blocks.sensors.series import chart_geometry
from tests.conftest import card


def iot(block_id="sensor-1", device="roof-1", metric="power", unit="kW"):
    return card("iot", {"title": "Yield", "device": device, "metric": metric, "unit": unit}, block_id)


def csv(rows):
    return ["device,metric,measured_at,value", *(f"roof-1,power,{moment.isoformat()},{value!r}" for moment, value in rows)]


def hourly(hours, now=None):
    now = (now or timezone.now()).replace(microsecond=0)
    return [(now - timedelta(hours=h), float(h % 24)) for h in range(hours)]


def test_each_range_has_a_chart_and_the_latest_reading(client, make_initiative):
    import_readings(csv(hourly(24 * 400)))
    page = make_initiative(cards=[iot()])
    for range_name, most in (("24h", 24), ("7d", 170), ("30d", 722), ("1y", 366)):
        response = client.get(f"/sensors/cards/{page.pk}/sensor-1/?range={range_name}")
        assert response.status_code == 200
        data = response.json()
        assert data["range"] == range_name
        assert data["latest"]["value"] == 0.0
        assert 2 <= data["chart"]["count"] <= min(most, 300)
        assert response["Cache-Control"].startswith("public")


def test_a_year_of_history_costs_the_same_queries_as_a_day(client, make_initiative):
    page = make_initiative(cards=[iot()])
    import_readings(csv(hourly(24)))
    with CaptureQueriesContext(connection) as day:
        client.get(f"/sensors/cards/{page.pk}/sensor-1/?range=1y")
    import_readings(csv(hourly(24 * 365)))
    with CaptureQueriesContext(connection) as year:
        client.get(f"/sensors/cards/{page.pk}/sensor-1/?range=1y")
    assert len(year) == len(day)


@pytest.mark.parametrize(
    ("path", "status"),
    [("?range=5y", 400), ("", 200)],
)
def test_ranges(client, make_initiative, path, status):
    page = make_initiative(cards=[iot()])
    assert client.get(f"/sensors/cards/{page.pk}/sensor-1/{path}").status_code == status


def test_only_shown_sensor_cards_of_public_pages_answer(client, make_initiative):
    draft = make_initiative(cards=[iot()], publish=False)
    page = make_initiative(cards=[iot(), card("news", {"title": "", "items": []}, "news-1")])
    assert client.get(f"/sensors/cards/{draft.pk}/sensor-1/").status_code == 404
    assert client.get(f"/sensors/cards/{page.pk}/news-1/").status_code == 404
    assert client.get(f"/sensors/cards/{page.pk}/nothing/").status_code == 404
    assert client.get(f"/sensors/cards/{page.pk}/sensor-1/").status_code == 200


def test_extreme_values_never_break_the_chart(client, make_initiative):
    now = timezone.now().replace(microsecond=0)
    import_readings(csv([(now - timedelta(minutes=3), 1e308), (now - timedelta(minutes=2), -1e308), (now - timedelta(minutes=1), 5.0)]))
    page = make_initiative(cards=[iot()])
    html = client.get(page.url_path.replace("/ctylab-home", "", 1)).text
    data = client.get(f"/sensors/cards/{page.pk}/sensor-1/").json()
    for points in (data["chart"]["points"], html.split('<polyline points="')[1].split('"')[0]):
        coordinates = [float(number) for pair in points.split() for number in pair.split(",")]
        assert len(coordinates) == 6
        assert all(0 <= number <= 300 for number in coordinates)


def test_non_finite_values_are_left_out_of_the_chart():
    now = timezone.now()
    chart = chart_geometry([(now, 1.0), (now, float("nan")), (now, float("inf")), (now, 3.0)])
    assert chart["count"] == 2
    assert "nan" not in chart["points"] and "inf" not in chart["points"]
    assert chart_geometry([(now, float("nan")), (now, 1.0)]) is None


def test_the_page_offers_the_live_endpoint_and_range_buttons_for_scripts_only(client, make_initiative):
    page = make_initiative(cards=[iot()])
    html = client.get(page.url_path.replace("/ctylab-home", "", 1)).text
    assert f'data-live-url="/sensors/cards/{page.pk}/sensor-1/"' in html
    assert 'role="group" aria-label="Period shown" hidden data-sensor-ranges' in html
    assert "blocks/sensor-card.js" in html


def test_a_cumulative_meter_shows_its_yield_per_day_month_and_total(client, make_initiative, make_device):
    from blocks.sensors.ingest import ingest

    page = make_initiative(cards=[iot(metric="energy", unit="")])  # the unit comes from the metric
    device, _token = make_device(initiative=page)
    now = timezone.now()
    start = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
    # 100 kWh on the meter two days ago; +10 yesterday, +5 so far today.
    readings = [
        ("energy", (start - timedelta(days=2) + timedelta(hours=12)).isoformat(), 100.0),
        ("energy", (start - timedelta(days=1) + timedelta(hours=12)).isoformat(), 110.0),
        ("energy", min(start + timedelta(minutes=30), now).isoformat(), 115.0),
    ]
    assert [outcome.status for outcome in ingest(device, readings)] == ["stored"] * 3
    html = client.get(page.url_path.replace("/ctylab-home", "", 1)).text
    assert "Energy of Roof meter" in html  # display names, not keys
    summary = html.split('class="meter__summary"')[1].split("</dl>")[0]
    assert "<dt>Today</dt><dd>5 kWh</dd>" in summary
    assert "<dt>In total</dt><dd>15 kWh</dd>" in summary
    assert "<td>10</td>" in html  # yesterday, in the table per day
