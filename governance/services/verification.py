"""Verification: re-read each deployment from the chain and compare it with the database.

``verify_deployment`` does the comparison and returns a ``DeploymentCheck``; it never raises
because the chain is down (that is a result too: nothing could be compared).
``record_verifications`` runs it and keeps the outcome per deployment in
``DeploymentVerification``, which is all the public decisions page reads. It runs in the
``verify_deployments`` command and task, never in a web request.
"""

import logging
from dataclasses import dataclass, field

from django.utils import timezone

from .. import contracts, merkle
from ..backends import ChainUnavailable, get_backend
from ..hashing import canonical_json, keccak_hex
from ..models import CHAIN_UNREACHABLE, Ballot, Deployment, DeploymentStatus, DeploymentVerification
from .anchoring import RECORD_GETTERS, expected_state

logger = logging.getLogger(__name__)


@dataclass
class DeploymentCheck:
    deployment: Deployment
    mismatches: list = field(default_factory=list)
    chain_reached: bool = True
    # Why the chain could not be reached; for operators only (it may name the node's URL).
    chain_error: str = ""
    # What the chain said, when it was asked: its id and the block holding the transaction.
    chain_id: int | None = None
    block_number: int | None = None
    # The configured node is another chain than the one the deployment was recorded on:
    # nothing could be compared, which is not a mismatch.
    other_chain: bool = False

    @property
    def ok(self):
        return self.chain_reached and not self.mismatches and not self.other_chain


def _normalise_state(state):
    normal = {}
    for name, value in state.items():
        if isinstance(value, bytes | bytearray):
            value = "0x" + bytes(value).hex()
        elif isinstance(value, list | tuple):
            value = [int(item) for item in value]
        normal[name] = value
    return normal


def _check_database(decision, problems):
    """The database must agree with itself before the chain can agree with it."""
    if keccak_hex(canonical_json(decision.record)) != decision.record_hash:
        problems.append("the stored decision record does not match its hash")
    for name, value in (
        ("tally", decision.tally),
        ("passed", decision.passed),
        ("winning_option", decision.winning_option),
        ("quorum_reached", decision.quorum_reached),
        ("receipts_root", decision.receipts_root),
        ("ballots", decision.ballot_count),
    ):
        if decision.record.get(name) != value:
            problems.append(f"the decision's {name} differs from its record")
    leaves = Ballot.objects.filter(proposal_id=decision.proposal_id, counted=True).values_list(
        "leaf", flat=True
    )
    if merkle.root(leaves) != decision.receipts_root:
        problems.append("the counted ballots no longer give the recorded Merkle root")


def _check_chain(check, backend):
    deployment, problems = check.deployment, check.mismatches
    check.chain_id = chain_id = backend.chain_id()
    if chain_id != deployment.chain_id:
        check.other_chain = True
        return
    receipt = backend.get_receipt(deployment.tx_hash)
    if receipt is None:
        problems.append(f"transaction {deployment.tx_hash} is not on the chain")
        return
    check.block_number = receipt.block_number
    if not receipt.succeeded:
        problems.append("the transaction reverted")
    if receipt.contract_address.lower() != deployment.contract_address.lower():
        problems.append(
            f"the transaction created {receipt.contract_address}, not {deployment.contract_address}"
        )
    if receipt.block_number != deployment.block_number:
        problems.append(f"the transaction is in block {receipt.block_number}, not {deployment.block_number}")
    artifact = contracts.artifact()
    code = backend.get_code(deployment.contract_address)
    if not code.startswith(bytes.fromhex(artifact["bytecode_runtime"].removeprefix("0x"))):
        problems.append("the code at the address is not the decision-record contract")
        return
    on_chain = _normalise_state(
        backend.read_contract(deployment.contract_address, artifact["abi"], RECORD_GETTERS)
    )
    for name, expected in expected_state(deployment.decision).items():
        if on_chain[name] != expected:
            problems.append(f"{name}: chain has {on_chain[name]!r}, database has {expected!r}")


def verify_deployment(deployment, backend=None):
    """Re-read the deployment from the chain and compare everything with the database."""
    backend = backend or get_backend()
    check = DeploymentCheck(deployment)
    _check_database(deployment.decision, check.mismatches)
    if deployment.status != DeploymentStatus.CONFIRMED:
        check.mismatches.append(f"not on the chain yet ({deployment.get_status_display()})")
        return check
    try:
        _check_chain(check, backend)
    except ChainUnavailable as error:
        check.chain_reached, check.chain_error = False, str(error)
        check.mismatches.append(CHAIN_UNREACHABLE)
        logger.warning("Verifying decision %s: %s", deployment.decision_id, error)
    return check


def verify_deployments(queryset=None):
    queryset = queryset if queryset is not None else Deployment.objects.all()
    backend = get_backend()
    return [
        verify_deployment(deployment, backend)
        for deployment in queryset.select_related("decision__proposal").order_by("pk")
    ]


def record_verification(check, now=None):
    """Keep ``check`` as the deployment's latest verification (one row per deployment)."""
    # Whole seconds: HTML's <time datetime> allows at most three decimals.
    checked_at = (now or timezone.now()).replace(microsecond=0)
    verification, _created = DeploymentVerification.objects.update_or_create(
        deployment=check.deployment,
        defaults={
            "checked_at": checked_at,
            "ok": check.ok,
            "chain_reached": check.chain_reached,
            "mismatches": [str(mismatch) for mismatch in check.mismatches],
            "chain_id": check.chain_id,
            "block_number": check.block_number,
        },
    )
    return verification


def record_verifications(queryset=None, now=None):
    """Verify the deployments (by default: those on the chain) and store each outcome.

    Returns the checks, in deployment order.
    """
    if queryset is None:
        queryset = Deployment.objects.filter(status=DeploymentStatus.CONFIRMED)
    now = now or timezone.now()
    checks = verify_deployments(queryset)
    for check in checks:
        # A check against another chain compared nothing: the last real result stays.
        if not check.other_chain:
            record_verification(check, now)
    return checks
