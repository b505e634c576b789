"""Two-factor authentication before the admin."""

from urllib.parse import urlencode

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from .conf import app_settings


def needs_two_factor(user):
    """Staff, superusers and everyone who may use Wagtail's admin (initiative editors)."""
    return user.is_staff or user.is_superuser or user.has_perm("wagtailadmin.access_admin")


def has_totp(user):
    from allauth.mfa.models import Authenticator

    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


class AdminTwoFactorMiddleware:
    """Sends a signed-in admin user without an authenticator app to set one up first.

    With one set up, allauth's sign-in asks for its code on every login; and the admin's own
    login page redirects to allauth's, so there is no way into the admin around that step.
    """

    exempt_names = ("wagtailadmin_logout",)

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if self._must_set_up(request):
            messages.info(
                request,
                _("To use the admin, first set up two-factor authentication with an authenticator app."),
            )
            target = reverse("mfa_activate_totp")
            return redirect(f"{target}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)

    def _must_set_up(self, request):
        if not app_settings.REQUIRE_TWO_FACTOR_FOR_ADMIN:
            return False
        if not request.path.startswith(app_settings.ADMIN_PATH_PREFIXES):
            return False
        if request.path in {reverse(name) for name in self.exempt_names}:
            return False
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return False
        return needs_two_factor(user) and not has_totp(user)
