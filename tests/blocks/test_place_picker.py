"""The place picker's widget: two number fields that a map sets (blocks.place_picker)."""

import json
import re

import pytest
from django.urls import reverse
from wagtail.test.utils.form_data import nested_form_data, streamfield

from blocks.cards.map import PlaceBlock
from blocks.place_picker import CoordinateInput, leaflet_installed
from initiatives.models import InitiativePage
from tests.conftest import card


def test_the_latitude_field_carries_the_maps_tiles_and_texts(settings):
    settings.CTYLAB_MAP_TILES = {"URL": "https://tiles.example.org/{z}/{x}/{y}.png"}
    html = CoordinateInput("latitude").render("latitude", 52.1)
    assert 'type="number"' in html and 'value="52.1"' in html
    assert 'data-place-picker-target="latitude"' in html
    assert 'data-place-picker-tiles="https://tiles.example.org/{z}/{x}/{y}.png"' in html
    assert "OpenStreetMap" in html  # the default attribution stays when only the URL is set
    longitude = CoordinateInput("longitude").render("longitude", None)
    assert 'data-place-picker-target="longitude"' in longitude and "data-place-picker-tiles" not in longitude


def test_a_coordinate_is_latitude_or_longitude():
    with pytest.raises(ValueError):
        CoordinateInput("altitude")


def test_leaflet_is_in_the_media_only_when_installed(settings):
    assert leaflet_installed()  # node_modules/leaflet, from npm ci
    assert any("leaflet/leaflet.js" in path for path in CoordinateInput("latitude").media._js)
    settings.STATICFILES_DIRS = [entry for entry in settings.STATICFILES_DIRS if not isinstance(entry, tuple)]
    assert str(CoordinateInput("latitude").media) == ""


def test_a_map_cards_place_is_a_picker_and_still_stores_floats():
    block = PlaceBlock()
    assert block.meta.form_attrs == {"data-controller": "place-picker"}
    value = block.clean(block.to_python({"label": "Kas", "description": "", "latitude": "52.09", "longitude": 5.12}))
    assert value["latitude"] == 52.09 and value["longitude"] == 5.12
    with pytest.raises(Exception):  # noqa: B017 - StructBlockValidationError at the field
        block.clean(block.to_python({"label": "Kas", "description": "", "latitude": 91, "longitude": 5}))


@pytest.mark.django_db
def test_the_initiative_editor_and_the_device_form_draw_the_picker(admin_client, make_initiative):
    page = make_initiative(latitude="52.090700", longitude="5.121400",
                           cards=[card("map", {"title": "Waar", "places": [], "geojson": ""})])
    html = admin_client.get(reverse("wagtailadmin_pages:edit", args=[page.pk])).text
    assert 'data-controller="place-picker"' in html
    assert 'data-place-picker-target="latitude"' in html and "blocks/place-picker.js" in html
    assert "leaflet/leaflet.js" in html

    html = admin_client.get("/admin/sensor_devices/new/").text
    assert 'data-controller="place-picker"' in html and 'name="latitude"' in html


def test_typed_coordinates_still_save_without_the_map(admin_client, home):
    """The fields alone (keyboard, no script, no tiles) set the place; out of range is refused."""
    url = f"/admin/pages/add/initiatives/initiativepage/{home.pk}/"
    refused = admin_client.post(url, form(latitude="91", longitude="5.1214"))
    assert refused.status_code == 200 and "latitude" in refused.context["form"].errors
    place = {"label": "Kas", "description": "", "latitude": "52.0907", "longitude": "5.1214"}
    saved = admin_client.post(url, form(latitude="52.0907", longitude="5.1214",
                                        cards=[("map", {"title": "", "places": listblock([place]), "geojson": ""})]))
    assert saved.status_code == 302
    draft = InitiativePage.objects.get(slug="moestuin").get_latest_revision_as_object()
    assert (float(draft.latitude), float(draft.longitude)) == (52.0907, 5.1214)
    assert draft.cards[0].value["places"][0]["latitude"] == 52.0907


