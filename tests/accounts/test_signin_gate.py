"""Every way to sign in passes the same gate: allauth's flow, its rate limits, e-mail
verification and the two-factor step (issue 15, kind 1).

These tests use Django's plain test client (not the suite's ``SignedInClient``): a session
is made only by the requests a browser would send.
"""

import pytest
from django.contrib.auth import login
from django.test import Client, RequestFactory
from django.urls import reverse

from .conftest import PASSWORD, code_in, last_email_to

pytestmark = pytest.mark.django_db

ADMIN_URLS = ["/admin/", "/admin/pages/", "/django-admin/", "/django-admin/auth/user/"]


@pytest.fixture
def browser():
    return Client()


@pytest.fixture
def chief(make_resident, with_totp, home):
    """A superuser with an authenticator app, as every admin user is in production."""
    user = make_resident(email="chief@example.org", is_staff=True, is_superuser=True)
    user.code = with_totp(user)
    return user


def signed_in_as(client):
    return client.session.get("_auth_user_id")


def admin_is_closed(client, url):
    """The admin URL answers with redirects that end on allauth's sign-in (or, with a password
    already given, its two-factor step), and nobody is signed in."""
    response = client.get(url, follow=True)
    ends_on = response.request["PATH_INFO"]
    return (
        bool(response.redirect_chain)
        and ends_on in (reverse("account_login"), reverse("mfa_authenticate"))
        and signed_in_as(client) is None
    )


