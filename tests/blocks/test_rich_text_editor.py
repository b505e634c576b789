"""The page editor's rich text arrives as Draftail contentstate (JSON): unreadable or deeply
nested contentstate is refused with a message on the field, and nothing is stored."""

import json

import pytest
from django.contrib.auth.models import Group
from wagtail.test.utils.form_data import nested_form_data, streamfield

from initiatives.models import InitiativePage


@pytest.fixture
def editor(django_user_model):
    user = django_user_model.objects.create_user("editor", "e@example.org", "pw")
    user.groups.add(Group.objects.get(name="Editors"))
    return user


def contentstate(text):
    return json.dumps({"blocks": [{"key": "a1b2c", "type": "unstyled", "depth": 0, "text": text,
                                   "inlineStyleRanges": [], "entityRanges": []}], "entityMap": {}})


def news_form(body):
    item = {"headline": "Nieuws", "date": "2026-05-02", "body": body, "image": "", "link": ""}
    data = {
        "title": "Buurtbaan", "slug": "buurtbaan", "summary": "Een baan.", "content_language": "nl",
        "municipality": "Eindhoven", "latitude": "", "longitude": "", "ambitions": "",
        "card_order": "manual",
        "cards": streamfield([("news", {"title": "", "items": streamfield([("item", item)])})]),
    }
    return nested_form_data(data)


def add(client, home, body):
    return client.post(f"/admin/pages/add/initiatives/initiativepage/{home.pk}/", news_form(body))


def test_readable_contentstate_is_stored_as_html(client, home, editor):
    client.force_login(editor)
    response = add(client, home, contentstate("Panelen liggen er"))
    assert response.status_code == 302
    draft = InitiativePage.objects.get(slug="buurtbaan").get_latest_revision_as_object()
    assert "Panelen liggen er</p>" in draft.cards[0].value["items"][0]["body"].source


@pytest.mark.parametrize(
    "body",
    [
        "[" * 99_000 + "]" * 99_000,
        '{"blocks": ' + "[" * 900 + "]" * 900 + ', "entityMap": {}}',
        "not json",
        "[]",
        '{"blocks": 1}',
        '{"blocks": [{"key": "a", "type": "unstyled", "depth": 0, "text": "x", "inlineStyleRanges": [],'
        ' "entityRanges": [{"offset": 0, "length": 1, "key": 5}]}], "entityMap": {}}',
    ],
    ids=["99000-deep", "900-deep", "not-json", "array", "blocks-not-a-list", "missing-entity"],
)
def test_unreadable_contentstate_is_refused_with_a_message(client, home, editor, body):
    client.force_login(editor)
    response = add(client, home, body)
    assert response.status_code == 200
    assert "The page could not be created due to validation errors" in response.text
    assert "This text could not be read. Reload the editor and try again." in response.text
    assert not InitiativePage.objects.filter(slug="buurtbaan").exists()


def test_unreadable_introduction_of_the_home_page_is_refused(client, home, django_user_model):
    """The page field (a RichTextField) reads its contentstate the same way."""
    home.intro = "<p>Welkom</p>"
    home.save_revision().publish()
    admin = django_user_model.objects.create_superuser("admin", "a@example.org", "pw")
    client.force_login(admin)
    data = nested_form_data({"title": home.title, "slug": home.slug, "intro": "[" * 99_000 + "]" * 99_000,
                             "seo_title": "", "search_description": "", "go_live_at": "", "expire_at": ""})
    data.update({"comments-TOTAL_FORMS": 0, "comments-INITIAL_FORMS": 0, "comments-MIN_NUM_FORMS": 0,
                 "comments-MAX_NUM_FORMS": 1000, "action-publish": "1"})
    response = client.post(f"/admin/pages/{home.pk}/edit/", data)
    assert response.status_code == 200
    assert "This text could not be read. Reload the editor and try again." in response.text
    home.refresh_from_db()
    assert "Welkom</p>" in home.intro
