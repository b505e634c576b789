"""Sealing: quote contents and attachments are encrypted at rest with Fernet
(``cryptography``: AES-128-CBC with HMAC-SHA256, authenticated), so a database dump or a copy
of the attachment directory taken before the deadline reveals no amounts and no offers.
"""

import base64

from cryptography.fernet import Fernet, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings

from .conf import app_settings

_DERIVATION_INFO = b"ctylab.tenders.quote-key.v1"


def derived_key(secret: str) -> bytes:
    """A Fernet key derived from ``secret`` with HKDF-SHA256 (for development and tests only:
    in production the key comes from ``TENDER_QUOTE_KEYS``, see ``checks.py``)."""
    raw = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_DERIVATION_INFO).derive(
        secret.encode()
    )
    return base64.urlsafe_b64encode(raw)


def sealer() -> MultiFernet:
    """The configured keys as one MultiFernet: seals with the first, opens with any."""
    keys = app_settings.QUOTE_KEYS or [derived_key(settings.SECRET_KEY)]
    return MultiFernet([Fernet(key) for key in keys])


def seal(data: bytes) -> bytes:
    return sealer().encrypt(data)


def unseal(token: bytes) -> bytes:
    """Raises ``cryptography.fernet.InvalidToken`` if no configured key opens it."""
    return sealer().decrypt(bytes(token))
