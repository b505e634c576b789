"""Editors register their initiative's devices in the admin; tokens are shown once."""

import re

import pytest

from accounts.models import InitiativeEditors
from blocks.models import Device, Metric
from blocks.sensors.tokens import hash_token

ADD_URL = "/admin/sensor_devices/new/"


@pytest.fixture
def two_initiatives(make_initiative):
    return make_initiative(title="Solar roof"), make_initiative(title="Park")


@pytest.fixture
def editor_client(client, django_user_model, two_initiatives):
    mine, _other = two_initiatives
    user = django_user_model.objects.create_user("editor", "editor@example.org", "pw")
    user.groups.add(InitiativeEditors.objects.get(initiative=mine).group)
    client.force_login(user)
    return client


def form_data(initiative, key="roof-1", **overrides):
    data = {
        "initiative": initiative.pk,
        "name": "Roof meter",
        "key": key,
        "latitude": "52.09",
        "longitude": "5.12",
        "metrics-TOTAL_FORMS": "1",
        "metrics-INITIAL_FORMS": "0",
        "metrics-MIN_NUM_FORMS": "1",
        "metrics-MAX_NUM_FORMS": "1000",
        "metrics-0-key": "energy",
        "metrics-0-name": "Energy produced",
        "metrics-0-unit": "kWh",
        "metrics-0-minimum": "0",
        "metrics-0-maximum": "1000000",
        "metrics-0-cumulative": "on",
        "metrics-0-source": "",
        "metrics-0-ORDER": "1",
        "metrics-0-id": "",
        "metrics-0-DELETE": "",
    }
    data.update(overrides)
    return data


def shown_token(response):
    return re.search(r'id="device-token" type="text" readonly value="([^"]+)"', response.text).group(1)


def test_editor_registers_a_device_and_sees_its_token_once(editor_client, two_initiatives):
    mine, _other = two_initiatives
    response = editor_client.post(ADD_URL, form_data(mine))
    assert response.status_code == 200
    token = shown_token(response)
    device = Device.objects.get(key="roof-1")
    assert device.initiative_id == mine.pk
    assert device.token_hash == hash_token(token)
    assert list(device.metrics.values_list("key", "unit", "cumulative")) == [("energy", "kWh", True)]
    edit = editor_client.get(f"/admin/sensor_devices/edit/{device.pk}/")
    assert edit.status_code == 200
    assert token not in edit.text


def test_editor_cannot_register_a_device_for_another_initiative(editor_client, two_initiatives):
    _mine, other = two_initiatives
    response = editor_client.post(ADD_URL, form_data(other))
    assert response.status_code == 200
    assert "Select a valid choice" in response.text
    assert not Device.objects.exists()


def test_an_empty_plausible_range_is_refused(editor_client, two_initiatives):
    mine, _other = two_initiatives
    response = editor_client.post(ADD_URL, form_data(mine, **{"metrics-0-minimum": "10", "metrics-0-maximum": "5"}))
    assert "The highest value must be above the lowest." in response.text
    assert not Device.objects.exists()


def test_editor_sees_and_edits_only_their_initiatives_devices(editor_client, two_initiatives):
    mine, other = two_initiatives
    theirs = Device.objects.create(initiative=other, key="park-1", name="Park air")
    ours = Device.objects.create(initiative=mine, key="roof-1", name="Roof meter")
    listing = editor_client.get("/admin/sensor_devices/")
    assert "Roof meter" in listing.text and "Park air" not in listing.text
    assert editor_client.get(f"/admin/sensor_devices/edit/{theirs.pk}/").status_code == 404
    assert editor_client.get(f"/admin/sensor_devices/token/{theirs.pk}/").status_code == 404
    assert editor_client.post(f"/admin/sensor_devices/delete/{theirs.pk}/").status_code == 404
    assert editor_client.get(f"/admin/sensor_devices/edit/{ours.pk}/").status_code == 200
    assert Device.objects.filter(pk=theirs.pk).exists()


def test_the_key_cannot_change_once_registered(editor_client, two_initiatives):
    mine, _other = two_initiatives
    device = Device.objects.create(initiative=mine, key="roof-1", name="Roof meter")
    metric = Metric.objects.create(device=device, key="power", name="Power", minimum=0, maximum=10)
    data = form_data(mine, key="renamed", name="Roof meter 2", **{
        "metrics-INITIAL_FORMS": "1", "metrics-0-id": str(metric.pk), "metrics-0-key": "power",
        "metrics-0-maximum": "10", "metrics-0-cumulative": "",
    })
    response = editor_client.post(f"/admin/sensor_devices/edit/{device.pk}/", data)
    assert response.status_code == 302
    device.refresh_from_db()
    assert (device.key, device.name) == ("roof-1", "Roof meter 2")


def test_rotating_shows_a_new_token_and_revoking_refuses_the_device(editor_client, two_initiatives):
    mine, _other = two_initiatives
    device = Device.objects.create(initiative=mine, key="roof-1", name="Roof meter")
    page = editor_client.get(f"/admin/sensor_devices/token/{device.pk}/")
    assert "has no valid token" in page.text
    rotated = editor_client.post(f"/admin/sensor_devices/token/{device.pk}/", {"action": "rotate"})
    token = shown_token(rotated)
    device.refresh_from_db()
    assert device.token_hash == hash_token(token)
    revoked = editor_client.post(f"/admin/sensor_devices/token/{device.pk}/", {"action": "revoke"})
    assert revoked.status_code == 200
    device.refresh_from_db()
    assert device.token_hash == ""


def test_a_resident_without_initiatives_has_no_sensors_admin(client, django_user_model, two_initiatives):
    from django.contrib.auth.models import Permission

    user = django_user_model.objects.create_user("resident", "r@example.org", "pw")
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(user)
    assert client.get("/admin/sensor_devices/").status_code in (302, 403)
    assert client.post(ADD_URL, form_data(two_initiatives[0])).status_code in (302, 403)
    assert not Device.objects.exists()
