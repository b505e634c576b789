"""The sign-in gate: a session counts as signed in only when allauth's whole flow made it.

allauth's login flow (password, login by code, password reset with login, e-mail
confirmation with login) runs its stages — rate limits, e-mail verification, the two-factor
step — and ends in ``AccountAdapter.login``, which marks the session here. Any other route to
``django.contrib.auth.login`` (Django's stock ``LoginView`` that Wagtail mounts at
``/_util/login/``, a third-party view, a future Wagtail or Django route) makes a session
without that mark, and the gate signs it out again before any view runs. So the rule does not
depend on knowing every login URL: the routes we know of also redirect to allauth's sign-in
(``accounts.views.login_redirect``), and the gate covers the ones we do not.

The mark also says whether the session passed a second factor. A user who has an
authenticator app but whose session did not pass it (signed in before the app was set up)
reaches no admin URL: the gate signs that session out and sends it to sign in again.

Session shape: ``session[SESSION_KEY] = {"user": "<pk as str>", "second_factor": bool}``.
"""

from urllib.parse import urlencode

from allauth.account.internal.flows.login import get_authentication_records
from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from .conf import app_settings

SESSION_KEY = "ctylab_sign_in"


def used_second_factor(request, user):
    """Whether this session's allauth records hold a second factor (TOTP, recovery code,
    WebAuthn) for ``user``, as allauth's ``record_authentication`` writes them."""
    return any(record.get("method") == "mfa" for record in get_authentication_records(request, user))


def mark_signed_in(session, user, *, second_factor):
    """Record in ``session`` that ``user`` passed allauth's flow (and whether with a second
    factor). Called by the adapter once allauth has logged the user in."""
    session[SESSION_KEY] = {"user": str(user.pk), "second_factor": bool(second_factor)}


def mark_second_factor(session, user):
    """After ``user`` proved an authenticator app in this session (setting one up asks for
    its current code), the session counts as having passed the second factor."""
    mark = session.get(SESSION_KEY)
    if mark and mark.get("user") == str(user.pk):
        session[SESSION_KEY] = {**mark, "second_factor": True}


def has_authenticator_app(user):
    from allauth.mfa.models import Authenticator

    return Authenticator.objects.filter(
        user=user, type__in=(Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN)
    ).exists()


class SignInGateMiddleware:
    """Signs out every session that allauth's flow did not make, before any view runs.

    Must come after ``AuthenticationMiddleware`` and ``MessageMiddleware`` and before the
    views; on admin paths it also refuses sessions without a second factor when the user has
    an authenticator app.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            response = self._check(request, user)
            if response is not None:
                return response
        return self.get_response(request)

    def _check(self, request, user):
        mark = request.session.get(SESSION_KEY) or {}
        on_admin = request.path.startswith(app_settings.ADMIN_PATH_PREFIXES)
        if mark.get("user") != str(user.pk):
            logout(request)
            if on_admin:
                return self._to_sign_in(request)
            return None
        if on_admin and not mark.get("second_factor") and has_authenticator_app(user):
            logout(request)
            messages.info(request, _("Sign in again with your authenticator app to use the admin."))
            return self._to_sign_in(request)
        return None

    @staticmethod
    def _to_sign_in(request):
        target = reverse("account_login")
        return redirect(f"{target}?{urlencode({'next': request.get_full_path()})}")
