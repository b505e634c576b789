"""The admin is entered through allauth's sign-in only, and with two-factor authentication."""

import re

import pytest
from django.urls import reverse

from .conftest import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("path", ["/admin/login/", "/django-admin/login/"])
def test_admin_login_pages_redirect_to_allauth(client, path):
    response = client.get(path + "?next=/admin/pages/")
    assert response.status_code == 302
    assert response["Location"] == reverse("account_login") + "?next=/admin/pages/"
    # Posting credentials to the admin's login does not sign anyone in either.
    response = client.post(path, {"username": "x", "password": "y"})
    assert response.status_code in (302, 405)
    assert "_auth_user_id" not in client.session


def test_anonymous_admin_visit_goes_to_allauth_login(client, home):
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login") + "?next=")


def test_wagtail_password_reset_is_off(client, db):
    assert client.get("/admin/password_reset/").status_code == 404


def test_staff_without_totp_are_sent_to_set_it_up(client, make_resident, home):
    staff = make_resident(email="staff@example.org", is_staff=True, is_superuser=True)
    client.post(reverse("account_login"), {"login": "staff@example.org", "password": PASSWORD})
    response = client.get("/admin/pages/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("mfa_activate_totp") + "?next=")
    assert client.get("/django-admin/").status_code == 302
    # Residents who are not staff are not asked: their pages work as before.
    assert staff.is_staff


def test_staff_with_totp_must_give_the_code_and_then_reach_the_admin(client, make_resident, with_totp, home):
    staff = make_resident(email="chief@example.org", is_staff=True, is_superuser=True)
    code = with_totp(staff)
    response = client.post(
        reverse("account_login") + "?next=/admin/", {"login": "chief@example.org", "password": PASSWORD}
    )
    assert response["Location"].startswith(reverse("mfa_authenticate"))
    # Without the code, the admin stays closed.
    assert client.get("/admin/").status_code == 302
    response = client.post(reverse("mfa_authenticate"), {"code": code()})
    assert response.status_code == 302 and response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_admin_logout_is_not_blocked(client, make_resident, home):
    staff = make_resident(email="out@example.org", is_staff=True, is_superuser=True)
    client.force_login(staff)
    response = client.post("/admin/logout/")
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_residents_are_not_asked_for_two_factor(client, make_resident, home):
    resident = make_resident(email="plain@example.org")
    client.force_login(resident)
    assert client.get(reverse("accounts:profile_edit")).status_code == 200
    # The admin itself refuses them (no access), but does not send them to set up 2FA.
    response = client.get("/admin/")
    assert not response["Location"].startswith(reverse("mfa_activate_totp"))


def test_the_code_field_is_marked_up_for_one_time_codes(client, make_resident, with_totp, home):
    """Browsers offer the code, phones show digits, the script may send the form at 6 digits;
    the Sign in button stays for everyone without the script (issue 11, item 6)."""
    staff = make_resident(email="codes@example.org", is_staff=True, is_superuser=True)
    code = with_totp(staff)
    client.post(reverse("account_login") + "?next=/admin/", {"login": "codes@example.org", "password": PASSWORD})
    page = client.get(reverse("mfa_authenticate")).text
    field = re.search(r"<input[^>]*name=\"code\"[^>]*>", page).group(0)
    for attribute in ('autocomplete="one-time-code"', 'inputmode="numeric"', 'data-autosubmit-digits="6"', "autofocus"):
        assert attribute in field, attribute
    assert "accounts/code_autosubmit.js" in page
    assert re.search(r"<button[^>]*type=\"submit\"[^>]*>\s*Sign In", page)
    # A recovery code (8 digits) still passes through the same field.
    response = client.post(reverse("mfa_authenticate"), {"code": "not-a-code"})
    assert response.status_code == 200 and 'aria-invalid="true"' in response.text
    response = client.post(reverse("mfa_authenticate"), {"code": code()})
    assert response["Location"] == "/admin/"
