"""How allauth behaves on Ctylab: normalised addresses, private usernames, same-host redirects."""

from allauth.account.adapter import DefaultAccountAdapter
from django.utils.crypto import get_random_string
from django.utils.http import url_has_allowed_host_and_scheme

from . import emails
from .signin_gate import mark_signed_in, used_second_factor


class AccountAdapter(DefaultAccountAdapter):
    def clean_email(self, email):
        return emails.normalize(super().clean_email(email))

    def authenticate(self, request, **credentials):
        # Whatever form or API calls this, the address is looked up, and its failed attempts
        # counted, in the normal form that sign-up stored.
        if credentials.get("email"):
            credentials["email"] = emails.normalize(credentials["email"])
        return super().authenticate(request, **credentials)

    def populate_username(self, request, user):
        # Usernames appear in the admin and its logs; one made from the address would
        # disclose it, so residents get a random one and are known by their display name.
        if not user.username:
            user.username = f"resident-{get_random_string(12, 'abcdefghijkmnpqrstuvwxyz23456789')}"

    def is_safe_url(self, url):
        """Only relative URLs and URLs on the host of this very request: a visitor who
        signs in on an initiative's own domain stays on that domain, and no ``next`` can
        send anyone to another site (the open ALLOWED_HOSTS is deliberately not used)."""
        request = self.request
        allowed = {request.get_host()} if request is not None else set()
        return url_has_allowed_host_and_scheme(
            url, allowed_hosts=allowed, require_https=bool(request and request.is_secure())
        )

    def login(self, request, user):
        """allauth calls this only once every stage of its flow passed (rate limits, e-mail
        verification, the two-factor step): the sign-in gate lets such sessions through."""
        super().login(request, user)
        mark_signed_in(request.session, user, second_factor=used_second_factor(request, user))
