"""The two-factor step's form: a code field that phones and password managers recognise."""

from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.base.forms import AuthenticateForm
from django.utils.translation import gettext_lazy as _


class CodeAuthenticateForm(AuthenticateForm):
    """allauth's form, with the code field marked up for one-time codes.

    ``autocomplete="one-time-code"`` lets browsers and password managers offer the code;
    ``inputmode="numeric"`` opens the digit keypad (TOTP codes and allauth's recovery codes
    are digits only). ``data-autosubmit-digits`` is the TOTP length (``MFA_TOTP_DIGITS``):
    accounts/code_autosubmit.js sends the form once that many digits are in the field.
    Without JavaScript the Sign in button does it.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        code = self.fields["code"]
        code.label = _("Code")
        code.help_text = _(
            "The %(digits)s-digit code from your authenticator app, or one of your recovery codes."
        ) % {"digits": mfa_settings.TOTP_DIGITS}
        code.widget.attrs.update(
            {
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "autocapitalize": "off",
                "spellcheck": "false",
                "maxlength": str(max(mfa_settings.TOTP_DIGITS, mfa_settings.RECOVERY_CODE_DIGITS)),
                "data-autosubmit-digits": str(mfa_settings.TOTP_DIGITS),
                "autofocus": True,
            }
        )
