"""Initiatives and their cards as open data: fields, filters, order and the site's scope."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from initiatives.models import InitiativeDomain
from tests.conftest import card

pytestmark = pytest.mark.django_db


def listing(client, **params):
    response = client.get("/api/v2/initiatives/", params)
    assert response.status_code == 200, response.content
    return response.json()


def titles(data):
    return [item["title"] for item in data["items"]]


def test_an_initiative_with_its_fields_and_every_card_in_display_order(client, platform):
    page = platform["zonnedak"]
    data = client.get(f"/api/v2/initiatives/{page.pk}/").json()
    assert data["title"] == "Zonnedak" and data["summary"] == page.summary
    assert data["municipality"] == "Utrecht" and data["content_language"] == "nl"
    assert (data["latitude"], data["longitude"]) == (52.09, 5.12)
    assert data["ambitions"] == ["buurt", "Energie"]
    assert data["meta"]["type"] == "initiatives.InitiativePage"
    assert data["meta"]["html_url"].endswith(page.url)
    assert data["links"]["decisions"].endswith(f"/api/v2/initiatives/{page.pk}/decisions/")
    # The cards in the order the page shows them (most recent activity first).
    shown = [c.card_id for c in page.cards_for_display()]
    assert [c["id"] for c in data["cards"]] == shown
    by_type = {c["type"]: c for c in data["cards"]}
    assert set(by_type) == {"news", "map", "iot", "tender", "election", "pledge"}
    news = by_type["news"]["value"]["items"]
    assert [item["headline"] for item in news] == ["Panelen liggen er", "Oud bericht"]
    assert "<b>120</b>" in news[0]["body"]
    assert news[1]["link"] is None  # a javascript: link is not a link, as on the page
    assert by_type["tender"]["value"]["budget_max"] == "9000"
    assert by_type["election"]["value"]["results"] is None  # open: no counts before closing
    assert by_type["iot"]["value"]["recent"][-1]["value"] == 99.0
    assert by_type["iot"]["readings"].endswith(f"/api/v2/initiatives/{page.pk}/cards/iot-1/readings/")
    assert by_type["pledge"]["value"]["cause"] == "A bench"  # a plug-in card, by its own block


def test_the_listing_is_most_recently_active_first_and_has_no_cards(client, platform):
    data = listing(client)
    assert data["meta"]["total_count"] == 3
    assert set(titles(data)) == {"Zonnedak", "Dak van de school", "Park"}
    moments = [item["last_activity_at"] for item in data["items"]]
    assert moments == sorted(moments, reverse=True)
    assert all("cards" not in item for item in data["items"])


def test_filters_by_ambition_municipality_distance_and_parent(client, platform):
    assert titles(listing(client, ambition="energie")) == ["Zonnedak"]
    assert titles(listing(client, municipality="amsterdam")) == ["Park"]
    # Utrecht to Amsterdam is about 35 km.
    assert titles(listing(client, near="52.09,5.12", km="10")) == ["Zonnedak"]
    assert set(titles(listing(client, near="52.09,5.12", km="50"))) == {"Zonnedak", "Park"}
    sub = listing(client, child_of=str(platform["zonnedak"].pk))
    assert titles(sub) == ["Dak van de school"]
    assert sub["items"][0]["parent_initiative"] == platform["zonnedak"].pk


@pytest.mark.parametrize(
    "params",
    [
        {"near": "52.09"},
        {"near": "north,5", "km": "3"},
        {"near": "95,5", "km": "3"},
        {"near": "52,5", "km": "-1"},
        {"near": "52,5", "km": "nan"},
        {"child_of": "x"},
        {"child_of": ""},
        {"km": ""},
        {"limit": "1000"},
        {"offset": "-1"},
        {"fields": "*"},
        {"search": "zon"},
    ],
)
def test_bad_parameters_are_refused_with_a_message(client, platform, params):
    response = client.get("/api/v2/initiatives/", params)
    assert response.status_code == 400
    assert response.json()["message"]


def test_text_filters_with_a_nul_character_answer_rather_than_fail(client, platform):
    # NUL cannot be stored, so it is left out of what is looked for.
    assert set(titles(listing(client, municipality="Utrecht\x00"))) == {"Zonnedak", "Dak van de school"}
    assert listing(client, ambition="\x00")["meta"]["total_count"] == 3


def test_unknown_ids_answer_404(client, platform):
    huge = "7311458213599262015488"  # beyond 64 bits: no database is asked
    for url in (
        "/api/v2/initiatives/999999/",
        "/api/v2/initiatives/999999/decisions/",
        f"/api/v2/initiatives/{huge}/",
        f"/api/v2/initiatives/{huge}/governance-log/",
        f"/api/v2/initiatives/{huge}/cards/x/aggregates/",
        "/api/v2/no-such-thing/",
    ):
        response = client.get(url)
        assert response.status_code == 404 and response.json()["message"]


def test_on_an_initiatives_own_domain_only_it_and_its_sub_initiatives(platform):
    InitiativeDomain.objects.create(hostname="zonnedak.example", initiative=platform["zonnedak"])
    own = Client(HTTP_HOST="zonnedak.example")
    data = listing(own)
    assert set(titles(data)) == {"Zonnedak", "Dak van de school"}
    assert own.get(f"/api/v2/initiatives/{platform['park'].pk}/").status_code == 404
    home = client_data = listing(Client())
    assert "Park" in titles(home) and client_data["items"]
    zonnedak = next(item for item in home["items"] if item["title"] == "Zonnedak")
    assert zonnedak["domain"] == "zonnedak.example"


def test_a_listing_costs_the_same_queries_for_few_and_many_initiatives(client, make_initiative):
    def queries(limit):
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/api/v2/initiatives/", {"limit": limit}).status_code == 200
        return len(captured)

    for number in range(12):
        page = make_initiative(title=f"Initiatief {number}")
        page.ambitions.add("groen", f"a{number}")
        page.save()
    queries(1)  # the first request also caches the site's root paths
    assert queries(2) == queries(12)


def test_an_initiative_costs_the_same_queries_with_10_or_200_cards(client, make_initiative):
    def cards(count):
        kinds = [
            ("news", {"title": "", "items": [{"headline": "x", "date": "2026-05-02", "body": "<p>y</p>", "image": None, "link": ""}]}),
            ("iot", {"title": "", "device": "d", "metric": "m", "unit": ""}),
            ("tender", {"title": "", "request": "r", "description": "", "budget_min": None, "budget_max": None,
                        "deadline": "2030-01-01T00:00:00+00:00", "status": "open", "contact_name": "", "contact_email": ""}),
        ]
        return [card(*kinds[n % 3]) for n in range(count)]

    small, large = make_initiative(cards=cards(10)), make_initiative(cards=cards(200))

    def queries(page):
        with CaptureQueriesContext(connection) as captured:
            assert client.get(f"/api/v2/initiatives/{page.pk}/").status_code == 200
        return len(captured)

    queries(small)  # the first request also caches the site's root paths
    assert queries(small) == queries(large)
