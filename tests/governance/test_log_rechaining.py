"""Migration 0007: logs written in format 1 are re-chained with salted payload digests, and the
format-1 heads that decision records hold stay findable."""

import pytest

from governance import services
from governance.exceptions import LogTampered
from governance.models import LogEntry
from governance.services import log
from tests.governance.format1 import rechain, to_format1

pytestmark = pytest.mark.django_db


@pytest.fixture
def old_log(initiative, make_member, make_proposal, frontrunner):
    """A format-1 log: joins, a proposal, and its closing by a frontrunner (a private entry
    whose format-1 hash the decision record holds)."""
    make_member()
    proposal = make_proposal()
    decision = services.close_proposal(proposal, user=frontrunner, now=proposal.closes_at)
    to_format1(initiative.pk)
    decision.refresh_from_db()
    return initiative, decision


def test_a_format1_log_is_re_chained_and_verifies(old_log):
    initiative, decision = old_log
    v1_head = decision.record["log_head"]
    before = list(LogEntry.objects.filter(initiative=initiative).order_by("seq").values_list("seq", "hash", "payload"))
    rechain()
    entries = list(LogEntry.objects.filter(initiative=initiative).order_by("seq"))
    assert [entry.v1_hash for entry in entries[:-1]] == [old for _seq, old, _payload in before]
    assert [entry.payload for entry in entries[:-1]] == [payload for _seq, _old, payload in before]
    assert all(len(entry.salt) == 32 and entry.hash != entry.v1_hash for entry in entries[:-1])
    note = entries[-1]
    assert note.kind == "log.rechained" and note.v1_hash is None
    closed = LogEntry.objects.get(initiative=initiative, kind="proposal.closed")
    assert closed.payload["by"] is not None  # private: its format-1 hash is named, nothing more
    assert note.payload == {"format": 2, "rechained": len(before), "v1_heads": {v1_head: closed.seq}}
    assert log.problems(initiative.pk) == []
    assert log.verify(initiative.pk, log.anchored_heads(initiative.pk))


def test_new_entries_follow_the_re_chained_log(old_log, make_member):
    initiative, _decision = old_log
    rechain()
    make_member()
    assert log.problems(initiative.pk) == []


def test_an_edit_made_before_re_chaining_is_still_detected(old_log):
    """Re-chaining recomputes hashes from payloads, but the format-1 hash is kept and checked."""
    initiative, _decision = old_log
    entry = LogEntry.objects.get(initiative=initiative, seq=2)
    LogEntry.objects.filter(pk=entry.pk).update(payload={**entry.payload, "role": "frontrunner"})
    rechain()
    assert log.problems(initiative.pk) == ["Entry 2 was edited after it was written."]


def test_truncating_below_an_anchored_format1_head_is_detected(old_log):
    initiative, decision = old_log
    rechain()
    closed = LogEntry.objects.get(v1_hash=decision.record["log_head"])
    LogEntry.objects.filter(initiative=initiative, seq__gte=closed.seq).delete()
    assert log.problems(initiative.pk) == []
    with pytest.raises(LogTampered, match="refers to is gone"):
        log.verify(initiative.pk, log.anchored_heads(initiative.pk))


def test_logs_without_entries_are_left_alone(initiative):
    rechain()
    assert not LogEntry.objects.filter(initiative=initiative).exists()
