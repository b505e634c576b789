"""System checks: refuse account settings that would weaken sign-in."""

from django.conf import settings
from django.core import checks
from django.urls import NoReverseMatch, reverse
from django.utils.module_loading import import_string


def _is_csp_middleware(path):
    from csp.middleware import CSPMiddleware

    try:
        middleware = import_string(path)
    except ImportError:
        return False
    return isinstance(middleware, type) and issubclass(middleware, CSPMiddleware)


def check_account_settings(app_configs=None, **kwargs):
    errors = []
    if getattr(settings, "ACCOUNT_EMAIL_VERIFICATION", None) != "mandatory":
        errors.append(
            checks.Error(
                "ACCOUNT_EMAIL_VERIFICATION must be 'mandatory': residents vote with their accounts.",
                id="accounts.E001",
            )
        )
    if getattr(settings, "ACCOUNT_RATE_LIMITS", None) is False:
        errors.append(checks.Error("ACCOUNT_RATE_LIMITS must not be False.", id="accounts.E002"))
    if "totp" not in getattr(settings, "MFA_SUPPORTED_TYPES", ["totp"]):
        errors.append(
            checks.Error("MFA_SUPPORTED_TYPES must include 'totp' (staff need it).", id="accounts.E003")
        )
    login_url = getattr(settings, "WAGTAILADMIN_LOGIN_URL", None)
    try:
        allauth_login = reverse("account_login")
    except NoReverseMatch:
        allauth_login = None
    if login_url not in {"account_login", allauth_login}:
        errors.append(
            checks.Error(
                "WAGTAILADMIN_LOGIN_URL must be allauth's login, or the admin bypasses rate "
                "limits and two-factor authentication.",
                id="accounts.E004",
            )
        )
    if not any(_is_csp_middleware(path) for path in settings.MIDDLEWARE):
        errors.append(
            checks.Warning("The Content-Security-Policy middleware is not installed.", id="accounts.W001")
        )
    return errors
