"""The hash-chained governance log of an initiative.

Each entry's hash covers its position, kind, a salted digest of its payload, its time and
the previous entry's hash, so editing, removing or reordering any entry breaks the chain from
that point on. The head hash of the log goes into every decision record, which is anchored on
the chain: from then on even removing the latest entries is detectable.

The hash covers a digest of the payload rather than the payload, so that the whole chain can
be recomputed by anyone even where the payload is withheld (it names a member, or a proposal
still in draft): the open-data API publishes every entry's digest, and the payload and salt
only of entries that are public. Whoever holds a withheld payload and its salt (a member's own
entries, in "your data") can check that entry too.

Entries written before digests (format 1: the payload itself was hashed) were re-chained by
migration ``0007_log_payload_digests``; their old hash is kept in ``v1_hash`` and is still
checked here, and the log itself records where the old hashes that decision records hold now
sit (a ``log.rechained`` entry).
"""

import datetime
import json
import secrets

from django.db import IntegrityError, connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from ..exceptions import LogTampered
from ..hashing import canonical_json, sha256_hex
from ..models import LogEntry

GENESIS = "0" * 64
# The public kind of an entry whose very kind would tell too much (a member joined or left; a
# quote came in on a tender that does not show how many it has; each covers the others): the real kind travels inside the digested payload, under
# ``kind``, and the open-data API withholds every entry of this kind whole.
WITHHELD_KIND = "withheld"
SALT_BYTES = 16
_APPEND_ATTEMPTS = 5
_LOCK_NAMESPACE = 0x6C6F67  # "log": keeps our advisory locks apart from anyone else's


def new_salt():
    """A fresh salt: ``SALT_BYTES`` random bytes as lower-case hex."""
    return secrets.token_hex(SALT_BYTES)


def payload_digest(salt, payload):
    """``sha256(salt || canonical JSON of payload)`` as 64 lower-case hex digits.

    ``salt`` is hex; its raw bytes (not the hex text) come first. Canonical JSON is
    ``governance.hashing.canonical_json``: ``json.dumps(payload, sort_keys=True,
    separators=(",", ":"), ensure_ascii=False)`` encoded as UTF-8 (keys sorted by code point,
    no whitespace, non-ASCII characters as themselves). Raises ValueError for a salt that is
    not hex.
    """
    return sha256_hex(bytes.fromhex(salt) + canonical_json(payload))


def entry_hash(*, initiative_id, seq, kind, payload_digest, created_at, prev_hash):
    """The entry's hash: 64 hex digits of ``sha256(canonical JSON of {"at", "initiative",
    "kind", "payload_digest", "prev", "seq"})``.

    Source of the format, which the open-data API documents and ``docs/verify_log.py``
    recomputes: canonical JSON as in ``payload_digest``; ``at`` is the entry's time in UTC as
    ISO 8601 with microseconds (``2026-11-29T21:36:18.123456+00:00``), ``initiative`` and
    ``seq`` are integers, ``prev`` the previous entry's hash (64 zeros for the first).
    """
    return sha256_hex(
        canonical_json(
            {
                "initiative": initiative_id,
                "seq": seq,
                "kind": kind,
                "payload_digest": payload_digest,
                "at": created_at,
                "prev": prev_hash,
            }
        )
    )


def v1_entry_hash(*, initiative_id, seq, kind, payload, created_at, prev_hash):
    """Format 1, of entries written before digests: the payload itself instead of its digest,
    and ``prev`` the previous entry's format-1 hash."""
    return sha256_hex(
        canonical_json(
            {
                "initiative": initiative_id,
                "seq": seq,
                "kind": kind,
                "payload": payload,
                "at": created_at,
                "prev": prev_hash,
            }
        )
    )


def _hash_of(entry):
    return entry_hash(
        initiative_id=entry.initiative_id,
        seq=entry.seq,
        kind=entry.kind,
        payload_digest=entry.payload_digest,
        created_at=entry.created_at,
        prev_hash=entry.prev_hash,
    )


def _edited(entry, v1_prev):
    """Does the entry differ from what was hashed (now, or under format 1 before re-chaining)?"""
    try:
        digest = payload_digest(entry.salt, entry.payload)
    except (ValueError, TypeError):
        return True
    if digest != entry.payload_digest or _hash_of(entry) != entry.hash:
        return True
    if entry.v1_hash is None:
        return False
    return entry.v1_hash != v1_entry_hash(
        initiative_id=entry.initiative_id,
        seq=entry.seq,
        kind=entry.kind,
        payload=entry.payload,
        created_at=entry.created_at,
        prev_hash=v1_prev,
    )


def _serialise_appends(initiative_id):
    """On PostgreSQL, appenders to one log queue on a lock held until their commit."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [(_LOCK_NAMESPACE << 32) | initiative_id])


def real_kind(entry):
    """The entry's kind, looked up inside the payload for an entry appended with ``withhold``."""
    if entry.kind == WITHHELD_KIND and isinstance(entry.payload, dict):
        return entry.payload.get("kind", entry.kind)
    return entry.kind


