"""The catalogue costs a public page at most one query per request, whatever the number of
cards and contracts (and none at all for a page without cards)."""

from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from blocks.models import Reading
from catalogue.models import CardContract
from tests.conftest import card

from .conftest import switch


def a_card(kind, number):
    values = {
        "news": {"title": f"N{number}", "items": [{"headline": "h", "date": "2026-01-01", "body": "<p>b</p>", "image": None, "link": ""}]},
        "map": {"title": f"M{number}", "places": [{"label": "p", "description": "", "latitude": 52.0, "longitude": 5.0}], "geojson": ""},
        "iot": {"title": f"I{number}", "device": f"d{number % 4}", "metric": "power", "unit": "kW"},
        "tender": {"title": f"T{number}", "request": "r", "description": "", "budget_min": "1", "budget_max": "2",
                   "deadline": "2030-01-01T00:00:00+00:00", "status": "open", "contact_name": "", "contact_email": ""},
        "election": {"title": f"E{number}", "question": "q", "description": "",
                     "options": [{"label": "a", "votes": 3}, {"label": "b", "votes": 4}],
                     "opens_at": "2020-01-01T00:00:00+00:00", "closes_at": "2020-02-01T00:00:00+00:00"},
        "pledge": {"title": f"P{number}", "cause": "c", "pledges": [{"name": "n", "amount": "5", "date": "2026-01-01"}]},
    }
    return card(kind, values[kind], block_id=f"{kind}-{number}")


CONTRACT = [
    {"type": "participants_goal", "value": {"label": "People", "target": 10}},
    {"type": "amount_goal", "value": {"label": "Money", "target": "100", "unit": "€"}},
    {"type": "deadline_goal", "value": {"label": "When", "date": "2030-01-01", "days_after_adding": None}},
    {"type": "resource", "value": {"what": "Help", "amount": ""}},
]


def page_with(make_initiative, catalogue, count):
    kinds = ["news", "map", "iot", "tender", "election", "pledge"]
    cards = [a_card(kinds[number % len(kinds)], number) for number in range(count)]
    page = make_initiative(cards=cards)
    CardContract.objects.bulk_create(
        CardContract(page=page, block_id=item["id"], card_type=catalogue[item["type"]], terms=CONTRACT)
        for item in cards
    )
    return page


def render(client, page):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(page.url_path.replace("/ctylab-home", "", 1))
    assert response.status_code == 200
    catalogue_queries = [query["sql"] for query in queries if "catalogue_" in query["sql"]]
    return response.text, len(queries), catalogue_queries


def test_one_catalogue_query_for_6_or_120_cards_with_contracts(client, make_initiative, catalogue):
    now = timezone.now()
    Reading.objects.bulk_create(
        Reading(device=f"d{device}", metric="power", measured_at=now - timedelta(hours=hour), value=hour)
        for device in range(4) for hour in range(5)
    )
    switch("map", enabled=False, when_disabled="hide")
    switch("tender", enabled=False, when_disabled="keep")
    small = page_with(make_initiative, catalogue, 6)
    big = page_with(make_initiative, catalogue, 120)
    render(client, small)  # warm up what every request shares (sites, templates)

    small_html, small_total, small_catalogue = render(client, small)
    big_html, big_total, big_catalogue = render(client, big)

    assert len(small_catalogue) == 1 and len(big_catalogue) == 1, big_catalogue
    assert small_total == big_total
    assert small_html.count("data-contract-for=") == 5  # the map is hidden, its contract too
    assert big_html.count("data-contract-for=") == 100
    assert big_html.count("5 of 100 € so far (5%)") == 20  # each pledge


def test_a_page_without_cards_asks_the_catalogue_nothing(client, make_initiative, catalogue):
    page = make_initiative(cards=[])
    render(client, page)
    assert render(client, page)[2] == []
