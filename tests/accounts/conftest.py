"""Fixtures for accounts: residents with verified addresses, TOTP, members of initiatives."""

import itertools
import re

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core import mail

from accounts.services import create_profile

PASSWORD = "a-long-Passphrase-42"
_numbers = itertools.count(1)


@pytest.fixture(autouse=True)
def two_factor_for_admin(settings):
    """As in production: admin users need an authenticator app (test settings switch it off
    for the other apps' tests)."""
    settings.ACCOUNTS_REQUIRE_TWO_FACTOR_FOR_ADMIN = True


@pytest.fixture(autouse=True)
def fresh_cache():
    """Rate limits live in the cache; every test starts with none used."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def make_resident(db):
    def make(email=None, display_name=None, password=PASSWORD, verified=True, **extra):
        n = next(_numbers)
        email = email or f"resident{n}@example.org"
        user = get_user_model().objects.create_user(
            username=f"resident-test-{n}", email=email, password=password, **extra
        )
        EmailAddress.objects.create(user=user, email=email, verified=verified, primary=True)
        create_profile(user, display_name=display_name or f"Resident {n}")
        return user

    return make


@pytest.fixture
def with_totp():
    """Give a user an authenticator app; returns a function making its current code."""
    from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, generate_totp_secret, hotp_value

    def activate(user):
        secret = generate_totp_secret()
        TOTP.activate(user, secret)

        def code(offset=0):
            import time

            from allauth.mfa import app_settings

            counter = int(time.time()) // app_settings.TOTP_PERIOD + offset
            return format_hotp_value(hotp_value(secret, counter))

        return code

    return activate


def last_email_to(address):
    for message in reversed(mail.outbox):
        if address in message.to:
            return message
    raise AssertionError(f"no e-mail to {address} in {[m.to for m in mail.outbox]}")


def link_in(message):
    match = re.search(r"https?://[^\s\"'<>]+", message.body)
    assert match, message.body
    return match.group(0)


def code_in(message):
    match = re.search(r"^\s*([A-Z0-9]{4,}(?:-[A-Z0-9]+)?)\s*$", message.body, re.MULTILINE)
    assert match, message.body
    return match.group(1)
