"""Fixtures of the search tests: card values, a small platform, and a search helper."""

from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from search import services
from search.query import Query
from search.text import parse
from tests.conftest import card


def future(days):
    return (timezone.now() + timedelta(days=days)).isoformat()


def past(days):
    return (timezone.now() - timedelta(days=days)).isoformat()


def news(title="Nieuws", *items):
    return card("news", {"title": title, "items": list(items)})


def news_item(headline, body="", date="2026-05-02", link=""):
    return {"headline": headline, "date": date, "body": body, "image": None, "link": link}


def tender(**overrides):
    value = {
        "title": "", "request": "Pave the court", "description": "15 by 4 metres of gravel",
        "budget_min": "5000", "budget_max": "9000", "deadline": future(10), "status": "open",
        "contact_name": "Henk de Vries", "contact_email": "henk@example.org",
    }
    value.update(overrides)
    return card("tender", value)


def election(**overrides):
    value = {
        "title": "Stemming", "question": "Which trees should the park get?", "description": "",
        "options": [{"label": "Lime", "votes": None}, {"label": "Oak", "votes": None}],
        "opens_at": past(1), "closes_at": future(5),
    }
    value.update(overrides)
    return card("election", value)


def place_map(*places, title="Waar"):
    return card("map", {"title": title, "places": list(places), "geojson": ""})


def place(label, latitude=52.09, longitude=5.12, description=""):
    return {"label": label, "description": description, "latitude": latitude, "longitude": longitude}


def sensor(device="roof-1", metric="power", title="Opbrengst"):
    return card("iot", {"title": title, "device": device, "metric": metric, "unit": "kW"})


def find(text="", **options):
    """Search like the search page does (the whole platform unless ``scope`` is given)."""
    options.setdefault("page_size", 100)
    return services.search(Query(terms=parse(text).terms, **options))


def keys(results):
    return {hit.key for hit in results.hits}


def titles(results):
    return {hit.title for hit in results.hits}


def facet(results, name):
    return {entry.value: entry.count for entry in results.facets[name]}


@pytest.fixture
def on_postgres():
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only (run with DATABASE_URL=postgres://…)")


@pytest.fixture
def platform(make_initiative):
    """Three initiatives in two municipalities, every built-in card type, one sub-initiative."""
    solar = make_initiative(
        title="Zonnedak De Kroon", slug="zonnedak", municipality="Utrecht",
        summary="Samen zonnepanelen leggen op het dak van de school.",
        latitude="52.090700", longitude="5.121400",
        cards=[
            news("Nieuws", news_item("Panels are on the roof", "<p>All 120 panels were installed.</p>")),
            sensor(),
            tender(request="Installer for zonnepanelen", description="Roof of the primary school"),
        ],
    )
    solar.ambitions.add("energie", "duurzaamheid")
    solar.save_revision().publish()
    boules = make_initiative(
        title="Jeu-de-boules in de Bloemstraat", slug="boules", municipality="Amersfoort",
        summary="A court for the whole street.", latitude="52.156100", longitude="5.387200",
        cards=[
            tender(request="Paving for a jeu-de-boules court"),
            place_map(place("Speelveld", 52.1561, 5.3872, "Behind the community centre")),
        ],
    )
    boules.ambitions.add("ontmoeting")
    boules.save_revision().publish()
    park = make_initiative(
        title="Parkherinrichting Oost", slug="park", municipality="Utrecht",
        summary="Bewoners kiezen de bomen voor het park.", latitude="52.087000", longitude="5.140000",
        cards=[election(), news("Updates", news_item("Bomen geplant", "<p>De eerste bomen staan.</p>"))],
    )
    park.ambitions.add("groen", "ontmoeting")
    park.save_revision().publish()
    garden = make_initiative(
        parent=park, title="Geveltuinen", slug="geveltuinen", municipality="Utrecht",
        summary="Tuintjes langs de gevels.", cards=[],
    )
    return {"solar": solar, "boules": boules, "park": park, "garden": garden}


@pytest.fixture(autouse=True)
def database_search(settings):
    """Search tests use the database backend unless they configure Elasticsearch themselves
    (so a developer's ELASTICSEARCH_URL does not point them at a live index)."""
    settings.CTYLAB_SEARCH = {"BACKEND": "search.backends.database.DatabaseBackend", "OPTIONS": {}}
