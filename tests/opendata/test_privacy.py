"""Nothing in the API that the HTML would not show an anonymous visitor."""

import json

import pytest
from django.test import Client

from catalogue.models import CardTypeEntry
from catalogue.services import sync_card_types

pytestmark = pytest.mark.django_db

SECRETS = ("Geheim plan", "Alleen leden", "Onder slot", "secret-1", "members-1")


def everything(client, platform):
    """Every answer the API gives about the platform, as one text."""
    urls = ["/api/v2/initiatives/?limit=100", "/api/v2/decisions/"]
    for page in platform.values():
        urls += [
            f"/api/v2/initiatives/{page.pk}/",
            f"/api/v2/initiatives/{page.pk}/decisions/",
            f"/api/v2/initiatives/{page.pk}/governance-log/",
            f"/api/v2/initiatives/{page.pk}/cards/iot-1/readings/",
            f"/api/v2/initiatives/{page.pk}/cards/iot-1/aggregates/",
        ]
    return "\n".join(client.get(url).content.decode() for url in urls)


def test_drafts_restricted_pages_and_pages_under_them_are_never_published(client, platform):
    text = everything(client, platform)
    for secret in SECRETS:
        assert secret not in text
    for name in ("draft", "restricted", "under_restricted"):
        page = platform[name]
        assert client.get(f"/api/v2/initiatives/{page.pk}/").status_code == 404
        assert client.get(f"/api/v2/initiatives/{page.pk}/cards/iot-1/readings/").status_code == 404


def test_a_page_under_an_unpublished_page_is_not_published(client, platform, make_initiative):
    child = make_initiative(parent=platform["sub"], title="Kleinkind")
    platform["sub"].unpublish()
    assert client.get(f"/api/v2/initiatives/{child.pk}/").status_code == 404
    assert "Kleinkind" not in client.get("/api/v2/initiatives/").content.decode()


def test_a_signed_in_visitor_who_passed_a_restriction_still_gets_only_public_data(platform):
    # The API reads no session: a password accepted on the page does not open the API.
    browser = Client()
    restricted = platform["restricted"]
    session = browser.session
    session["wagtail-page-view-restrictions"] = [restricted.view_restrictions.get().pk]
    session.save()
    assert browser.get(f"/api/v2/initiatives/{restricted.pk}/").status_code == 404


def test_cards_of_a_type_the_catalogue_hides_are_left_out_with_their_readings(client, platform):
    sync_card_types()
    CardTypeEntry.objects.filter(name__in=["iot", "tender"]).update(enabled=False, when_disabled="hide")
    page = platform["zonnedak"]
    data = client.get(f"/api/v2/initiatives/{page.pk}/").json()
    assert {card["type"] for card in data["cards"]} == {"news", "map", "election", "pledge"}
    assert "henk@example.org" not in json.dumps(data)
    assert client.get(f"/api/v2/initiatives/{page.pk}/cards/iot-1/readings/").status_code == 404
    assert client.get(f"/api/v2/initiatives/{page.pk}/cards/iot-1/readings.csv").status_code == 404


def test_election_cards_never_publish_typed_counts_as_on_the_page(client, make_initiative):
    """Tallies come only from ballots, with the decision; old typed-in counts stay hidden."""
    from tests.conftest import card
    from tests.opendata.conftest import moment

    value = {
        "title": "", "question": "Q?", "description": "",
        "options": [{"label": "A", "votes": 3}, {"label": "B", "votes": 5}],
        "opens_at": moment(-3), "closes_at": moment(-1),
    }
    closed = make_initiative(cards=[card("election", value, "e-closed")])
    running = make_initiative(cards=[card("election", {**value, "closes_at": moment(2)}, "e-open")])
    closed_card = client.get(f"/api/v2/initiatives/{closed.pk}/").json()["cards"][0]["value"]
    assert closed_card["results"] is None and "votes" not in json.dumps(closed_card)
    assert closed_card["options"] == ["A", "B"]
    running_card = client.get(f"/api/v2/initiatives/{running.pk}/").json()["cards"][0]["value"]
    assert running_card["results"] is None and "votes" not in json.dumps(running_card)


def test_only_readings_of_a_visible_sensor_card(client, platform):
    page = platform["zonnedak"]
    # A card id that is not a sensor card, and one that does not exist.
    assert client.get(f"/api/v2/initiatives/{page.pk}/cards/news-1/readings/").status_code == 404
    assert client.get(f"/api/v2/initiatives/{page.pk}/cards/nope/readings/").status_code == 404


def test_the_log_withholds_payload_and_salt_of_entries_naming_someone_or_a_draft(client, initiative, make_member, make_proposal):
    """The digest of a withheld payload is salted with 16 random bytes, so it tells nothing;
    the salt never leaves the site, nor (for re-chained logs) the unsalted format-1 hash."""
    from governance.models import LogEntry
    from tests.governance.format1 import rechain, to_format1

    make_member()
    make_proposal(open=False, title="Nog geheim")  # a draft: its entry is withheld too
    to_format1(initiative.pk)
    rechain()
    make_member()
    answer = client.get(f"/api/v2/initiatives/{initiative.pk}/governance-log/?limit=100")
    entries = {entry["seq"]: entry for entry in answer.json()["items"]}
    text = answer.content.decode() + client.get(f"/api/v2/initiatives/{initiative.pk}/decisions/").content.decode()
    private = LogEntry.objects.filter(initiative=initiative).exclude(kind="log.rechained")
    assert private.count() == 4  # the frontrunner and two members joining, the draft created
    for entry in private:
        published = entries[entry.seq]
        assert published["payload_withheld"] is True
        assert published["payload"] is None and published["salt"] is None
        assert published["payload_digest"] == entry.payload_digest
        assert entry.salt not in text
        if entry.v1_hash:
            assert entry.v1_hash not in text
    assert "Nog geheim" not in text
