import datetime
import hashlib
import json

import pytest

from governance import services
from governance.exceptions import LogTampered
from governance.hashing import canonical_json
from governance.models import LogEntry
from governance.services import log


@pytest.fixture
def logged(initiative, make_member, make_proposal):
    make_member()
    make_member()
    make_proposal()
    entries = list(LogEntry.objects.filter(initiative=initiative).order_by("seq"))
    assert len(entries) == 5  # three joins, created, opened
    return initiative


def test_an_intact_log_verifies(logged):
    assert log.problems(logged.pk) == []
    assert log.verify(logged.pk)
    first, second = LogEntry.objects.filter(initiative=logged).order_by("seq")[:2]
    assert first.prev_hash == log.GENESIS and second.prev_hash == first.hash


def test_an_edited_entry_is_detected(logged):
    entry = LogEntry.objects.get(initiative=logged, seq=2)
    LogEntry.objects.filter(pk=entry.pk).update(payload={**entry.payload, "role": "frontrunner"})
    with pytest.raises(LogTampered, match="Entry 2 was edited"):
        log.verify(logged.pk)


def test_an_edit_with_a_recomputed_hash_breaks_the_next_link(logged):
    entry = LogEntry.objects.get(initiative=logged, seq=2)
    entry.payload = {**entry.payload, "role": "frontrunner"}
    entry.payload_digest = log.payload_digest(entry.salt, entry.payload)
    entry.hash = log._hash_of(entry)
    entry.save()
    with pytest.raises(LogTampered, match="Entry 3 does not follow"):
        log.verify(logged.pk)


def test_a_swapped_salt_or_digest_is_detected(logged):
    entry = LogEntry.objects.get(initiative=logged, seq=2)
    LogEntry.objects.filter(pk=entry.pk).update(salt=log.new_salt())
    with pytest.raises(LogTampered, match="Entry 2 was edited"):
        log.verify(logged.pk)
    LogEntry.objects.filter(pk=entry.pk).update(salt="not hex")
    with pytest.raises(LogTampered, match="Entry 2 was edited"):
        log.verify(logged.pk)


def test_the_hash_covers_a_salted_digest_of_the_payload_not_the_payload(logged):
    """Equal payloads get different digests (fresh salt each), and the hash is recomputable
    from the digest alone; whoever has payload and salt can check the digest."""
    one, two = LogEntry.objects.filter(initiative=logged, payload__kind="member.joined").order_by("seq")[1:3]
    assert one.payload["role"] == two.payload["role"] and one.salt != two.salt
    assert len(one.salt) == 32 and one.payload_digest != two.payload_digest
    assert one.payload_digest == hashlib.sha256(bytes.fromhex(one.salt) + canonical_json(one.payload)).hexdigest()
    body = {
        "initiative": logged.pk, "seq": one.seq, "kind": one.kind, "payload_digest": one.payload_digest,
        "at": one.created_at.astimezone(datetime.UTC).isoformat(timespec="microseconds"), "prev": one.prev_hash,
    }
    text = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    assert hashlib.sha256(text.encode()).hexdigest() == one.hash


def test_the_payload_stored_is_the_payload_digested(initiative):
    entry = log.append(initiative.pk, "test.odd", {2: ("a", "b"), 10: "ten"})
    entry.refresh_from_db()
    assert entry.payload == {"2": ["a", "b"], "10": "ten"}
    assert log.problems(initiative.pk) == []


def test_a_removed_entry_is_detected(logged):
    LogEntry.objects.filter(initiative=logged, seq=3).delete()
    with pytest.raises(LogTampered) as error:
        log.verify(logged.pk)
    assert "Entry 3 is missing" in str(error.value)
    assert any("Entry 4 does not follow" in p for p in error.value.problems)


def test_reordered_entries_are_detected(logged):
    two = LogEntry.objects.get(initiative=logged, seq=2)
    three = LogEntry.objects.get(initiative=logged, seq=3)
    LogEntry.objects.filter(pk=two.pk).update(seq=99)
    LogEntry.objects.filter(pk=three.pk).update(seq=2)
    LogEntry.objects.filter(pk=two.pk).update(seq=3)
    with pytest.raises(LogTampered, match="does not follow"):
        log.verify(logged.pk)


def test_removing_the_latest_entries_is_caught_by_the_anchored_head(logged, make_proposal):
    proposal = make_proposal()
    decision = services.close_proposal(proposal, now=proposal.closes_at)
    head = decision.record["log_head"]
    assert log.verify(logged.pk, log.anchored_heads(logged.pk))
    LogEntry.objects.filter(initiative=logged, seq__gte=LogEntry.objects.get(hash=head).seq).delete()
    assert log.problems(logged.pk) == []  # the remaining chain is consistent on its own…
    with pytest.raises(LogTampered, match="refers to is gone"):  # …but the anchor knows
        log.verify(logged.pk, log.anchored_heads(logged.pk))


def test_logs_of_initiatives_are_separate_chains(logged, make_initiative, make_user):
    other = make_initiative(title="Other")
    services.join(other, make_user())
    assert LogEntry.objects.get(initiative=other).prev_hash == log.GENESIS
    assert log.verify(other.pk) and log.verify(logged.pk)


@pytest.mark.parametrize("removed", [1, 2])
def test_removing_the_last_entries_of_a_log_with_an_anchored_decision_is_detected(
    logged, make_proposal, removed
):
    """The decision anchors the log head including its own "proposal.closed" entry, and the
    confirmed deployment's "decision.anchored" entry must be there too."""
    proposal = make_proposal()
    decision = services.close_proposal(proposal, now=proposal.closes_at)
    services.anchor(decision.deployment.pk, now=proposal.closes_at)
    kinds = list(LogEntry.objects.filter(initiative=logged).values_list("kind", flat=True))
    assert kinds[-2:] == ["proposal.closed", "decision.anchored"]
    assert decision.record["log_head"] == LogEntry.objects.get(initiative=logged, kind="proposal.closed").hash
    assert log.verify(logged.pk, log.anchored_heads(logged.pk))

    last = LogEntry.objects.filter(initiative=logged).order_by("-seq")[:removed]
    LogEntry.objects.filter(pk__in=[entry.pk for entry in last]).delete()
    assert log.problems(logged.pk) == []  # what is left is a consistent chain…
    with pytest.raises(LogTampered):  # …but not the one that was anchored
        log.verify(logged.pk, log.anchored_heads(logged.pk))
