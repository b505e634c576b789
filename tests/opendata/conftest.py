"""Fixtures of the open-data API tests: a small platform with every kind of card, and
things that must never be published (drafts, restricted pages, hidden card types)."""

import datetime
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.utils import timezone
from wagtail.models import PageViewRestriction

from blocks.models import Reading
from tests.conftest import card
from tests.governance.conftest import (  # noqa: F401 - the governance fixtures, shared
    fresh_chain,
    frontrunner,
    initiative,
    make_member,
    make_proposal,
    make_user,
    now,
)
from tests.governance.test_anvil import anvil  # noqa: F401 - a real node, when installed


def moment(days):
    return (timezone.now() + datetime.timedelta(days=days)).isoformat()


def every_card(device="roof-1"):
    """One card of each registered type (the test settings add the plug-in ``pledge``)."""
    return [
        card("news", {"title": "Nieuws", "items": [
            {"headline": "Panelen liggen er", "date": "2026-05-02", "body": "<p>Alle <b>120</b>.</p>", "image": None, "link": "https://example.org/x"},
            {"headline": "Oud bericht", "date": "2026-01-02", "body": "", "image": None, "link": "javascript:alert(1)"},
        ]}, "news-1"),
        card("map", {"title": "Waar", "places": [
            {"label": "Buurthuis", "description": "", "latitude": 52.09, "longitude": 5.12}
        ], "geojson": ""}, "map-1"),
        card("iot", {"title": "Opbrengst", "device": device, "metric": "power", "unit": "kW"}, "iot-1"),
        card("tender", {
            "title": "", "request": "Pave the court", "description": "Gravel", "budget_min": "5000",
            "budget_max": "9000", "deadline": moment(10), "status": "open",
            "contact_name": "Henk", "contact_email": "henk@example.org",
        }, "tender-1"),
        card("election", {
            "title": "Stemming", "question": "Which trees?", "description": "",
            "options": [{"label": "Lime", "votes": 3}, {"label": "Oak", "votes": 5}],
            "opens_at": moment(-1), "closes_at": moment(5),
        }, "election-1"),
        card("pledge", {"title": "Bank", "cause": "A bench", "pledges": [
            {"name": "Anna", "amount": Decimal("25"), "date": datetime.date(2026, 4, 1)}
        ]}, "pledge-1"),
    ]


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    """Rate limits are counted in the cache; each test starts with a clean count."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def platform(make_initiative):
    """Public, sub-, draft and restricted initiatives, with readings for the public sensor."""
    zonnedak = make_initiative(
        title="Zonnedak", municipality="Utrecht", latitude=Decimal("52.09"), longitude=Decimal("5.12"),
        cards=every_card(),
    )
    zonnedak.ambitions.add("Energie", "buurt")
    zonnedak.save_revision().publish()
    sub = make_initiative(parent=zonnedak, title="Dak van de school", municipality="Utrecht")
    park = make_initiative(
        title="Park", municipality="Amsterdam", latitude=Decimal("52.37"), longitude=Decimal("4.89")
    )
    draft = make_initiative(title="Geheim plan", publish=False, cards=every_card("secret-1"))
    restricted = make_initiative(title="Alleen leden", cards=every_card("members-1"))
    PageViewRestriction.objects.create(page=restricted, restriction_type="password", password="x")
    under_restricted = make_initiative(parent=restricted, title="Onder slot")
    start = timezone.now() - datetime.timedelta(hours=100)
    Reading.objects.bulk_create(
        [
            Reading(device=device, metric="power", measured_at=start + datetime.timedelta(hours=hour), value=hour)
            for device in ("roof-1", "secret-1", "members-1")
            for hour in range(100)
        ]
    )
    for page in (zonnedak, sub, park, draft, restricted, under_restricted):
        page.refresh_from_db()
    return {
        "zonnedak": zonnedak, "sub": sub, "park": park, "draft": draft,
        "restricted": restricted, "under_restricted": under_restricted,
    }
