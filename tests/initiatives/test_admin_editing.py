"""Editors build initiative pages in Wagtail's editor."""

import pytest
from django.contrib.auth.models import Group
from wagtail.test.utils.form_data import nested_form_data, streamfield

from initiatives.models import InitiativePage


@pytest.fixture
def editor(django_user_model):
    user = django_user_model.objects.create_user("editor", "e@example.org", "pw")
    user.groups.add(Group.objects.get(name="Editors"))
    return user


def form(cards, **fields):
    data = {
        "title": "Buurtbaan", "slug": "buurtbaan", "summary": "Een baan voor de straat.", "content_language": "nl",
        "municipality": "Eindhoven", "latitude": "", "longitude": "", "ambitions": "ontmoeten",
        "card_order": "manual", "cards": streamfield(cards),
    }
    data.update(fields)
    return nested_form_data(data)


def tender(**overrides):
    value = {"title": "", "request": "Paving", "description": "", "budget_min": "100", "budget_max": "900",
             "deadline": "2030-01-01 12:00", "status": "open", "contact_name": "", "contact_email": ""}
    value.update(overrides)
    return value


def add_url(home):
    return f"/admin/pages/add/initiatives/initiativepage/{home.pk}/"


def test_editor_sees_all_five_card_types(client, home, editor):
    client.force_login(editor)
    response = client.get(add_url(home))
    assert response.status_code == 200
    for label in ["News", "Map", "Sensor", "Tender", "Election"]:
        assert f"&quot;{label}&quot;" in response.text or f'"{label}"' in response.text, label
    assert "Most recent activity first" in response.text


@pytest.fixture
def moderator(django_user_model):
    user = django_user_model.objects.create_user("moderator", "m@example.org", "pw")
    user.groups.add(Group.objects.get(name="Moderators"))
    return user


def test_editor_saves_a_draft_with_a_card(client, home, editor):
    client.force_login(editor)
    response = client.post(add_url(home), form([("tender", tender())]))
    assert response.status_code == 302
    page = InitiativePage.objects.get(slug="buurtbaan")
    assert not page.live
    draft = page.get_latest_revision_as_object()
    assert draft.cards[0].value["request"] == "Paving"


def test_moderator_publishes_initiative_with_a_card(client, home, moderator):
    client.force_login(moderator)
    response = client.post(add_url(home), form([("tender", tender())], **{"action-publish": "1"}))
    assert response.status_code == 302, response.content[:500]
    page = InitiativePage.objects.get(slug="buurtbaan")
    assert page.live
    assert page.cards[0].block_type == "tender"
    assert page.cards[0].value["request"] == "Paving"
    assert page.card_stamps and page.last_activity_at


def test_bad_card_input_shows_error_and_stores_nothing(client, home, editor):
    client.force_login(editor)
    response = client.post(add_url(home), form([("tender", tender(budget_min="900", budget_max="100"))]))
    assert response.status_code == 200
    assert "The page could not be created due to validation errors" in response.text
    assert "The upper budget must be at least the lower budget." in response.text
    assert not InitiativePage.objects.filter(slug="buurtbaan").exists()


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"latitude": "52.1"}, "Give both latitude and longitude, or neither."),
        ({"content_language": "xx"}, "Select a valid choice"),
    ],
)
def test_bad_page_fields_are_refused_and_nothing_stored(client, home, editor, fields, message):
    client.force_login(editor)
    response = client.post(add_url(home), form([], **fields))
    assert response.status_code == 200
    assert message in response.text
    assert not InitiativePage.objects.filter(slug="buurtbaan").exists()


def test_editing_keeps_existing_content_when_invalid(client, editor, make_initiative):
    page = make_initiative(slug="bestaand", cards=[])
    client.force_login(editor)
    url = f"/admin/pages/{page.pk}/edit/"
    response = client.post(url, form([("election", {"title": "", "question": "?", "description": "",
        "options": streamfield([]), "opens_at": "2030-01-02 10:00", "closes_at": "2030-01-01 10:00"})],
        slug="bestaand", **{"action-publish": "1"}))
    assert response.status_code == 200
    page.refresh_from_db()
    assert list(page.cards) == []


def test_editor_states_the_language_of_the_texts(client, home, editor):
    client.force_login(editor)
    page = client.get(add_url(home)).text
    assert 'name="content_language"' in page and "The language this initiative" in page
    response = client.post(add_url(home), form([], content_language="en"))
    assert response.status_code == 302
    assert InitiativePage.objects.get(slug="buurtbaan").get_latest_revision_as_object().content_language == "en"
