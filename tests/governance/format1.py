"""Logs as they were before payload digests (format 1), and migration 0007 that re-chains them.

``to_format1`` turns a log written today back into what format 1 would have written: the
payload itself hashed, no salt, no digest; decision records that hold a head are rewritten to
hold the format-1 hash, as they would have been.
"""

import importlib

from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from governance.hashing import canonical_json, keccak_hex
from governance.models import Decision, LogEntry
from governance.services import log

migration = importlib.import_module("governance.migrations.0007_log_payload_digests")


def to_format1(initiative_id):
    """Rewrite the initiative's log in format 1; returns {format-2 hash: format-1 hash}."""
    renamed, prev = {}, log.GENESIS
    for entry in LogEntry.objects.filter(initiative_id=initiative_id).order_by("seq"):
        v1 = log.v1_entry_hash(
            initiative_id=entry.initiative_id, seq=entry.seq, kind=entry.kind, payload=entry.payload,
            created_at=entry.created_at, prev_hash=prev,
        )
        renamed[entry.hash] = v1
        LogEntry.objects.filter(pk=entry.pk).update(hash=v1, prev_hash=prev, salt="", payload_digest="", v1_hash=None)
        prev = v1
    for decision in Decision.objects.filter(proposal__initiative_id=initiative_id):
        record = {**decision.record, "log_head": renamed.get(decision.record["log_head"], decision.record["log_head"])}
        Decision.objects.filter(pk=decision.pk).update(record=record, record_hash=keccak_hex(canonical_json(record)))
    return renamed


def rechain():
    """Run the data step of migration 0007 on the current database, with the models as the
    migration sees them (its historical state), as ``migrate`` runs it."""
    state = MigrationExecutor(connection).loader.project_state(("governance", "0007_log_payload_digests"))
    migration.rechain(state.apps, None)