def form(cards=(), **fields):
    data = {
        "title": "Moestuin", "slug": "moestuin", "summary": "Samen tuinieren.", "content_language": "nl",
        "municipality": "Utrecht", "latitude": "", "longitude": "", "ambitions": "",
        "card_order": "manual", "cards": streamfield(list(cards)),
    }
    data.update(fields)
    return nested_form_data(data)


def listblock(values):
    items = {str(i): {"value": value, "deleted": "", "order": str(i), "id": f"place-{i}"} for i, value in enumerate(values)}
    return {**items, "count": str(len(values))}


def test_the_maps_texts_are_in_the_editors_language():
    from django.utils import translation

    with translation.override("nl"):
        html = CoordinateInput("latitude").render("latitude", None)
    assert "Klik op de kaart of sleep de markering" in html
    assert "Kaart: klik om de markering daar te zetten" in html


def test_a_tile_server_the_admins_policy_refuses_is_reported(settings):
    from blocks.checks import check_map_tiles

    assert check_map_tiles() == []  # OpenStreetMap, allowed by the default policy
    settings.CTYLAB_MAP_TILES = {"URL": "https://tiles.example.org/{z}/{x}/{y}.png"}
    # Neither the public policy (map cards) nor the admin's (place picker) allows it.
    assert [warning.id for warning in check_map_tiles()] == ["blocks.W001", "blocks.W001"]
    settings.CTYLAB_MAP_TILES = {"URL": "tiles/{z}/{x}/{y}.png"}
    assert [error.id for error in check_map_tiles()] == ["blocks.E001"]


def test_the_starter_form_picks_the_new_initiatives_place_too(admin_client, home):
    from catalogue.models import Starter

    Starter.objects.create(name="Energy cooperative", description="Cards for a shared roof")
    html = admin_client.get("/admin/card-catalogue/start/").text
    assert '<li data-controller="place-picker">' in html
    assert 'data-place-picker-target="latitude"' in html and 'data-place-picker-target="longitude"' in html
    assert "blocks/place-picker.js" in html and "leaflet/leaflet.css" in html


@pytest.mark.django_db
def test_the_public_map_loads_the_same_leaflet(client, make_initiative):
    page = make_initiative(cards=[card("map", {"title": "Waar", "places": [
        {"label": "Kas", "description": "", "latitude": 52.09, "longitude": 5.12}], "geojson": ""})])
    html = client.get(page.url).text
    assert "/static/leaflet/leaflet.js" in html and "/static/leaflet/leaflet.css" in html


def map_script_data(html):
    found = re.search(r'<script id="map-data-[^"]*" type="application/json">(.*?)</script>', html, re.S)
    return json.loads(found.group(1))


@pytest.mark.django_db
def test_the_public_map_draws_the_tiles_the_site_configures(client, make_initiative, settings):
    page = make_initiative(cards=[card("map", {"title": "Waar", "places": [
        {"label": "Kas", "description": "", "latitude": 52.09, "longitude": 5.12}], "geojson": ""})])
    response = client.get(page.url)
    # By default OpenStreetMap's tiles, whose credit the card itself prints; the page's
    # policy lets their images in.
    assert map_script_data(response.text)["tiles"] == {
        "url": "https://tile.openstreetmap.org/{z}/{x}/{y}.png", "attribution": ""}
    assert "https://tile.openstreetmap.org" in response.headers["Content-Security-Policy"]
    settings.CTYLAB_MAP_TILES = {
        "URL": "https://tiles.example.org/{z}/{x}/{y}.png", "ATTRIBUTION": "&copy; Example tiles"}
    assert map_script_data(client.get(page.url).text)["tiles"] == {
        "url": "https://tiles.example.org/{z}/{x}/{y}.png", "attribution": "&copy; Example tiles"}
