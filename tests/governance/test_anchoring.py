"""The deployment outbox on a real in-process EVM: exactly one confirmed contract per decision."""

import datetime
import socket

import pytest
from django.core.management import CommandError, call_command

from governance import services
from governance.backends import get_backend
from governance.models import Decision, Deployment, DeploymentStatus, LogEntry
from governance.services import anchoring


class WorkerKilled(BaseException):
    """Stands for the process dying: no `except Exception` in the worker catches it."""


def closed_just_now(make_proposal, now, voters=(), choices=()):
    """A proposal voted on two hours ago, closed now: its decision is due for anchoring."""
    earlier = now - datetime.timedelta(hours=2)
    proposal = make_proposal(at=earlier)
    receipts = [
        services.cast_ballot(proposal, voter, choice, now=earlier)
        for voter, choice in zip(voters, choices, strict=True)
    ]
    return services.close_proposal(proposal, now=now), receipts


@pytest.fixture
def decision(make_member, make_proposal, now):
    voters = [make_member() for _ in range(3)]
    return closed_just_now(make_proposal, now, voters, [0, 0, 1])[0]


def later(minutes=60):
    from django.utils import timezone

    return timezone.now() + datetime.timedelta(minutes=minutes)


def deployments_on_chain():
    """Contract creations the signing account has made (its nonce)."""
    backend = get_backend()
    return backend.transaction_count(backend.sender)


def test_a_decision_is_anchored_and_verifies(decision):
    deployment = services.anchor(decision.deployment.pk)
    assert deployment.status == DeploymentStatus.CONFIRMED
    assert deployment.chain_id == get_backend().chain_id()
    assert deployment.tx_hash.startswith("0x") and len(deployment.tx_hash) == 66
    assert deployment.contract_address.startswith("0x") and deployment.block_number >= 1
    assert deployment.gas_used > 0 and deployment.last_error == ""
    assert LogEntry.objects.filter(kind="decision.anchored").count() == 1
    [check] = services.verify_deployments()
    assert check.ok, check.mismatches
    summary = services.decision_summary(decision.proposal)
    assert summary["contract_address"] == deployment.contract_address
    assert summary["options"][0] == {"label": "For", "votes": 2}


def test_running_the_worker_again_changes_nothing(decision):
    first = services.anchor(decision.deployment.pk)
    again = services.anchor(decision.deployment.pk, now=later())
    assert services.anchor_due(now=later()) == []
    assert (again.tx_hash, again.contract_address) == (first.tx_hash, first.contract_address)
    assert deployments_on_chain() == 1


def test_a_second_worker_does_not_touch_a_claimed_deployment(decision, now):
    assert anchoring._claim(decision.deployment.pk, now)
    untouched = services.anchor(decision.deployment.pk, now=now)
    assert untouched.status == DeploymentStatus.WAITING and untouched.tx_hash == ""
    assert deployments_on_chain() == 0


@pytest.mark.parametrize(
    ("target", "step"),
    [
        ("governance.backends.base.ChainBackend.sign_deployment", "while signing"),
        ("governance.backends.base.ChainBackend.send_raw_transaction", "after signing"),
        ("governance.backends.base.ChainBackend.wait_for_receipt", "after sending"),
        ("governance.services.anchoring._record_receipt", "after the receipt"),
    ],
)
def test_a_worker_killed_at_any_step_still_gives_exactly_one_deployment(decision, monkeypatch, target, step):
    with monkeypatch.context() as patched:
        patched.setattr(target, _die)
        with pytest.raises(WorkerKilled):
            services.anchor(decision.deployment.pk)
    stalled = Deployment.objects.get(pk=decision.deployment.pk)
    assert stalled.status != DeploymentStatus.CONFIRMED, step
    # The dead worker's lease expires; the next run resumes from what was stored.
    resumed = services.anchor(decision.deployment.pk, now=later())
    assert resumed.status == DeploymentStatus.CONFIRMED, step
    assert deployments_on_chain() == 1, step
    if stalled.tx_hash:
        assert resumed.tx_hash == stalled.tx_hash, "the stored transaction is re-used"
    assert services.verify_deployment(resumed).ok


def _die(*args, **kwargs):
    raise WorkerKilled()


def test_a_stored_transaction_whose_nonce_was_taken_is_replaced(decision, monkeypatch):
    with monkeypatch.context() as patched:
        patched.setattr("governance.backends.base.ChainBackend.send_raw_transaction", _die)
        with pytest.raises(WorkerKilled):
            services.anchor(decision.deployment.pk)
    stalled = Deployment.objects.get(pk=decision.deployment.pk)
    backend = get_backend()
    # Someone else uses the same key meanwhile, consuming the stored transaction's nonce.
    backend.web3.eth.send_transaction(
        {"from": backend.sender, "to": backend.sender, "value": 1, "nonce": stalled.nonce}
    )
    resumed = services.anchor(decision.deployment.pk, now=later())
    assert resumed.status == DeploymentStatus.CONFIRMED
    assert resumed.tx_hash != stalled.tx_hash and resumed.nonce == stalled.nonce + 1
    assert backend.get_receipt(stalled.tx_hash) is None
    assert services.verify_deployment(resumed).ok


def test_a_reverted_transaction_is_never_recorded_as_success(decision, monkeypatch):
    backend = get_backend()
    # Enough gas to be mined, too little to run the constructor: the chain reverts it.
    monkeypatch.setattr(backend.web3.eth, "estimate_gas", lambda *a, **k: 120_000)
    failed = services.anchor(decision.deployment.pk)
    assert failed.status == DeploymentStatus.FAILED
    assert "reverted in block" in failed.last_error
    assert failed.contract_address == "" and failed.block_number == 1
    assert LogEntry.objects.filter(kind="decision.anchor_failed").count() == 1
    assert services.anchor_due(now=later()) == []  # failures wait for a person

    monkeypatch.undo()
    services.requeue(failed)
    fixed = services.anchor(decision.deployment.pk)
    assert fixed.status == DeploymentStatus.CONFIRMED and fixed.tx_hash != failed.tx_hash


