"""Anonymous visitors' pages kept in Django's cache (ctylab/pagecache.py), exactly invalidated."""

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.test import Client


@pytest.fixture
def page_cache(settings):
    settings.CTYLAB_PAGE_CACHE_SECONDS = 60
    cache.clear()
    yield
    cache.clear()


def republish(page, **fields):
    for name, value in fields.items():
        setattr(page, name, value)
    page.save_revision().publish()


def test_a_page_is_kept_per_language_until_published(client, page_cache, make_initiative):
    page = make_initiative(title="Zonnedak De Kroon", slug="zonnedak")
    assert client.get("/zonnedak/")["X-Cache"] == "MISS"
    again = client.get("/zonnedak/")
    assert again["X-Cache"] == "HIT" and "Zonnedak De Kroon" in again.text
    assert not again.cookies
    dutch = client.get("/zonnedak/", HTTP_ACCEPT_LANGUAGE="nl")
    assert dutch["X-Cache"] == "MISS" and '<html lang="nl">' in dutch.text
    assert client.get("/zonnedak/", HTTP_ACCEPT_LANGUAGE="nl")["X-Cache"] == "HIT"
    client.get("/")

    republish(page, title="Zonnedak De Kroon (ronde twee)")
    for language in ("en", "nl"):
        fresh = client.get("/zonnedak/", HTTP_ACCEPT_LANGUAGE=language)
        assert fresh["X-Cache"] == "MISS" and "ronde twee" in fresh.text
    home = client.get("/")  # lists the initiative
    assert home["X-Cache"] == "MISS" and "ronde twee" in home.text

    page.unpublish()
    assert client.get("/zonnedak/").status_code == 404


def test_a_slug_change_forgets_the_old_address(client, page_cache, make_initiative,
                                               django_capture_on_commit_callbacks):
    page = make_initiative(title="Zonnedak", slug="zonnedak")
    client.get("/zonnedak/")
    with django_capture_on_commit_callbacks(execute=True):  # Wagtail signals slug changes on commit
        republish(page, slug="zonnedak-kroon")
    old = client.get("/zonnedak/")
    assert old.status_code == 301 and old["Location"].endswith("/zonnedak-kroon/")


def test_signed_in_visitors_and_searches_are_not_cached(client, page_cache, make_initiative):
    make_initiative(title="Zonnedak", slug="zonnedak")
    client.get("/zonnedak/")
    assert client.get("/zonnedak/")["X-Cache"] == "HIT"
    # With a query string: the page itself is rendered, not kept.
    assert "X-Cache" not in client.get("/zonnedak/?utm_source=mail")
    user = get_user_model().objects.create_user("ada", "ada@example.org", "pw-not-used-here")
    client.force_login(user)
    response = client.get("/zonnedak/")
    assert "X-Cache" not in response
    assert "Your profile" in response.text  # their own header, not the anonymous copy


def test_off_without_a_lifetime(client, make_initiative, settings):
    settings.CTYLAB_PAGE_CACHE_SECONDS = 0
    make_initiative(title="Zonnedak", slug="zonnedak")
    client.get("/zonnedak/")
    assert "X-Cache" not in client.get("/zonnedak/")


def vary(response):
    return sorted(name.strip() for name in response.get("Vary", "").split(",") if name.strip())


@pytest.mark.parametrize("seconds", [60, 0])
def test_anonymous_pages_vary_on_the_language_only(client, make_initiative, settings, seconds):
    # Django's session middleware adds "Vary: Cookie" to every page that looked at the visitor;
    # an anonymous page differs by language only, whether this cache is on or a cache in front.
    settings.CTYLAB_PAGE_CACHE_SECONDS = seconds
    cache.clear()
    make_initiative(title="Zonnedak", slug="zonnedak")
    for path in ("/zonnedak/", "/zonnedak/", "/"):
        response = client.get(path)
        assert vary(response) == ["Accept-Language"], (path, response.get("X-Cache"))
        assert not response.cookies
    # The language cookie chooses the language as Accept-Language does, and shares its copy.
    client.cookies["django_language"] = "nl"
    by_cookie = client.get("/zonnedak/")
    assert '<html lang="nl">' in by_cookie.text and vary(by_cookie) == ["Accept-Language"]
    if seconds:
        assert by_cookie["X-Cache"] == "MISS"
        assert client.get("/zonnedak/")["X-Cache"] == "HIT"
        del client.cookies["django_language"]
        by_header = client.get("/zonnedak/", HTTP_ACCEPT_LANGUAGE="nl")
        assert by_header["X-Cache"] == "HIT" and '<html lang="nl">' in by_header.text
    cache.clear()


def test_signed_in_pages_still_vary_on_the_cookie(client, page_cache, make_initiative):
    make_initiative(title="Zonnedak", slug="zonnedak")
    user = get_user_model().objects.create_user("ada", "ada@example.org", "pw-not-used-here")
    client.force_login(user)
    response = client.get("/zonnedak/")
    assert "X-Cache" not in response and "Cookie" in vary(response)


def test_a_kept_page_carries_the_security_headers_it_was_served_with(client, page_cache, make_initiative):
    make_initiative(title="Zonnedak", slug="zonnedak")
    first = client.get("/zonnedak/")
    kept = client.get("/zonnedak/")
    assert kept["X-Cache"] == "HIT"
    for header in ("Content-Security-Policy", "X-Frame-Options", "X-Content-Type-Options", "Referrer-Policy"):
        assert kept[header] == first[header], header
    assert kept["Content-Type"] == first["Content-Type"] and kept.content == first.content


def test_plain_http_is_sent_to_https_even_when_a_copy_is_kept(client, page_cache, make_initiative, settings):
    make_initiative(title="Zonnedak", slug="zonnedak")
    assert client.get("/zonnedak/", secure=True)["X-Cache"] == "MISS"
    assert client.get("/zonnedak/", secure=True)["X-Cache"] == "HIT"
    settings.SECURE_SSL_REDIRECT = True
    plain = Client().get("/zonnedak/")  # a new client: middleware reads the setting when built
    assert plain.status_code == 301 and plain["Location"].startswith("https://")
    # A copy kept from HTTPS carries HSTS when the site sends it; plain HTTP never gets that copy.
    settings.SECURE_SSL_REDIRECT = False
    assert Client().get("/zonnedak/")["X-Cache"] == "MISS"


def test_an_unknown_host_is_refused_although_a_page_is_kept_for_a_known_one(client, page_cache, make_initiative):
    make_initiative(title="Zonnedak", slug="zonnedak")
    client.get("/zonnedak/")
    assert client.get("/zonnedak/")["X-Cache"] == "HIT"
    assert client.get("/zonnedak/", HTTP_HOST="unknown.example").status_code == 400
