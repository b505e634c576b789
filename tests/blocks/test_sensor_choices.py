"""Sensor cards are chosen, not guessed (issue 11, item 4): the editor is offered the metrics of
the initiative's devices, and the page form refuses a pair that is not known for the page."""

import json
from datetime import UTC, datetime

import pytest
from django.urls import reverse
from wagtail.test.utils.form_data import nested_form_data, streamfield

from blocks.models import Reading
from blocks.sensors.choices import sensor_choices
from tests.conftest import card


def edit(admin_client, page, cards, action=None):
    """Post the page editor's form with ``cards`` (``[(type, value)]``), as the browser does."""
    data = {
        "title": page.title, "slug": page.slug, "summary": page.summary, "content_language": "nl",
        "municipality": page.municipality, "latitude": "", "longitude": "", "ambitions": "",
        "card_order": "manual", "cards": streamfield(cards),
    }
    if action:
        data[action] = "1"
    return admin_client.post(reverse("wagtailadmin_pages:edit", args=[page.pk]), nested_form_data(data))


def sensor(device, metric, title="Opbrengst"):
    return ("iot", {"title": title, "device": device, "metric": metric, "unit": ""})


def test_the_choices_are_the_pages_own_metrics_with_their_latest_reading(make_device, make_initiative, django_assert_num_queries):
    device, _token = make_device()
    make_device(key="park-1", initiative=make_initiative(title="Park"), name="Park counter")
    Reading.objects.create(device="roof-1", metric="power", measured_at=datetime(2026, 5, 1, 12, tzinfo=UTC), value=3.5)
    Reading.objects.create(device="roof-1", metric="power", measured_at=datetime(2026, 5, 1, 13, tzinfo=UTC), value=4.25)
    with django_assert_num_queries(1):
        choices = sensor_choices(device.initiative)
    assert [(c["device"], c["metric"]) for c in choices] == [("roof-1", "power"), ("roof-1", "energy")]
    assert choices[0] == {
        "device": "roof-1", "metric": "power", "device_name": "Roof meter", "metric_name": "Power", "unit": "kW",
        "latest": {"value": 4.25, "measured_at": "2026-05-01T13:00:00+00:00"},
    }
    assert choices[1]["latest"] is None


def test_the_editor_offers_them_in_the_page(admin_client, make_device, make_initiative):
    device, _token = make_device()
    make_device(key="park-1", initiative=make_initiative(title="Park"), name="Park counter")
    html = admin_client.get(reverse("wagtailadmin_pages:edit", args=[device.initiative.pk])).text
    payload = html.split('<script id="sensor-choices" type="application/json">', 1)[1].split("</script>", 1)[0]
    data = json.loads(payload)
    assert {c["device"] for c in data["choices"]} == {"roof-1"}  # not the park's counter
    assert data["registerUrl"] == "/admin/sensor_devices/new/"
    assert "blocks/sensor-chooser.js" in html and "sensor-chooser" in html


def test_a_registered_pair_is_stored(admin_client, make_device):
    device, _token = make_device()
    page = device.initiative
    response = edit(admin_client, page, [sensor("roof-1", "energy")], "action-publish")
    assert response.status_code == 302
    page.refresh_from_db()
    assert (page.cards[0].value["device"], page.cards[0].value["metric"]) == ("roof-1", "energy")
    # Visitors read the display names, not the keys.
    html = admin_client.get(page.url).text
    assert "Energy of Roof meter" in html


@pytest.mark.parametrize(("device", "metric", "field", "message"), [
    ("roof-1", "voltage", "metric", "“Roof meter” has no metric “voltage”. Its metrics: power, energy."),
    ("park-1", "power", "device", "The sensor “park-1” belongs to another initiative."),
    ("roof-9", "power", "device", "No sensor “roof-9” with a metric “power” is known for this initiative."),
])
def test_an_unknown_pair_is_refused_at_its_field_and_nothing_is_stored(
    admin_client, make_device, make_initiative, device, metric, field, message
):
    mine, _token = make_device()
    make_device(key="park-1", initiative=make_initiative(title="Park"), name="Park counter")
    page = mine.initiative
    revisions = page.revisions.count()
    response = edit(admin_client, page, [sensor(device, metric)])
    assert response.status_code == 200
    errors = response.context["form"].errors["cards"].as_data()[0]
    # At the field: the editor's script shows it under the device or the metric.
    assert message in " ".join(errors.block_errors[0].block_errors[field].messages)
    assert page.revisions.count() == revisions


def test_stored_free_text_keys_keep_working(admin_client, make_initiative):
    """A card stored before devices were registered is not refused when the page is edited."""
    page = make_initiative(cards=[card("iot", {"title": "Oud", "device": "roof-x", "metric": "power", "unit": "kW"})])
    response = edit(admin_client, page, [sensor("roof-x", "power", title="Oud, nu met titel")], "action-publish")
    assert response.status_code == 302
    page.refresh_from_db()
    assert page.cards[0].value["title"] == "Oud, nu met titel"
    assert "power of roof-x" in admin_client.get(page.url).text  # unregistered: the keys are all there is


def test_readings_imported_for_an_unregistered_device_may_be_shown(admin_client, make_initiative):
    page = make_initiative()
    Reading.objects.create(device="csv-1", metric="temp", measured_at=datetime(2026, 5, 1, tzinfo=UTC), value=20)
    assert edit(admin_client, page, [sensor("csv-1", "temp")]).status_code == 302


def test_a_new_page_has_no_choices_and_says_where_to_register(admin_client, home):
    html = admin_client.get(f"/admin/pages/add/initiatives/initiativepage/{home.pk}/").text
    payload = html.split('<script id="sensor-choices" type="application/json">', 1)[1].split("</script>", 1)[0]
    assert json.loads(payload)["choices"] == []
