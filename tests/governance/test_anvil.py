"""Integration with a real node: anvil (Foundry), started by the test session.

anvil comes from the npm package ``@foundry-rs/anvil-linux-amd64`` (``npm install``) or from
PATH. Where neither is present these tests are skipped with that reason.
"""

import datetime
import os
import shutil
import socket
import subprocess
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import requests
from django.conf import settings as django_settings
from django.db import connections
from django.urls import reverse
from django.utils import timezone

from governance import services
from governance.backends import get_backend
from governance.models import DeploymentStatus

from .test_anchoring import WorkerKilled, _die, closed_just_now

# anvil's first pre-funded development account (public, for local chains only).
ANVIL_KEY = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80"  # noqa: S105


def anvil_binary():
    local = Path(django_settings.BASE_DIR) / "node_modules/@foundry-rs/anvil-linux-amd64/bin/anvil"
    if local.exists():
        return str(local)
    return shutil.which("anvil")


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Anvil:
    def __init__(self, binary, port):
        self.binary, self.port, self.process = binary, port, None
        self.url = f"http://127.0.0.1:{port}"

    def start(self):
        self.process = subprocess.Popen(
            [self.binary, "--port", str(self.port), "--host", "127.0.0.1", "--silent"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                requests.post(self.url, json={"jsonrpc": "2.0", "id": 1, "method": "eth_chainId"}, timeout=1)
                return self
            except requests.ConnectionError:
                time.sleep(0.05)
        self.stop()
        pytest.fail("anvil did not start within 20 seconds")

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(10)

    def rpc(self, method, params=()):
        answer = requests.post(
            self.url,
            json={"jsonrpc": "2.0", "id": 1, "method": method, "params": list(params)},
            timeout=5,
        ).json()
        assert "error" not in answer, answer
        return answer["result"]


@pytest.fixture
def anvil(settings, monkeypatch):
    binary = anvil_binary()
    if not binary:
        pytest.skip(
            "anvil is not installed: run `npm install @foundry-rs/anvil-linux-amd64` "
            "(or put Foundry's anvil on PATH) to run the chain integration tests"
        )
    node = Anvil(binary, free_port()).start()
    monkeypatch.setenv("CTYLAB_CHAIN_PRIVATE_KEY", ANVIL_KEY)
    settings.GOVERNANCE_CHAIN = {
        "BACKEND": "governance.backends.jsonrpc.JsonRpcBackend",
        "OPTIONS": {"URL": node.url, "TIMEOUT": 5},
    }
    settings.GOVERNANCE_RECEIPT_TIMEOUT_SECONDS = 3
    yield node
    node.stop()


@pytest.fixture
def decision(make_member, make_proposal, now):
    voters = [make_member() for _ in range(4)]
    return closed_just_now(make_proposal, now, voters, [0, 1, 0, 2])


def test_anchor_and_verify_on_anvil(anvil, decision):
    decision, receipts = decision
    deployment = services.anchor(decision.deployment.pk)
    assert deployment.status == DeploymentStatus.CONFIRMED, deployment.last_error
    assert deployment.chain_id == 31337
    assert services.verify_deployment(deployment).ok
    check = services.check_receipt(decision.proposal, receipts[0].code)
    assert check.anchored and check.proof_valid


def test_a_worker_killed_after_signing_resumes_on_anvil(anvil, decision, monkeypatch):
    decision, _receipts = decision
    with monkeypatch.context() as patched:
        patched.setattr("governance.backends.base.ChainBackend.send_raw_transaction", _die)
        with pytest.raises(WorkerKilled):
            services.anchor(decision.deployment.pk)
    resumed = services.anchor(decision.deployment.pk, now=timezone.now() + datetime.timedelta(hours=1))
    assert resumed.status == DeploymentStatus.CONFIRMED
    backend = get_backend()
    assert backend.transaction_count(backend.sender) == 1


def test_a_pending_transaction_is_re_sent_not_re_signed(anvil, decision):
    decision, _receipts = decision
    anvil.rpc("evm_setAutomine", [False])
    pending = services.anchor(decision.deployment.pk)
    assert pending.status == DeploymentStatus.SENT and pending.tx_hash
    assert "pending" in pending.last_error

    # Retrying while still pending re-sends the same bytes (the node already has them).
    again = services.anchor(pending.pk, now=pending.next_attempt_at)
    assert again.status == DeploymentStatus.SENT and again.tx_hash == pending.tx_hash

    anvil.rpc("evm_mine")
    mined = services.anchor(pending.pk, now=again.next_attempt_at)
    assert mined.status == DeploymentStatus.CONFIRMED and mined.tx_hash == pending.tx_hash
    assert services.verify_deployment(mined).ok


def test_decisions_wait_while_the_node_is_down(anvil, decision):
    decision, _receipts = decision
    anvil.stop()
    waiting = services.anchor(decision.deployment.pk)
    assert waiting.status == DeploymentStatus.WAITING and "unreachable" in waiting.last_error
    anvil.start()
    [anchored] = services.anchor_due(now=waiting.next_attempt_at)
    assert anchored.status == DeploymentStatus.CONFIRMED


@pytest.mark.skipif(not os.environ.get("CI"), reason="only checks the CI image has anvil")
def test_ci_has_anvil():
    assert anvil_binary(), "CI must install anvil (npm install @foundry-rs/anvil-linux-amd64)"


# --- one signer per key, finality ---------------------------------------------------------


def test_a_nonce_taken_by_another_sender_is_signed_again_at_once(anvil, decision, monkeypatch):
    """Another program with the same key uses our nonce between signing and sending: the
    node refuses ours ("nonce too low") and the worker signs again with a fresh nonce."""
    decision, _receipts = decision
    backend = get_backend()
    real_sign = type(backend).sign_deployment
    calls = []

    def sign_then_someone_else_sends(self, *args):
        signed = real_sign(self, *args)
        if not calls:
            other = self.account.sign_transaction({
                "to": self.sender, "value": 1, "gas": 21000, "gasPrice": self.web3.eth.gas_price,
                "nonce": signed.nonce, "chainId": signed.chain_id,
            })
            self.web3.eth.send_raw_transaction(other.raw_transaction)
        calls.append(signed.nonce)
        return signed

    monkeypatch.setattr(type(backend), "sign_deployment", sign_then_someone_else_sends)
    deployment = services.anchor(decision.deployment.pk)
    assert deployment.status == DeploymentStatus.CONFIRMED, deployment.last_error
    assert calls == [0, 1] and deployment.nonce == 1
    assert services.verify_deployment(deployment).ok


def test_confirmed_only_after_the_configured_confirmations(anvil, decision, settings):
    decision, _receipts = decision
    settings.GOVERNANCE_CONFIRMATIONS = 3
    waiting = services.anchor(decision.deployment.pk)
    assert waiting.status == DeploymentStatus.SENT
    assert "1 of 3 confirmations" in waiting.last_error
    anvil.rpc("anvil_mine", ["0x2"])
    confirmed = services.anchor(waiting.pk, now=waiting.next_attempt_at)
    assert confirmed.status == DeploymentStatus.CONFIRMED and confirmed.tx_hash == waiting.tx_hash


def test_a_reorganisation_that_drops_the_deployment_sends_it_again(anvil, decision, client):
    decision, _receipts = decision
    snapshot = anvil.rpc("evm_snapshot")
    first = services.anchor(decision.deployment.pk)
    assert first.status == DeploymentStatus.CONFIRMED
    anvil.rpc("evm_revert", [snapshot])  # the block holding the contract is gone
    assert get_backend().get_receipt(first.tx_hash) is None

    [dropped] = services.anchoring.recheck_confirmed()
    dropped.refresh_from_db()
    assert dropped.status == DeploymentStatus.SENT and dropped.reorgs == 1
    again = services.anchor(dropped.pk, now=dropped.next_attempt_at)
    assert again.status == DeploymentStatus.CONFIRMED
    assert again.tx_hash == first.tx_hash and again.contract_address == first.contract_address
    assert services.verify_deployment(again).ok
    kinds = list(decision.proposal.initiative.governance_log.values_list("kind", flat=True))
    assert kinds[-2:] == ["decision.reorganised", "decision.anchored"]
    html = client.get(reverse("governance:decisions", args=[decision.proposal.initiative_id])).text
    assert "A chain reorganisation dropped this decision" in html and "It is confirmed again." in html
    assert services.anchoring.recheck_confirmed() == []


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    "postgresql" not in django_settings.DATABASES["default"]["ENGINE"], reason="needs PostgreSQL"
)
def test_workers_anchoring_at_once_never_share_a_nonce(anvil, make_member, make_proposal, now):
    voters = [make_member() for _ in range(2)]
    decisions = [closed_just_now(make_proposal, now, voters, [0, 1])[0] for _ in range(4)]

    def work(deployment_id):
        try:
            return services.anchor(deployment_id)
        finally:
            connections.close_all()

    with ThreadPoolExecutor(4) as pool:
        results = list(pool.map(work, [d.deployment.pk for d in decisions]))
    assert [row.status for row in results] == [DeploymentStatus.CONFIRMED] * 4, [r.last_error for r in results]
    assert sorted(row.nonce for row in results) == [0, 1, 2, 3]
