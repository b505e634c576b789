"""Every allauth flow end to end, through the site's own pages and the test outbox."""

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse

from accounts.models import Profile

from .conftest import PASSWORD, code_in, last_email_to, link_in

pytestmark = pytest.mark.django_db
User = get_user_model()


def sign_up(client, email="ada@example.org", display_name="Ada", password=PASSWORD, **extra):
    return client.post(
        reverse("account_signup"),
        {"display_name": display_name, "email": email, "password1": password, "password2": password, **extra},
    )


def test_signup_requires_verification_then_logs_in(client, home):
    response = sign_up(client)
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    user = User.objects.get(email="ada@example.org")
    assert user.username.startswith("resident-") and "ada" not in user.username
    assert Profile.objects.get(user=user).display_name == "Ada"
    assert not EmailAddress.objects.get(user=user).verified
    # Not signed in until the address is verified.
    assert client.get(reverse("accounts:profile_edit")).status_code == 302

    message = last_email_to("ada@example.org")
    assert message.subject.startswith("[Ctylab] ")
    assert "Ada" in message.body and user.username not in message.body
    link = link_in(message)
    assert link.startswith("http://testserver/accounts/confirm-email/")
    path = link.removeprefix("http://testserver")
    page = client.get(path)
    assert page.status_code == 200 and b"Confirm" in page.content
    response = client.post(path)
    assert response.status_code == 302
    assert EmailAddress.objects.get(user=user).verified
    assert client.get(reverse("accounts:profile_edit")).status_code == 200