def test_a_deployment_the_chain_refuses_fails_without_sending(decision):
    Decision.objects.filter(pk=decision.pk).update(winning_option=9)  # the contract rejects it
    failed = services.anchor(decision.deployment.pk)
    assert failed.status == DeploymentStatus.FAILED
    assert "constructor reverts" in failed.last_error
    assert deployments_on_chain() == 0


def closed_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_decisions_wait_for_an_unreachable_chain_with_back_off(decision, settings, monkeypatch):
    monkeypatch.setenv("CTYLAB_CHAIN_PRIVATE_KEY", "0x" + "11" * 32)
    settings.GOVERNANCE_CHAIN = {
        "BACKEND": "governance.backends.jsonrpc.JsonRpcBackend",
        "OPTIONS": {"URL": f"http://127.0.0.1:{closed_port()}", "TIMEOUT": 2},
    }
    settings.GOVERNANCE_RETRY_BASE_SECONDS = 30
    start = later(0)
    waiting = services.anchor(decision.deployment.pk, now=start)
    assert waiting.status == DeploymentStatus.WAITING
    assert waiting.get_status_display() == "Waiting for the chain"
    assert "unreachable" in waiting.last_error and waiting.attempts == 1
    assert waiting.next_attempt_at == start + datetime.timedelta(seconds=30)

    assert services.anchor_due(now=start + datetime.timedelta(seconds=29)) == []
    [again] = services.anchor_due(now=start + datetime.timedelta(seconds=30))
    assert again.attempts == 2
    assert again.next_attempt_at == start + datetime.timedelta(seconds=30 + 60)

    # The chain comes back (here: the in-process one) and the decision is anchored.
    del settings.GOVERNANCE_CHAIN
    [anchored] = services.anchor_due(now=start + datetime.timedelta(seconds=90))
    assert anchored.status == DeploymentStatus.CONFIRMED
    assert deployments_on_chain() == 1


def test_back_off_is_capped(settings):
    settings.GOVERNANCE_RETRY_BASE_SECONDS = 10
    settings.GOVERNANCE_RETRY_MAX_SECONDS = 100
    assert [anchoring.backoff_seconds(n) for n in range(1, 7)] == [10, 20, 40, 80, 100, 100]


def test_closing_enqueues_anchoring_after_commit(make_proposal, now, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        decision, _receipts = closed_just_now(make_proposal, now)
    # Besides the pages' announcements (blocks.signals.announce_changed): one enqueueing.
    assert len([callback for callback in callbacks if "announce_changed" not in callback.__qualname__]) == 1
    # The immediate task backend of the tests ran the task; a worker does so in production.
    assert Deployment.objects.get(decision=decision).status == DeploymentStatus.CONFIRMED


def test_verification_flags_a_database_that_disagrees_with_the_chain(decision):
    deployment = services.anchor(decision.deployment.pk)
    Decision.objects.filter(pk=decision.pk).update(tally=[3, 0, 0], passed=True)
    [check] = services.verify_deployments()
    assert not check.ok
    assert "the decision's tally differs from its record" in check.mismatches
    assert any(m.startswith("tally: chain has [2, 1, 0]") for m in check.mismatches)

    with pytest.raises(CommandError, match="1 of 1 deployment"):
        call_command("verify_deployments", stdout=_Sink())

    Decision.objects.filter(pk=decision.pk).update(tally=[2, 1, 0])
    Deployment.objects.filter(pk=deployment.pk).update(contract_address="0x" + "12" * 20)
    [check] = services.verify_deployments()
    assert any("the transaction created" in m for m in check.mismatches)


def test_verification_flags_ballots_changed_after_closing(decision):
    services.anchor(decision.deployment.pk)
    from governance.models import Ballot

    Ballot.objects.filter(proposal=decision.proposal).order_by("pk").first().delete()
    [check] = services.verify_deployments()
    assert "the counted ballots no longer give the recorded Merkle root" in check.mismatches


def test_the_receipt_check_points_at_the_anchored_contract(make_member, make_proposal, now):
    decision, [receipt] = closed_just_now(make_proposal, now, [make_member()], [1])
    proposal = decision.proposal
    deployment = services.anchor(decision.deployment.pk)
    check = services.check_receipt(proposal, receipt.code)
    assert check.anchored and check.contract_address == deployment.contract_address
    # The voter can ask the contract itself.
    from governance import contracts

    contract = get_backend().web3.eth.contract(
        address=check.contract_address, abi=contracts.artifact()["abi"]
    )
    proof = [bytes.fromhex(p[2:]) for p in check.proof]
    assert contract.functions.includes_receipt(bytes.fromhex(check.leaf[2:]), proof).call()


def test_commands_close_anchor_and_verify(make_proposal, now):
    proposal = make_proposal(closes_at=now + datetime.timedelta(seconds=1))
    import time

    time.sleep(1.1)
    out = _Sink()
    call_command("close_due_proposals", stdout=out)
    assert "1 proposal(s) closed." in out.text
    call_command("anchor_decisions", stdout=out)
    assert "Recorded on the chain" in out.text
    call_command("verify_deployments", stdout=out)
    assert "All 1 deployment(s) match the chain." in out.text
    call_command("verify_governance_log", stdout=out)
    assert f"OK  initiative {proposal.initiative_id}" in out.text


class _Sink:
    def __init__(self):
        self.text = ""

    def write(self, text):
        self.text += text

    def flush(self):
        pass
