"""In headless Chromium: an initiative's editor registers a sensor and copies its token once.

The site runs in pytest-django's live server on 127.0.0.1; register_device.mjs drives
/usr/bin/chromium through playwright-core with the editor's session cookie and prints what it
saw as JSON; this test checks that and the database.
"""

from pathlib import Path

import pytest

from accounts.models import InitiativeEditors
from blocks.models import Device
from blocks.sensors.tokens import hash_token
from tests.browser import run_script, skip_without_browser
from tests.signed_in import session_cookie

SCRIPT = Path(__file__).with_name("register_device.mjs")
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
skip_without_browser()



def test_editor_registers_a_device_and_copies_its_token(live_server, make_initiative, django_user_model, tmp_path, settings):
    settings.ACCOUNTS_REQUIRE_TWO_FACTOR_FOR_ADMIN = False
    mine = make_initiative(title="Solar roof")
    make_initiative(title="Park")
    editor = django_user_model.objects.create_user("editor", "editor@example.org", "pw")
    editor.groups.add(InitiativeEditors.objects.get(initiative=mine).group)
    config = {
        "base": live_server.url,
        "editorSession": session_cookie(editor),
        "addPath": "/admin/sensor_devices/new/",
        "initiative": "Solar roof",
        "screenshots": str(tmp_path),
    }
    report = run_script(SCRIPT, config, tmp_path)
    assert "error" not in report, report["error"]
    assert "Park" not in " ".join(report["initiativeChoices"])  # only the editor's initiative
    assert "shown only this once" in report["text"]
    device = Device.objects.get(key="roof-1")
    assert device.initiative_id == mine.pk and device.producer == "Fam. Jansen"
    # Picked on the map: the fields were filled by the click, and stored as they were.
    assert device.latitude == pytest.approx(float(report["latitude"])) and -90 <= device.latitude <= 90
    assert device.longitude == pytest.approx(float(report["longitude"])) and -180 <= device.longitude <= 180
    assert device.token_hash == hash_token(report["token"])
    assert list(device.metrics.values_list("key", "unit", "cumulative")) == [("energy", "kWh", True)]
    assert report["consoleErrors"] == []
