"""What an anonymous visitor's GET costs the site: no cookie, no token, one Site lookup.

A response without Set-Cookie can be kept by a cache in front of the site and shared between
visitors; a CSRF cookie on every page (the language switch used to carry a token) prevented that.
"""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from governance.models import Proposal
from initiatives.demo import load_demo_content
from initiatives.models import InitiativeDomain, InitiativePage


@pytest.fixture
def demo(db):
    load_demo_content("demo-password-not-secret")


def test_anonymous_pages_set_no_cookie(client, demo):
    park = InitiativePage.objects.get(slug="wilhelminapark-samen")
    solar = InitiativePage.objects.get(slug="zonnedak-de-kroon")
    pages = [
        ("testserver", "/"),
        ("testserver", solar.url),  # every card type but the election
        ("testserver", park.url),  # a live election
        (InitiativeDomain.objects.get(initiative=solar).hostname, "/"),
        ("testserver", "/search/"),
        ("testserver", "/search/?q=zon"),
        ("testserver", reverse("governance:decisions", args=[park.pk])),
    ]
    for host, path in pages:
        response = client.get(path, HTTP_HOST=host)
        assert response.status_code == 200, (host, path)
        assert not response.cookies, f"{host}{path} set {list(response.cookies)}"
        assert b"csrfmiddlewaretoken" not in response.content, f"{host}{path} carries a token"
    # Pages that are forms (here the receipt check) still get their token and cookie.
    proposal = Proposal.objects.filter(initiative=park).first()
    form = client.get(reverse("governance:receipt", args=[proposal.uuid]))
    assert "csrftoken" in form.cookies


def test_language_switch_needs_no_token(demo):
    client = Client(enforce_csrf_checks=True)  # as a browser: Django's test client skips CSRF
    page = InitiativePage.objects.get(slug="zonnedak-de-kroon")
    host = InitiativeDomain.objects.get(initiative=page).hostname
    response = client.post(reverse("set_language"), {"language": "nl", "next": "/"}, HTTP_HOST=host)
    assert response.status_code == 302 and response["Location"] == "/"
    assert response.cookies["django_language"].value == "nl"
    assert '<html lang="nl">' in client.get("/", HTTP_HOST=host).text
    # Only to this site: a foreign `next` goes home instead.
    away = client.post(reverse("set_language"), {"language": "en", "next": "https://evil.example/"})
    assert away["Location"] == "/"
    # An unknown language changes nothing.
    client.post(reverse("set_language"), {"language": "xx", "next": "/"})
    assert '<html lang="en">' in client.get("/", HTTP_HOST=host).text


def test_a_custom_domain_is_looked_up_once(client, demo):
    solar = InitiativePage.objects.get(slug="zonnedak-de-kroon")
    hostname = InitiativeDomain.objects.get(initiative=solar).hostname
    client.get("/", HTTP_HOST=hostname)  # Wagtail caches the sites' root paths on first use
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/", HTTP_HOST=hostname).status_code == 200
    site_lookups = [q["sql"] for q in queries if 'FROM "wagtailcore_site"' in q["sql"]]
    assert len(site_lookups) == 1, site_lookups
    assert client.get("/", HTTP_HOST="unknown.example").status_code == 400
