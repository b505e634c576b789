"""System checks: production must have its own key for sealing quotes."""

from cryptography.fernet import Fernet
from django.conf import settings
from django.core.checks import Error

from .conf import app_settings


def check_quote_keys(app_configs=None, **kwargs):
    """``TENDER_QUOTE_KEYS`` must be set, and valid, outside DEBUG (run by ``check --deploy``).

    Without it quotes would be sealed with a key derived from ``SECRET_KEY``, so anyone who
    holds the settings and a database dump could open sealed quotes.
    """
    keys = app_settings.QUOTE_KEYS
    if not keys:
        if settings.DEBUG:
            return []
        return [
            Error(
                "TENDER_QUOTE_KEYS is not set: quotes would be sealed with a key derived from "
                "SECRET_KEY.",
                hint="Generate one with `python -c 'from cryptography.fernet import Fernet; "
                "print(Fernet.generate_key().decode())'` and set TENDER_QUOTE_KEYS.",
                id="tenders.E001",
            )
        ]
    errors = []
    for index, key in enumerate(keys):
        try:
            Fernet(key)
        except (ValueError, TypeError):
            errors.append(
                Error(
                    f"TENDER_QUOTE_KEYS[{index}] is not a Fernet key (32 url-safe base64 bytes).",
                    id="tenders.E002",
                )
            )
    return errors