@transaction.atomic
def append(initiative_id, kind, payload, at=None, withhold=False):
    """Add an entry at the end of the initiative's log; concurrent appenders take turns.

    ``withhold=True`` logs the entry under the public kind ``WITHHELD_KIND`` with ``kind`` put
    into the payload (which must not hold a ``kind`` of its own), so that only its digest, its
    position and its time are public (``real_kind`` reads it back).

    The unique (initiative, seq) constraint guarantees the chain never forks; the lock
    (PostgreSQL) or the database's single writer (SQLite) makes losing that race rare, and
    a loser simply reads the new end and tries again.
    """
    created_at = (at or timezone.now()).astimezone(datetime.UTC)
    if withhold:
        payload, kind = {**payload, "kind": kind}, WITHHELD_KIND
    # Store exactly what is digested (dict keys as strings, tuples as lists, datetimes as text).
    payload = json.loads(canonical_json(payload))
    _serialise_appends(initiative_id)
    for attempt in range(_APPEND_ATTEMPTS):
        last = (
            LogEntry.objects.filter(initiative_id=initiative_id)
            .order_by("-seq")
            .values_list("seq", "hash")
            .first()
        )
        seq, prev_hash = (last[0] + 1, last[1]) if last else (1, GENESIS)
        salt = new_salt()
        entry = LogEntry(
            initiative_id=initiative_id,
            seq=seq,
            kind=kind,
            payload=payload,
            salt=salt,
            payload_digest=payload_digest(salt, payload),
            created_at=created_at,
            prev_hash=prev_hash,
        )
        entry.hash = _hash_of(entry)
        try:
            with transaction.atomic():
                entry.save(force_insert=True)
        except IntegrityError:
            # Another writer took this position first (unique initiative+seq); go again.
            if attempt == _APPEND_ATTEMPTS - 1:
                raise
            continue
        return entry
    raise AssertionError("unreachable")


def head(initiative_id):
    """Hash of the latest entry (the genesis hash for an empty log)."""
    last = (
        LogEntry.objects.filter(initiative_id=initiative_id)
        .order_by("-seq")
        .values_list("hash", flat=True)
        .first()
    )
    return last or GENESIS


def problems(initiative_id):
    """Everything wrong with the initiative's log, as human-readable sentences (empty = intact)."""
    found = []
    expected_seq, prev_hash, v1_prev = 1, GENESIS, GENESIS
    for entry in LogEntry.objects.filter(initiative_id=initiative_id).order_by("seq").iterator():
        if entry.seq != expected_seq:
            found.append(
                _("Entry %(expected)s is missing (the log jumps to entry %(seq)s).")
                % {"expected": expected_seq, "seq": entry.seq}
            )
        if entry.prev_hash != prev_hash:
            found.append(
                _("Entry %(seq)s does not follow the entry before it (removed or reordered).")
                % {"seq": entry.seq}
            )
        if _edited(entry, v1_prev):
            found.append(_("Entry %(seq)s was edited after it was written.") % {"seq": entry.seq})
        expected_seq, prev_hash = entry.seq + 1, entry.hash
        v1_prev = entry.v1_hash or v1_prev
    return found


def verify(initiative_id, anchored_heads=()):
    """Raise LogTampered unless the log is intact and contains every anchored head hash."""
    found = problems(initiative_id)
    if anchored_heads:
        # Records made before re-chaining hold the entry's format-1 hash.
        present = set()
        for entry_hash_, v1_hash in LogEntry.objects.filter(
            Q(hash__in=anchored_heads) | Q(v1_hash__in=anchored_heads), initiative_id=initiative_id
        ).values_list("hash", "v1_hash"):
            present.update((entry_hash_, v1_hash))
        for missing in sorted(set(anchored_heads) - present - {GENESIS}):
            found.append(
                _("The entry %(hash)s that a decision on the chain refers to is gone.")
                % {"hash": missing[:12]}
            )
        found.extend(_missing_anchor_entries(initiative_id))
    if found:
        raise LogTampered(found)
    return True


def _missing_anchor_entries(initiative_id):
    """Every confirmed deployment was logged when it was confirmed: its entry must be there."""
    from ..models import Deployment, DeploymentStatus

    logged = {
        payload.get("tx_hash")
        for payload in LogEntry.objects.filter(initiative_id=initiative_id, kind="decision.anchored").values_list(
            "payload", flat=True
        )
    }
    confirmed = Deployment.objects.filter(
        decision__proposal__initiative_id=initiative_id, status=DeploymentStatus.CONFIRMED
    ).values_list("tx_hash", flat=True)
    return [
        _("The entry recording that transaction %(tx)s anchored a decision is gone.") % {"tx": tx_hash[:12]}
        for tx_hash in confirmed
        if tx_hash not in logged
    ]


def anchored_heads(initiative_id):
    """Log heads that decision records of this initiative hold (and the chain anchors)."""
    from ..models import Decision

    records = Decision.objects.filter(proposal__initiative_id=initiative_id).values_list("record", flat=True)
    return [record["log_head"] for record in records if record.get("log_head")]
