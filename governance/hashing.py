"""Canonical encodings and hashes shared by the log, the decision record and the ballots."""

import datetime
import hashlib
import json
from decimal import Decimal

from eth_utils import keccak


def _default(value):
    if isinstance(value, datetime.datetime):
        return value.astimezone(datetime.UTC).isoformat(timespec="microseconds")
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    raise TypeError(f"{type(value).__name__} has no canonical form")


def canonical_json(data) -> bytes:
    """Bytes that are the same for equal data, whoever computes them (sorted keys, no spaces)."""
    return json.dumps(
        data, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=_default
    ).encode()


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def keccak_hex(data: bytes) -> str:
    return "0x" + keccak(data).hex()
