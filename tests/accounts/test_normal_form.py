"""One normal form at every door (issue 15, kind 4): an address signs in, gets its code, its
reset link and its rate limit under the form sign-up stored, whatever the spelling."""

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.urls import reverse

from .conftest import PASSWORD, code_in, last_email_to, link_in

pytestmark = pytest.mark.django_db
User = get_user_model()

TYPED = "Anna@Bücher.example"
STORED = "anna@xn--bcher-kva.example"
# Spellings sign-up would store as the same address: as typed, upper case, full-width
# letters (NFKC), the punycode domain, surrounding space.
SPELLINGS = [TYPED, "ANNA@BÜCHER.EXAMPLE", "Ａｎｎａ@bücher.example", STORED, f"  {TYPED} "]


@pytest.fixture
def anna(client, home):
    """Signed up as ``Anna@Bücher.example`` and verified through the e-mailed link."""
    response = client.post(
        reverse("account_signup"),
        {"display_name": "Anna", "email": TYPED, "password1": PASSWORD, "password2": PASSWORD},
    )
    assert response.status_code == 302
    user = User.objects.get(email=STORED)
    client.post(link_in(last_email_to(STORED)).removeprefix("http://testserver"))
    assert EmailAddress.objects.get(user=user).verified
    client.post(reverse("account_logout"))
    assert "_auth_user_id" not in client.session
    return user


@pytest.mark.parametrize("spelling", SPELLINGS)
def test_signs_in_with_any_spelling_of_the_address(client, anna, spelling):
    response = client.post(reverse("account_login"), {"login": spelling, "password": PASSWORD})
    assert response.status_code == 302, response.content.decode()[:3000]
    assert response["Location"] == "/"
    assert int(client.session["_auth_user_id"]) == anna.pk


def test_login_by_code_mails_a_code_not_unknown_account(client, anna):
    response = client.post(reverse("account_request_login_code"), {"email": TYPED})
    assert response.status_code == 302
    message = last_email_to(STORED)
    assert "Unknown Account" not in message.subject
    response = client.post(reverse("account_confirm_login_code"), {"code": code_in(message)})
    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == anna.pk


def test_password_reset_reaches_the_account(client, anna):
    assert client.post(reverse("account_reset_password"), {"email": "ANNA@BÜCHER.EXAMPLE"}).status_code == 302
    message = last_email_to(STORED)
    assert "/accounts/password/reset/key/" in link_in(message)


def test_failed_attempts_count_per_address_not_per_spelling(client, anna):
    # ACCOUNT_RATE_LIMITS: at most 5 failed logins per address in 5 minutes.
    for spelling in SPELLINGS:
        client.post(reverse("account_login"), {"login": spelling, "password": "wrong-guess"})
    response = client.post(reverse("account_login"), {"login": "anna@BÜCHER.example", "password": "another-guess"})
    assert "Too many failed login attempts" in response.content.decode()


def test_another_account_cannot_add_the_address_in_another_spelling(client, anna, make_resident):
    client.force_login(make_resident())
    response = client.post(reverse("account_email"), {"action_add": "", "email": "ANNA@Bücher.Example"})
    assert response.status_code == 200
    assert "An account with this e-mail address already exists." in response.content.decode()
    assert EmailAddress.objects.filter(email=STORED).count() == 1


def test_addresses_written_outside_the_forms_are_stored_in_normal_form(client, home):
    # Wagtail's user forms, createsuperuser, imports: the model is the last door.
    user = User.objects.create_user(username="bea", email="Bea@Bücher.example", password=PASSWORD)
    EmailAddress.objects.create(user=user, email="BEA@BÜCHER.example", verified=True, primary=True)
    user.refresh_from_db()
    assert user.email == "bea@xn--bcher-kva.example"
    assert EmailAddress.objects.get(user=user).email == "bea@xn--bcher-kva.example"
    response = client.post(reverse("account_login"), {"login": "Bea@Bücher.example", "password": PASSWORD})
    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == user.pk
