"""Device tokens: shown once, stored as their SHA-256, rotated or revoked by editors.

A token is 32 random bytes (``secrets.token_urlsafe``), so a plain, unsalted SHA-256 is
enough to make the stored hash useless to an attacker (no dictionary to try), and it allows
looking a device up by its token with one indexed query.
"""

import hashlib
import hmac
import secrets

from django.utils import timezone


def hash_token(token):
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def issue_token(device):
    """Give ``device`` a new token (the old one stops working) and return it, in plain text.

    This is the only moment the token exists outside the device: it is not stored.
    """
    token = secrets.token_urlsafe(32)
    device.token_hash = hash_token(token)
    device.token_issued_at = timezone.now()
    device.save(update_fields=["token_hash", "token_issued_at"])
    return token


def revoke_token(device):
    device.token_hash = ""
    device.save(update_fields=["token_hash"])


def device_for_token(token, queryset=None):
    """The device whose token this is, or None (also for an empty or revoked token)."""
    from ..models import Device

    if not token or not isinstance(token, str) or len(token) > 200:
        return None
    digest = hash_token(token)
    device = (queryset or Device.objects).filter(token_hash=digest).first()
    # The lookup is by an index; the comparison is constant-time all the same.
    if device is None or not hmac.compare_digest(device.token_hash, digest):
        return None
    return device


def token_matches(device, token):
    return bool(device.token_hash) and isinstance(token, str) and hmac.compare_digest(
        device.token_hash, hash_token(token)
    )
