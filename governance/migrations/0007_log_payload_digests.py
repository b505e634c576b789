"""The governance log hashes a salted digest of each payload instead of the payload.

Why re-chain rather than keep two formats side by side: under format 1 an entry whose payload
names a member (``{"role": "participant", "user": 42}``) can be neither recomputed by anyone
the payload is withheld from, nor published safely (its hash can be brute-forced over the few
member ids and roles, and so tells who joined). Keeping format-1 entries in the chain would
keep both problems for every log that exists. So every entry gets a salt and a digest and the
chain is recomputed in format 2, which anyone can recompute from the open-data API alone.

What depends on the old hashes: only decision records (``record["log_head"]``), whose
keccak256 is anchored on the chain and so can never change. Those heads stay findable:

- each re-chained entry keeps its old hash in ``v1_hash`` (never published), so the site's own
  check (``services.log.verify``) still finds every anchored head and still recomputes the
  format-1 chain from the payloads: re-chaining hides no earlier edit;
- a public ``log.rechained`` entry is appended to each log, naming the format-1 hashes that
  decision records hold and the position of their entry (``{"v1_heads": {hash: seq}}``). It is
  part of the new chain, so which entry an anchored head was cannot be changed afterwards
  without breaking the chain, and the next anchored decision pins it. Only those hashes are
  named: they are public already (in the decision's record), the others could be brute-forced.

Nothing else holds a log hash: tender and ballot receipts are commitments of their own
(``tenders.receipts``, ``governance.merkle``), deployments and the contract hold the record's
keccak256. Irreversible: after it, new entries exist only in format 2 and decision records
anchor format-2 heads.

The formulas are copied here, frozen, as a migration must be; ``services.log`` is the source.
"""

import datetime
import hashlib
import json
import secrets
from decimal import Decimal

from django.db import migrations, models
from django.utils import timezone

GENESIS = "0" * 64


def _default(value):
    if isinstance(value, datetime.datetime):
        return value.astimezone(datetime.UTC).isoformat(timespec="microseconds")
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    raise TypeError(f"{type(value).__name__} has no canonical form")


def canonical_json(data):
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=_default).encode()


def sha256_hex(data):
    return hashlib.sha256(data).hexdigest()


def payload_digest(salt, payload):
    return sha256_hex(bytes.fromhex(salt) + canonical_json(payload))


def entry_hash(entry):
    return sha256_hex(
        canonical_json(
            {
                "initiative": entry.initiative_id,
                "seq": entry.seq,
                "kind": entry.kind,
                "payload_digest": entry.payload_digest,
                "at": entry.created_at,
                "prev": entry.prev_hash,
            }
        )
    )


def rechain(apps, schema_editor):
    LogEntry = apps.get_model("governance", "LogEntry")
    Decision = apps.get_model("governance", "Decision")
    held = {
        record.get("log_head")
        for record in Decision.objects.values_list("record", flat=True)
        if isinstance(record, dict)
    }
    initiative_ids = LogEntry.objects.order_by().values_list("initiative_id", flat=True).distinct()
    for initiative_id in sorted(set(initiative_ids)):
        entries = list(LogEntry.objects.filter(initiative_id=initiative_id).order_by("seq"))
        prev = GENESIS
        v1_heads = {}
        for entry in entries:
            entry.v1_hash = entry.hash
            if entry.hash in held:
                v1_heads[entry.hash] = entry.seq
            entry.salt = secrets.token_hex(16)
            entry.payload_digest = payload_digest(entry.salt, entry.payload)
            entry.prev_hash = prev
            entry.hash = prev = entry_hash(entry)
        LogEntry.objects.bulk_update(entries, ["v1_hash", "salt", "payload_digest", "prev_hash", "hash"], batch_size=500)
        salt = secrets.token_hex(16)
        payload = {"format": 2, "rechained": len(entries), "v1_heads": v1_heads}
        note = LogEntry(
            initiative_id=initiative_id,
            seq=entries[-1].seq + 1,
            kind="log.rechained",
            payload=payload,
            salt=salt,
            payload_digest=payload_digest(salt, payload),
            created_at=max(timezone.now(), entries[-1].created_at).astimezone(datetime.UTC),
            prev_hash=prev,
        )
        note.hash = entry_hash(note)
        note.save(force_insert=True)


class Migration(migrations.Migration):

    dependencies = [
        ("governance", "0006_decision_updates"),
    ]

    operations = [
        migrations.AddField(
            model_name="logentry",
            name="salt",
            field=models.CharField(default="", max_length=32),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="logentry",
            name="payload_digest",
            field=models.CharField(default="", max_length=64),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="logentry",
            name="v1_hash",
            field=models.CharField(blank=True, max_length=64, null=True, unique=True),
        ),
        migrations.RunPython(rechain, elidable=False),
    ]
