"""Settings of the tenders app, with their defaults, read when used (never at import)."""

from decimal import Decimal

from django.conf import settings


class AppSettings:
    prefix = "TENDER_"

    def _setting(self, name, default):
        return getattr(settings, self.prefix + name, default)

    @property
    def QUOTE_KEYS(self):
        """Fernet keys (url-safe base64, 32 bytes each) that seal quotes, newest first.

        A list, so keys can be rotated (``cryptography``'s ``MultiFernet``): the first key
        seals, every key opens. Empty means "derive one from ``SECRET_KEY``", which
        ``checks.py`` refuses in production (``check --deploy``): there the key must be kept
        apart from the database and from the Django secret.
        """
        keys = self._setting("QUOTE_KEYS", [])
        if isinstance(keys, str):
            keys = [key.strip() for key in keys.split(",") if key.strip()]
        return list(keys)

    @property
    def ATTACHMENT_ROOT(self):
        """Directory of sealed quote attachments; never under ``MEDIA_ROOT`` (not public)."""
        return self._setting("ATTACHMENT_ROOT", settings.VAR_DIR / "tender-attachments")

    @property
    def MAX_ATTACHMENT_BYTES(self):
        """Largest PDF a bidder may attach, in bytes (default 5 MiB)."""
        return self._setting("MAX_ATTACHMENT_BYTES", 5 * 1024 * 1024)

    @property
    def MAX_AMOUNT(self):
        """The largest amount in euros any quote may name, whatever its reason (an absurd
        amount is a typing error, not a quote)."""
        return Decimal(self._setting("MAX_AMOUNT", "100000000"))


app_settings = AppSettings()
