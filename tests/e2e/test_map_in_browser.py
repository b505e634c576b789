"""A map card with an unlocated GeoJSON feature (geometry null, RFC 7946 §3.2) in Chromium:
the page loads without script errors and the card lists the feature by name."""

import json

import pytest

from tests.browser import skip_without_browser
from tests.conftest import card
from tests.e2e.test_demo_in_browser import assert_accessible, assert_loaded, check_page  # noqa: F401 - fixture

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
skip_without_browser(("playwright-core", "axe-core"))

GEOJSON = json.dumps({"type": "FeatureCollection", "features": [
    {"type": "Feature", "geometry": None, "properties": {"name": "Ergens in het park"}},
    {"type": "Feature", "geometry": {"type": "Point", "coordinates": [5.12, 52.09]}, "properties": {"name": "Bankje"}},
]})


@pytest.mark.parametrize("geojson", [GEOJSON, json.dumps({"type": "Feature", "geometry": None, "properties": {"name": "Ergens"}})],
                         ids=["unlocated-and-point", "only-unlocated"])
def test_map_with_an_unlocated_feature(live_server, check_page, make_initiative, client, geojson):  # noqa: F811
    page = make_initiative(title="Parkplan", cards=[card("map", {"title": "Waar", "places": [], "geojson": geojson})])
    path = page.url_path.replace("/ctylab-home", "", 1)
    html = client.get(path).text
    for feature in json.loads(geojson).get("features", [json.loads(geojson)]):
        assert feature["properties"]["name"] in html

    report = check_page(f"http://127.0.0.1:{live_server.thread.port}{path}", "map-unlocated")

    assert_loaded(report)  # includes: no errors in the browser console
    assert [c["type"] for c in report["cards"]] == ["map"]
    assert_accessible(report)
