"""In Chromium: an editor chooses a sensor for a sensor card from the initiative's registered
devices (issue 11, item 4), is refused an unknown metric at its field, and visitors of the
published page read the device's and the metric's display names, not their keys."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone

from blocks.models import Reading
from tests.blocks.conftest import make_device  # noqa: F401 - fixture
from tests.browser import run_script, skip_without_browser
from tests.conftest import card
from tests.signed_in import session_cookie

SCRIPT = Path(__file__).with_name("sensor_chooser.mjs")
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
skip_without_browser()


def test_editor_chooses_a_registered_sensor_and_visitors_read_its_names(
    live_server, make_initiative, make_device, admin_user, tmp_path, settings,  # noqa: F811
):
    settings.ACCOUNTS_REQUIRE_TWO_FACTOR_FOR_ADMIN = False
    # As a starter leaves it: a sensor card with keys no device was registered under yet.
    page = make_initiative(title="Buurtbatterij", cards=[
        card("iot", {"title": "Batterij", "device": "battery-1", "metric": "charge", "unit": ""}),
    ])
    make_device(key="dak-1", initiative=page, name="Dak buurthuis", metrics=[
        {"key": "vermogen", "name": "Vermogen", "unit": "kW", "minimum": 0, "maximum": 50},
        {"key": "opbrengst", "name": "Opbrengst", "unit": "kWh", "minimum": 0, "maximum": 1e7, "cumulative": True},
    ])
    make_device(key="park-1", initiative=make_initiative(title="Park"), name="Parkteller")
    now = timezone.now()
    Reading.objects.bulk_create([
        Reading(device="dak-1", metric="vermogen", measured_at=now - timedelta(minutes=minutes), value=value)
        for minutes, value in ((30, 3.5), (10, 4.25))
    ])
    config = {
        "base": live_server.url,
        "session": session_cookie(admin_user),
        "editPath": reverse("wagtailadmin_pages:edit", args=[page.pk]),
        "publicPath": page.url_path.replace("/ctylab-home", "", 1),
        "choose": "dak-1\u001fvermogen",
        "shots": str(tmp_path),
    }

    report = run_script(SCRIPT, config, tmp_path)

    assert "error" not in report, report["error"]
    assert report["consoleErrors"] == []
    options = report["options"]
    assert any(o.startswith("Dak buurthuis — Vermogen: 4.25 kW") for o in options), options
    assert any(o == "Dak buurthuis — Opbrengst (no readings yet)" for o in options), options
    assert not any("Parkteller" in o for o in options)  # another initiative's sensor
    assert report["selectedBefore"] == "typed"  # the stored free-text keys, still there
    assert report["afterChoosing"] == {"device": "dak-1", "metric": "vermogen"}
    assert "“Dak buurthuis” has no metric “spanning”" in report["refusal"]
    assert report["publicStatus"] == 200
    assert "Vermogen of Dak buurthuis" in report["publicCard"]
    assert "dak-1" not in report["publicCard"] and "vermogen" not in report["publicCard"]
    assert "4.25" in report["publicCard"]

    page.refresh_from_db()
    assert page.live and (page.cards[0].value["device"], page.cards[0].value["metric"]) == ("dak-1", "vermogen")