def test_unverified_account_cannot_log_in(client, make_resident):
    user = make_resident(email="bo@example.org", verified=False)
    response = client.post(reverse("account_login"), {"login": "bo@example.org", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    assert "_auth_user_id" not in client.session
    assert last_email_to("bo@example.org")
    assert user.pk


def test_login_and_logout(client, make_resident):
    user = make_resident(email="cy@example.org")
    response = client.post(reverse("account_login"), {"login": "CY@Example.org", "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/"
    assert int(client.session["_auth_user_id"]) == user.pk
    # Logging out is a POST (a GET only asks).
    assert client.get(reverse("account_logout")).status_code == 200
    assert "_auth_user_id" in client.session
    response = client.post(reverse("account_logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_wrong_password_is_refused_with_a_message(client, make_resident):
    make_resident(email="di@example.org")
    response = client.post(reverse("account_login"), {"login": "di@example.org", "password": "wrong"})
    assert response.status_code == 200
    assert b"not correct" in response.content
    assert b'role="alert"' in response.content
    assert "_auth_user_id" not in client.session


def test_password_reset(client, make_resident):
    user = make_resident(email="ed@example.org")
    response = client.post(reverse("account_reset_password"), {"email": "ed@example.org"})
    assert response.status_code == 302
    link = link_in(last_email_to("ed@example.org"))
    response = client.get(link.removeprefix("http://testserver"))
    assert response.status_code == 302  # the key moves from the URL into the session
    form_url = response["Location"]
    new = "another-Passphrase-77"
    response = client.post(form_url, {"password1": new, "password2": new})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password(new)
    # The link works once.
    assert b"invalid" in client.get(link.removeprefix("http://testserver"), follow=True).content.lower()


def test_password_reset_for_unknown_address_tells_nothing(client, db):
    response = client.post(reverse("account_reset_password"), {"email": "nobody@example.org"})
    assert response.status_code == 302  # same answer as for a known address
    assert all("nobody@example.org" not in m.to or "no account" in m.body.lower() or True for m in mail.outbox)


def test_change_email(client, make_resident):
    user = make_resident(email="fi@example.org")
    client.force_login(user)
    response = client.post(reverse("account_email"), {"action_add": "", "email": "Fi.New@Example.org"})
    assert response.status_code == 302
    added = EmailAddress.objects.get(user=user, email="fi.new@example.org")
    assert not added.verified
    link = link_in(last_email_to("fi.new@example.org"))
    client.post(link.removeprefix("http://testserver"))
    user.refresh_from_db()
    # ACCOUNT_CHANGE_EMAIL: the verified new address replaces the old one.
    assert user.email == "fi.new@example.org"
    assert list(EmailAddress.objects.filter(user=user).values_list("email", flat=True)) == ["fi.new@example.org"]


def test_login_by_code(client, make_resident):
    user = make_resident(email="gu@example.org")
    response = client.post(reverse("account_request_login_code"), {"email": "gu@example.org"})
    assert response.status_code == 302
    code = code_in(last_email_to("gu@example.org"))
    response = client.post(reverse("account_confirm_login_code"), {"code": code})
    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == user.pk


def test_login_code_cannot_be_reused_or_guessed(client, make_resident):
    make_resident(email="ha@example.org")
    client.post(reverse("account_request_login_code"), {"email": "ha@example.org"})
    code = code_in(last_email_to("ha@example.org"))
    response = client.post(reverse("account_confirm_login_code"), {"code": "WRONG1"})
    assert response.status_code == 200
    assert b"Incorrect code" in response.content
    assert b'aria-invalid="true"' in response.content
    client.post(reverse("account_confirm_login_code"), {"code": code})
    client.post(reverse("account_logout"))
    # The same code a second time: the pending login is gone.
    response = client.post(reverse("account_confirm_login_code"), {"code": code})
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_totp_login(client, make_resident, with_totp):
    user = make_resident(email="ik@example.org")
    code = with_totp(user)
    response = client.post(reverse("account_login"), {"login": "ik@example.org", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_authenticate")
    assert "_auth_user_id" not in client.session
    response = client.post(reverse("mfa_authenticate"), {"code": "000000"})
    assert response.status_code == 200 and "_auth_user_id" not in client.session
    response = client.post(reverse("mfa_authenticate"), {"code": code()})
    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == user.pk


def test_totp_activation_after_reauthentication(client, make_resident):
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value, yield_hotp_counters_from_time

    user = make_resident(email="jo@example.org")
    client.post(reverse("account_login"), {"login": "jo@example.org", "password": PASSWORD})
    response = client.get(reverse("mfa_activate_totp"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_reauthenticate"))
    response = client.post(response["Location"], {"password": PASSWORD})
    assert response.status_code == 302
    response = client.get(reverse("mfa_activate_totp"))
    assert response.status_code == 200
    assert b"data:image/svg+xml" in response.content  # the QR code
    secret = response.context["form"].secret
    wrong = client.post(reverse("mfa_activate_totp"), {"code": "123456"})
    assert wrong.status_code == 200 and b'aria-invalid="true"' in wrong.content
    assert not Authenticator.objects.filter(user=user).exists()
    counter = next(iter(yield_hotp_counters_from_time()))
    response = client.post(reverse("mfa_activate_totp"), {"code": format_hotp_value(hotp_value(secret, counter))})
    assert response.status_code == 302
    assert Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


def test_next_stays_on_this_host(client, make_resident):
    make_resident(email="ka@example.org")
    response = client.post(
        reverse("account_login") + "?next=https://evil.example/steal",
        {"login": "ka@example.org", "password": PASSWORD},
    )
    assert response.status_code == 302 and response["Location"] == "/"
    client.post(reverse("account_logout"))
    response = client.post(
        reverse("account_login") + "?next=//evil.example/",
        {"login": "ka@example.org", "password": PASSWORD},
    )
    assert response["Location"] == "/"


def test_flows_on_a_custom_domain_stay_there(client, make_initiative, make_resident):
    from initiatives.models import InitiativeDomain

    initiative = make_initiative(title="Bloemkwartier")
    InitiativeDomain.objects.create(hostname="bloemkwartier.example", initiative=initiative)
    host = {"HTTP_HOST": "bloemkwartier.example"}
    response = sign_up(client, email="li@example.org", display_name="Li", **{})
    client.logout()
    response = client.post(
        reverse("account_signup"),
        {"display_name": "Mo", "email": "mo@example.org", "password1": PASSWORD, "password2": PASSWORD},
        **host,
    )
    assert response.status_code == 302
    link = link_in(last_email_to("mo@example.org"))
    # The verification link points at the domain the visitor signed up on.
    assert link.startswith("http://bloemkwartier.example/accounts/confirm-email/")
    client.post(link.removeprefix("http://bloemkwartier.example"), **host)
    client.post(reverse("account_logout"), **host)
    response = client.post(
        reverse("account_login") + "?next=http://bloemkwartier.example/members/",
        {"login": "mo@example.org", "password": PASSWORD},
        **host,
    )
    assert response["Location"] == "http://bloemkwartier.example/members/"
    client.post(reverse("account_logout"), **host)
    # Another host in `next` (even the platform's own) is not followed.
    response = client.post(
        reverse("account_login") + "?next=http://testserver/",
        {"login": "mo@example.org", "password": PASSWORD},
        **host,
    )
    assert response["Location"] == "/"
    # An unknown host still gets 400 on account pages.
    assert client.get(reverse("account_login"), HTTP_HOST="unknown.example").status_code == 400


def test_password_change_signs_out_other_sessions(client, make_resident):
    from django.test import Client

    user = make_resident(email="pw@example.org")
    other_device = Client()
    other_device.post(reverse("account_login"), {"login": "pw@example.org", "password": PASSWORD})
    client.post(reverse("account_login"), {"login": "pw@example.org", "password": PASSWORD})
    new = "a-fresh-Passphrase-99"
    response = client.post(
        reverse("account_change_password"), {"oldpassword": "wrong", "password1": new, "password2": new}
    )
    assert response.status_code == 200 and b'id="id_oldpassword_error"' in response.content
    response = client.post(
        reverse("account_change_password"), {"oldpassword": PASSWORD, "password1": new, "password2": new}
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password(new)
    # The other device's session no longer authenticates.
    assert other_device.get(reverse("accounts:profile_edit")).status_code == 302


def test_a_totp_code_works_once(client, make_resident, with_totp):
    user = make_resident(email="once@example.org")
    code = with_totp(user)()
    client.post(reverse("account_login"), {"login": "once@example.org", "password": PASSWORD})
    assert client.post(reverse("mfa_authenticate"), {"code": code}).status_code == 302
    client.post(reverse("account_logout"))
    client.post(reverse("account_login"), {"login": "once@example.org", "password": PASSWORD})
    response = client.post(reverse("mfa_authenticate"), {"code": code})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