@pytest.mark.parametrize("login_value", ["chief@example.org", "CHIEF@example.org"])
def test_wagtail_front_end_login_signs_nobody_in(browser, chief, login_value):
    """The issue's example: POST /_util/login/ with an admin's e-mail and password used to sign
    in without the two-factor step, after which /admin/ and /django-admin/ answered 200."""
    response = browser.post("/_util/login/", {"username": login_value, "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert signed_in_as(browser) is None
    for url in ADMIN_URLS:
        assert admin_is_closed(browser, url), url


def test_wagtail_front_end_login_page_leads_to_allauth_keeping_next(browser, home):
    response = browser.get("/_util/login/?next=/some/page/")
    assert response.status_code == 302
    assert response["Location"] == reverse("account_login") + "?next=/some/page/"


@pytest.mark.parametrize("path", ["/admin/login/", "/django-admin/login/", "/_util/login/"])
def test_posting_credentials_to_any_login_page_signs_nobody_in(browser, chief, path):
    response = browser.post(path, {"username": "chief@example.org", "password": PASSWORD})
    assert response.status_code == 302 and signed_in_as(browser) is None


def test_a_session_made_outside_allauth_is_signed_out_before_any_view(browser, chief):
    """Whatever route creates a session without allauth's flow (a view we do not know of yet),
    the gate signs it out: the admin sends it to allauth's sign-in, public pages see a visitor."""
    request = RequestFactory().get("/")
    request.session = browser.session
    chief.backend = "allauth.account.auth_backends.AuthenticationBackend"
    login(request, chief)
    request.session.save()
    browser.cookies["sessionid"] = request.session.session_key

    response = browser.get("/admin/pages/")
    assert response.status_code == 302
    assert response["Location"] == reverse("account_login") + "?next=%2Fadmin%2Fpages%2F"
    assert signed_in_as(browser) is None
    # The session is gone for good: the admin stays closed on the next request too.
    assert admin_is_closed(browser, "/django-admin/")


def test_password_without_the_code_reaches_no_admin_url(browser, chief):
    response = browser.post(reverse("account_login"), {"login": "chief@example.org", "password": PASSWORD})
    assert response["Location"].startswith(reverse("mfa_authenticate"))
    for url in ADMIN_URLS:
        assert admin_is_closed(browser, url), url
    # A detour through Wagtail's login with the half-finished allauth session changes nothing.
    browser.post("/_util/login/", {"username": "chief@example.org", "password": PASSWORD})
    for url in ADMIN_URLS:
        assert admin_is_closed(browser, url), url


def test_password_and_code_open_the_admin(browser, chief):
    browser.post(reverse("account_login"), {"login": "chief@example.org", "password": PASSWORD})
    response = browser.post(reverse("mfa_authenticate"), {"code": chief.code()})
    assert response.status_code == 302
    for url in ADMIN_URLS:
        assert browser.get(url).status_code == 200, url


def test_login_by_code_still_asks_for_the_authenticator_app(browser, chief):
    browser.post(reverse("account_request_login_code"), {"email": "chief@example.org"})
    code = code_in(last_email_to("chief@example.org"))
    response = browser.post(reverse("account_confirm_login_code"), {"code": code})
    assert response["Location"].startswith(reverse("mfa_authenticate"))
    assert browser.get("/admin/").status_code == 302
    browser.post(reverse("mfa_authenticate"), {"code": chief.code()})
    assert browser.get("/admin/").status_code == 200


def test_a_session_from_before_the_app_was_set_up_must_sign_in_again(make_resident, with_totp, home):
    """Signed in on one browser without an app; the app is set up elsewhere; that first
    session has not passed the two-factor step and reaches no admin URL."""
    editor = make_resident(email="editor@example.org", is_staff=True, is_superuser=True)
    first = Client()
    first.post(reverse("account_login"), {"login": "editor@example.org", "password": PASSWORD})
    assert signed_in_as(first) == str(editor.pk)
    with_totp(editor)
    response = first.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert signed_in_as(first) is None


@pytest.mark.django_db(transaction=True)
def test_setting_up_the_app_leads_on_to_the_admin(browser, make_resident, home):
    """The first login of an editor: password, then the app is set up, and the admin opens
    in the same session (setting it up proved the code). Transactional, because allauth
    announces the new app once its transaction commits, as it does in production."""
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    make_resident(email="new@example.org", is_staff=True, is_superuser=True)
    browser.post(reverse("account_login"), {"login": "new@example.org", "password": PASSWORD})
    response = browser.get("/admin/")
    assert response["Location"].startswith(reverse("mfa_activate_totp"))
    page = browser.get(response["Location"], follow=True)
    if page.request["PATH_INFO"] == reverse("account_reauthenticate"):
        page = browser.post(page.redirect_chain[-1][0], {"password": PASSWORD}, follow=True)
    assert page.request["PATH_INFO"] == reverse("mfa_activate_totp"), page.redirect_chain
    secret = page.context["form"].secret
    import time

    code = format_hotp_value(hotp_value(secret, int(time.time()) // 30))
    response = browser.post(page.request["PATH_INFO"] + "?" + page.request["QUERY_STRING"], {"code": code})
    assert response.status_code == 302
    # The recovery codes come next, with a way on to where the editor was going.
    assert response["Location"] == reverse("mfa_view_recovery_codes") + "?next=%2Fadmin%2F"
    codes = browser.get(response["Location"])
    assert 'href="/admin/"' in codes.text and "Continue" in codes.text
    assert browser.get("/admin/").status_code == 200


def test_residents_sign_in_through_allauth_and_stay_signed_in(browser, make_resident, home):
    resident = make_resident(email="plain@example.org")
    browser.post(reverse("account_login"), {"login": "plain@example.org", "password": PASSWORD})
    assert browser.get(reverse("accounts:profile_edit")).status_code == 200
    assert signed_in_as(browser) == str(resident.pk)


def test_unverified_address_gets_no_session_through_any_door(browser, make_resident, home):
    make_resident(email="unverified@example.org", verified=False)
    for path, data in [
        ("/_util/login/", {"username": "unverified@example.org", "password": PASSWORD}),
        (reverse("account_login"), {"login": "unverified@example.org", "password": PASSWORD}),
    ]:
        browser.post(path, data)
        assert signed_in_as(browser) is None, path
        assert browser.get(reverse("accounts:profile_edit")).status_code == 302
