"""The hash-chained governance log of an initiative.

Each entry's hash covers its position, kind, payload, time and the previous entry's hash, so
editing, removing or reordering any entry breaks the chain from that point on. The head hash
of the log goes into every decision record, which is anchored on the chain: from then on
even removing the latest entries is detectable.
"""

import datetime

from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..exceptions import LogTampered
from ..hashing import canonical_json, sha256_hex
from ..models import LogEntry

GENESIS = "0" * 64
_APPEND_ATTEMPTS = 5
_LOCK_NAMESPACE = 0x6C6F67  # "log": keeps our advisory locks apart from anyone else's


def entry_hash(*, initiative_id, seq, kind, payload, created_at, prev_hash):
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
        payload=entry.payload,
        created_at=entry.created_at,
        prev_hash=entry.prev_hash,
    )


def _serialise_appends(initiative_id):
    """On PostgreSQL, appenders to one log queue on a lock held until their commit."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [(_LOCK_NAMESPACE << 32) | initiative_id])


@transaction.atomic
def append(initiative_id, kind, payload, at=None):
    """Add an entry at the end of the initiative's log; concurrent appenders take turns.

    The unique (initiative, seq) constraint guarantees the chain never forks; the lock
    (PostgreSQL) or the database's single writer (SQLite) makes losing that race rare, and
    a loser simply reads the new end and tries again.
    """
    created_at = (at or timezone.now()).astimezone(datetime.UTC)
    _serialise_appends(initiative_id)
    for attempt in range(_APPEND_ATTEMPTS):
        last = (
            LogEntry.objects.filter(initiative_id=initiative_id)
            .order_by("-seq")
            .values_list("seq", "hash")
            .first()
        )
        seq, prev_hash = (last[0] + 1, last[1]) if last else (1, GENESIS)
        entry = LogEntry(
            initiative_id=initiative_id,
            seq=seq,
            kind=kind,
            payload=payload,
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
    expected_seq, prev_hash = 1, GENESIS
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
        if _hash_of(entry) != entry.hash:
            found.append(_("Entry %(seq)s was edited after it was written.") % {"seq": entry.seq})
        expected_seq, prev_hash = entry.seq + 1, entry.hash
    return found


def verify(initiative_id, anchored_heads=()):
    """Raise LogTampered unless the log is intact and contains every anchored head hash."""
    found = problems(initiative_id)
    if anchored_heads:
        present = set(
            LogEntry.objects.filter(initiative_id=initiative_id, hash__in=anchored_heads).values_list(
                "hash", flat=True
            )
        )
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
