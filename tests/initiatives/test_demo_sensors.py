"""The demo's sensors are registered with their initiatives: cards show their names, and an
editor finds them in the sensor card's list."""

from django.core.management import call_command

from blocks.models import Device
from blocks.sensors.choices import sensor_choices
from initiatives.models import InitiativePage


def test_demo_sensors_are_registered_once_and_shown_by_name(db, client):
    call_command("load_demo_content", "--force")
    call_command("load_demo_content", "--force")
    assert sorted(Device.objects.values_list("key", flat=True)) == ["dak-buurthuis", "teller-pleintje", "vijver-sensor"]
    solar = InitiativePage.objects.get(slug="zonnedak-de-kroon")
    [choice] = sensor_choices(solar)
    assert (choice["device_name"], choice["metric_name"], choice["unit"]) == ("Dak van buurthuis De Kroon", "Vermogen", "kW")
    assert choice["latest"] is not None  # the demo's week of readings
    assert not Device.objects.filter(token_hash__gt="").exists()  # no token until an editor issues one
    html = client.get("/", HTTP_HOST="zonnedak.localhost").text
    assert "Vermogen of Dak van buurthuis De Kroon" in html
