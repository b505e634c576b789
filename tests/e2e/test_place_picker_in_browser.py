"""In Chromium: an editor picks places by clicking the map (issue 11, item 3).

The initiative's own place and a map card's place are set by clicking the Leaflet map below
their fields in Wagtail's page editor; the draft then stores those coordinates. No tile
server answers here (every request off 127.0.0.1 is refused), which is how the editor
degrades: a blank map that still places the marker, a notice, and fields that keep working.
"""

from pathlib import Path

import pytest
from django.urls import reverse

from tests.browser import run_script, skip_without_browser
from tests.conftest import card
from tests.signed_in import session_cookie

SCRIPT = Path(__file__).with_name("place_picker.mjs")
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
skip_without_browser()


def test_editor_picks_the_initiatives_place_and_a_map_cards_place_on_the_map(
    live_server, make_initiative, admin_user, tmp_path, settings
):
    settings.ACCOUNTS_REQUIRE_TWO_FACTOR_FOR_ADMIN = False
    page = make_initiative(
        title="Buurtmoestuin",
        cards=[card("map", {"title": "Waar", "places": [
            {"label": "Kas", "description": "", "latitude": 52.09, "longitude": 5.12}
        ], "geojson": ""})],
    )
    config = {
        "base": live_server.url,
        "session": session_cookie(admin_user),
        "editPath": reverse("wagtailadmin_pages:edit", args=[page.pk]),
        "shots": str(tmp_path),
    }

    report = run_script(SCRIPT, config, tmp_path)

    assert "error" not in report, report["error"]
    assert report["consoleErrors"] == []
    assert report["maps"] == 2  # the page's place and the card's one place
    assert report["fieldsBeforeMap"] is True  # keyboard users reach the fields first
    assert report["mapLabel"].startswith("Map:")
    assert report["tileNotice"]  # the tiles were refused: the editor is told, the map still works
    picked = report["picked"]
    assert picked["page"]["latitude"] != "" and picked["card"]["latitude"] != "52.09"

    page.refresh_from_db()
    assert "has been updated" in report["afterSave"], report["afterSave"]
    draft = page.get_latest_revision_as_object()
    assert float(draft.latitude) == pytest.approx(float(picked["page"]["latitude"]), abs=1e-6)
    assert float(draft.longitude) == pytest.approx(float(picked["page"]["longitude"]), abs=1e-6)
    assert -90 <= float(draft.latitude) <= 90 and -180 <= float(draft.longitude) <= 180
    place = draft.cards[0].value["places"][0]
    assert place["label"] == "Kas"
    assert place["latitude"] == pytest.approx(float(picked["card"]["latitude"]), abs=1e-6)
    assert place["longitude"] == pytest.approx(float(picked["card"]["longitude"]), abs=1e-6)
    # Clicked to the north-east of the card's marker: the place moved that way.
    assert place["latitude"] > 52.09 and place["longitude"] > 5.12
