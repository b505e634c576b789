"""HTTP conventions of every answer: validators, caching, CORS, rate limits, languages."""

import pytest
from django.test import override_settings

pytestmark = pytest.mark.django_db


def test_answers_carry_validators_and_a_repeat_is_not_modified(client, platform):
    url = f"/api/v2/initiatives/{platform['zonnedak'].pk}/"
    response = client.get(url)
    assert response["Cache-Control"] == "public, max-age=60"
    assert response["ETag"].startswith('"') and response["Last-Modified"].endswith("GMT")
    again = client.get(url, HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304 and again.content == b""
    since = client.get(url, HTTP_IF_MODIFIED_SINCE=response["Last-Modified"])
    assert since.status_code == 304


def test_every_endpoint_answers_with_cache_headers(client, platform):
    page = platform["zonnedak"]
    for url in (
        "/api/v2/initiatives/",
        "/api/v2/decisions/",
        f"/api/v2/initiatives/{page.pk}/governance-log/",
        f"/api/v2/initiatives/{page.pk}/cards/iot-1/readings/",
        f"/api/v2/initiatives/{page.pk}/cards/iot-1/aggregates.csv",
        "/api/v2/decision-contract/",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert response["ETag"] and "max-age=60" in response["Cache-Control"], url
    refused = client.get("/api/v2/initiatives/?limit=x")
    assert refused.status_code == 400 and "no-store" in refused["Cache-Control"]


def test_cors_is_open_for_reading_only(client, platform):
    response = client.get("/api/v2/initiatives/", HTTP_ORIGIN="https://dashboard.example")
    assert response["Access-Control-Allow-Origin"] == "*"
    preflight = client.options(
        "/api/v2/initiatives/",
        HTTP_ORIGIN="https://dashboard.example",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST",
    )
    assert "POST" not in preflight["Access-Control-Allow-Methods"]
    assert client.post("/api/v2/initiatives/").status_code == 405
    # The site's own pages are not opened to other origins.
    assert "Access-Control-Allow-Origin" not in client.get("/", HTTP_ORIGIN="https://x.example")


@override_settings(CTYLAB_OPENDATA_RATE="3/min")
def test_a_client_over_its_rate_gets_429_with_retry_after(client, platform):
    for _ in range(3):
        assert client.get("/api/v2/decisions/").status_code == 200
    refused = client.get("/api/v2/initiatives/")
    assert refused.status_code == 429
    assert 0 < int(refused["Retry-After"]) <= 60 and refused.json()["message"]
    # Another client has its own budget.
    assert client.get("/api/v2/decisions/", REMOTE_ADDR="10.0.0.2").status_code == 200
    # The OpenAPI document, built on each request, counts too.
    refused = client.get("/api/v2/schema/", {"format": "json"})
    assert refused.status_code == 429 and refused["Retry-After"] and refused.json()["message"]


def test_the_sites_own_words_follow_the_language_asked(client, platform):
    url = f"/api/v2/initiatives/{platform['zonnedak'].pk}/"
    english = client.get(url, HTTP_ACCEPT_LANGUAGE="en").json()
    dutch = client.get(url, HTTP_ACCEPT_LANGUAGE="nl").json()
    labels = {card["type"]: card["label"] for card in dutch["cards"]}
    assert labels["news"] == "Nieuws" and labels["map"] == "Kaart"
    tender = next(card for card in dutch["cards"] if card["type"] == "tender")
    assert tender["value"]["status_label"] == "Open"
    assert {card["type"]: card["label"] for card in english["cards"]}["map"] == "Map"
    message = client.get("/api/v2/initiatives/?near=x&km=1", HTTP_ACCEPT_LANGUAGE="nl").json()["message"]
    assert "breedtegraad" in message
    assert client.get(url, HTTP_ACCEPT_LANGUAGE="nl")["Vary"].count("Accept-Language") == 1


def test_the_openapi_document_is_served(client, db):
    response = client.get("/api/v2/schema/", {"format": "json"})
    assert response.status_code == 200
    document = response.json()
    assert document["openapi"].startswith("3.")
    assert "/api/v2/initiatives/" in document["paths"]
    mapping = document["components"]["schemas"]["Card"]["discriminator"]["mapping"]
    assert set(mapping) >= {"news", "map", "iot", "tender", "election", "pledge"}


@pytest.mark.parametrize("maximum", [100, 37])
def test_the_documented_page_limit_is_the_one_the_pagination_applies(client, db, settings, maximum):
    settings.WAGTAILAPI_LIMIT_MAX = maximum
    document = client.get("/api/v2/schema/", {"format": "json"}).json()
    paged = ["/api/v2/initiatives/", "/api/v2/decisions/", "/api/v2/initiatives/{page_id}/governance-log/"]
    for path in paged:
        (limit,) = [p for p in document["paths"][path]["get"]["parameters"] if p["name"] == "limit"]
        assert limit["schema"]["maximum"] == maximum
        assert f"0 to {maximum} " in limit["description"]
    # And the pagination refuses one more than that, as documented.
    assert client.get("/api/v2/decisions/", {"limit": maximum}).status_code == 200
    assert client.get("/api/v2/decisions/", {"limit": maximum + 1}).status_code == 400
