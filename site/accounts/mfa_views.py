"""allauth's two-factor screens, leading on to where the user was going.

An editor sent to set up an authenticator app before the admin (``AdminTwoFactorMiddleware``
passes ``next``) used to land on the recovery-codes page with no way on. Both views below are
allauth's own; they only carry a same-host ``next`` through and offer it as "Continue".
"""

from urllib.parse import urlencode

from allauth.account.adapter import get_adapter
from allauth.mfa.recovery_codes.views import ViewRecoveryCodesView
from allauth.mfa.totp.views import ActivateTOTPView


def safe_next(request):
    """The request's ``next`` when it stays on this host (allauth's adapter decides), else None."""
    url = request.GET.get("next") or request.POST.get("next")
    if url and get_adapter(request).is_safe_url(url):
        return url
    return None


class ActivateTOTPLeadingOn(ActivateTOTPView):
    def get_success_url(self):
        url = super().get_success_url()
        next_url = safe_next(self.request)
        return f"{url}?{urlencode({'next': next_url})}" if next_url else url


class RecoveryCodesLeadingOn(ViewRecoveryCodesView):
    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "continue_url": safe_next(self.request)}


activate_totp = ActivateTOTPLeadingOn.as_view()
view_recovery_codes = RecoveryCodesLeadingOn.as_view()
