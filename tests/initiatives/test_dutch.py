"""Visitors whose browser asks for Dutch get the public pages in Dutch."""

from datetime import timedelta

from django.utils import timezone

from tests.conftest import card


def election_card():
    now = timezone.now()
    return card("election", {"title": "", "question": "Welke bomen?", "description": "",
                             "options": [{"label": "Linde", "votes": 3}, {"label": "Eik", "votes": 1}],
                             "opens_at": (now - timedelta(days=9)).isoformat(), "closes_at": (now - timedelta(days=1)).isoformat()})


def test_dutch_visitor_sees_dutch_labels(client, make_initiative):
    page = make_initiative(slug="park", cards=[card("news", {"title": "", "items": []}), election_card()])
    html = client.get("/park/", HTTP_ACCEPT_LANGUAGE="nl").text
    assert '<html lang="nl">' in html
    assert "Naar de inhoud" in html          # skip link
    assert "Nog geen nieuws." in html        # empty news card
    assert ">Nieuws</h2>" in html            # block label as heading
    assert "De stemmen worden geteld." in html  # a closed election card
    assert "Laatste activiteit" in html
    assert page.live


def test_english_by_default(client, make_initiative):
    make_initiative(slug="park", cards=[card("news", {"title": "", "items": []})])
    html = client.get("/park/").text
    assert '<html lang="en">' in html and "No news yet." in html


def test_language_switch_form_sets_dutch(client, make_initiative):
    make_initiative(slug="park")
    response = client.post("/i18n/setlang/", {"language": "nl", "next": "/park/"})
    assert response.status_code == 302
    assert '<html lang="nl">' in client.get("/park/").text


def test_validation_messages_in_dutch():
    from django.core.exceptions import ValidationError
    from django.utils import translation

    from initiatives.hostnames import normalize_hostname

    with translation.override("nl"):
        try:
            normalize_hostname("https://buurt.nl")
        except ValidationError as error:
            assert error.messages == ["Vul alleen de domeinnaam in, zonder http:// of https://."]


def test_initiative_page_offers_joining(client, django_user_model, make_initiative):
    page = make_initiative(slug="park")
    anonymous = client.get("/park/").text
    assert "to join this initiative." in anonymous and "/accounts/login/?next=/park/" in anonymous
    client.force_login(django_user_model.objects.create_user("resident", "r@example.org", "pw"))
    html = client.get("/park/").text
    assert f'action="/accounts/initiative/{page.pk}/join/"' in html and "<legend>Join as</legend>" in html
