"""Issue 15, kind 5: untrusted nesting never takes the process down.

An editor posts a map card whose GeoJSON is 99,000 nested arrays (198 kB, under the size
limit). With the recursion limit that py_ecc sets (100,000) this once overflowed the C stack;
now the depth is measured before parsing, so the editor gets the same kind of message as at
depth 900, whatever the recursion limit of the process.
"""

import sys

import pytest
from django.contrib.auth.models import Group
from wagtail.test.utils.form_data import nested_form_data, streamfield

from initiatives.models import InitiativePage


@pytest.fixture
def editor(django_user_model):
    user = django_user_model.objects.create_user("editor", "e@example.org", "pw")
    user.groups.add(Group.objects.get(name="Editors"))
    return user


@pytest.fixture
def raised_recursion_limit():
    """The limit a process has once web3 was imported (as the task worker does)."""
    before = sys.getrecursionlimit()
    sys.setrecursionlimit(100_000)
    yield
    sys.setrecursionlimit(before)


def map_form(geojson):
    data = {
        "title": "Parkplan", "slug": "parkplan", "summary": "Een park.", "content_language": "nl",
        "municipality": "Utrecht", "latitude": "", "longitude": "", "ambitions": "", "card_order": "manual",
        "cards": streamfield([("map", {"title": "Waar", "places": streamfield([]), "geojson": geojson})]),
    }
    return nested_form_data(data)


@pytest.mark.parametrize("levels", [900, 99_000])
def test_deep_geojson_from_the_page_editor_is_a_message(client, home, editor, raised_recursion_limit, levels):
    client.force_login(editor)
    geojson = "[" * levels + "]" * levels
    response = client.post(f"/admin/pages/add/initiatives/initiativepage/{home.pk}/", map_form(geojson))
    assert response.status_code == 200
    assert "The page could not be created due to validation errors" in response.text
    assert "This GeoJSON is nested more than 64 levels deep." in response.text
    assert not InitiativePage.objects.filter(slug="parkplan").exists()
