"""Every response carries the security headers, whatever its status code (issue 15, kind 3)."""

import pytest
from django.test import Client
from django.urls import reverse

from initiatives.models import InitiativeDomain

pytestmark = pytest.mark.django_db

HEADERS = (
    "Content-Security-Policy",
    "X-Content-Type-Options",
    "Referrer-Policy",
    "X-Frame-Options",
    "Strict-Transport-Security",
)


@pytest.fixture(autouse=True)
def production_headers(settings):
    # As in production: HSTS is sent (over HTTPS only, hence secure=True below).
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_CONTENT_TYPE_NOSNIFF = True
    settings.SECURE_REFERRER_POLICY = "same-origin"


@pytest.fixture
def zonnedak(make_initiative):
    page = make_initiative(title="Zonnedak", slug="zonnedak")
    InitiativeDomain.objects.create(hostname="zonnedak.localhost", initiative=page)
    return page


def assert_all_headers(response):
    missing = [name for name in HEADERS if name not in response]
    assert not missing, f"{response.status_code} lacks {missing}"
    assert "frame-ancestors 'self'" in response["Content-Security-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Strict-Transport-Security"].startswith("max-age=31536000")


def test_an_unknown_host_gets_its_400_with_every_header(client, zonnedak):
    response = client.get("/", HTTP_HOST="evil.example", secure=True)
    assert response.status_code == 400
    assert_all_headers(response)


@pytest.mark.parametrize("port", ["99999", "65536", "0", "123456789012345678901234567890"])
def test_a_port_outside_1_to_65535_is_refused(client, zonnedak, port):
    response = client.get("/", HTTP_HOST=f"zonnedak.localhost:{port}", secure=True)
    assert response.status_code == 400
    assert_all_headers(response)


@pytest.mark.parametrize("port", ["1", "8000", "65535"])
def test_ports_in_range_are_served(client, zonnedak, port):
    response = client.get("/", HTTP_HOST=f"zonnedak.localhost:{port}", secure=True)
    assert response.status_code == 200
    assert_all_headers(response)


def test_the_https_redirect_carries_every_header_too(client, zonnedak, settings):
    settings.SECURE_SSL_REDIRECT = True
    redirected = client.get("/", HTTP_HOST="zonnedak.localhost")
    assert redirected.status_code == 301
    assert redirected["Location"] == "https://zonnedak.localhost/"
    assert "frame-ancestors 'self'" in redirected["Content-Security-Policy"]
    assert redirected["X-Content-Type-Options"] == "nosniff"
    assert redirected["X-Frame-Options"] == "DENY"


def test_pages_and_not_found_pages_carry_every_header(client, zonnedak):
    assert_all_headers(client.get("/", HTTP_HOST="zonnedak.localhost", secure=True))
    not_found = client.get("/no-such-page/", secure=True)
    assert not_found.status_code == 404
    assert_all_headers(not_found)


def test_forbidden_and_wrong_method_carry_every_header(client, zonnedak, make_resident):
    client.force_login(make_resident())
    forbidden = client.post(reverse("accounts:withdraw_nomination", args=[999999]), secure=True)
    assert forbidden.status_code == 403
    assert_all_headers(forbidden)
    wrong_method = client.get(reverse("accounts:join", args=[zonnedak.pk]), secure=True)
    assert wrong_method.status_code == 405
    assert_all_headers(wrong_method)


def test_a_csrf_failure_carries_every_header(zonnedak):
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("account_login"), {"login": "a@example.org"}, secure=True)
    assert response.status_code == 403
    assert_all_headers(response)


def test_a_server_error_carries_every_header(zonnedak, settings):
    settings.ROOT_URLCONF = "tests.accounts.raising_urls"
    client = Client(raise_request_exception=False)
    response = client.get("/fail/", secure=True)
    assert response.status_code == 500
    assert_all_headers(response)


@pytest.mark.parametrize("host", ["ZONNEDAK.localhost", "zonnedak.localhost.", "Zonnedak.Localhost.:443"])
def test_a_domain_is_served_under_any_spelling_of_its_name(client, zonnedak, host):
    # Issue 15, kind 4: the Host header is compared in the form domains are stored in.
    response = client.get("/", HTTP_HOST=host, secure=True)
    assert response.status_code == 200
    assert "<h1 lang=\"nl\">Zonnedak</h1>" in response.text
