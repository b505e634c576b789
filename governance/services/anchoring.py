"""The deployment outbox: anchor each decision on the chain exactly once.

The decision and its ``Deployment`` row are committed when the proposal closes. A worker
then moves the row forward, one recorded step at a time:

1. sign a contract creation at the sender's next nonce and *store* it (raw transaction,
   hash, nonce) before anything is sent;
2. send exactly that stored transaction;
3. read its receipt: success -> confirmed (address, block); reverted -> failed, never success.

A worker that dies anywhere resumes from what is stored: it first asks the chain for the
receipt of the stored hash, re-sends the same bytes if the chain does not have them, and
signs anew only when the stored transaction can no longer be mined (its nonce was used by
another one). Signing twice at the same nonce cannot produce two contracts, so there is at
most one deployment per decision. While the chain is unreachable the row waits, retried
with exponential back-off.
"""

import datetime
import logging

from django.db.models import Q
from django.utils import timezone

from .. import contracts
from ..backends import ChainUnavailable, DeploymentRejected, get_backend
from ..conf import app_settings
from ..models import Deployment, DeploymentStatus
from . import log

logger = logging.getLogger(__name__)

PENDING = (DeploymentStatus.WAITING, DeploymentStatus.SENT)
RECORD_GETTERS = (
    "initiative_id",
    "proposal_id",
    "passed",
    "quorum_reached",
    "winning_option",
    "ballot_count",
    "decision_hash",
    "receipts_root",
    "tally",
)


def _bytes32(value):
    return bytes.fromhex(value.removeprefix("0x"))


def constructor_args(decision):
    proposal = decision.proposal
    return [
        proposal.initiative_id,
        proposal.pk,
        decision.passed,
        decision.quorum_reached,
        -1 if decision.winning_option is None else decision.winning_option,
        [int(votes) for votes in decision.tally],
        _bytes32(decision.record_hash),
        _bytes32(decision.receipts_root),
    ]


def expected_state(decision):
    """What the decision's contract must return from its getters."""
    proposal = decision.proposal
    return {
        "initiative_id": proposal.initiative_id,
        "proposal_id": proposal.pk,
        "passed": decision.passed,
        "quorum_reached": decision.quorum_reached,
        "winning_option": -1 if decision.winning_option is None else decision.winning_option,
        "ballot_count": decision.ballot_count,
        "decision_hash": decision.record_hash.lower(),
        "receipts_root": decision.receipts_root.lower(),
        "tally": [int(votes) for votes in decision.tally],
    }


def backoff_seconds(attempts):
    base, cap = app_settings.RETRY_BASE_SECONDS, app_settings.RETRY_MAX_SECONDS
    return min(cap, base * 2 ** max(0, attempts - 1))


def _save(deployment, **changes):
    for name, value in changes.items():
        setattr(deployment, name, value)
    deployment.save(update_fields=list(changes))


def _claim(deployment_id, now):
    """Take the row for this worker until the lease ends; False if someone else has it."""
    lease_end = now + datetime.timedelta(seconds=app_settings.WORKER_LEASE_SECONDS)
    claimed = (
        Deployment.objects.filter(pk=deployment_id, status__in=PENDING, next_attempt_at__lte=now)
        .filter(Q(leased_until__isnull=True) | Q(leased_until__lte=now))
        .update(leased_until=lease_end)
    )
    return claimed == 1


def anchor(deployment_id, now=None):
    """Move one deployment as far forward as the chain allows; returns the fresh row."""
    now = now or timezone.now()
    if _claim(deployment_id, now):
        deployment = Deployment.objects.select_related("decision__proposal").get(pk=deployment_id)
        try:
            _advance(deployment)
        except ChainUnavailable as error:
            _retry_later(deployment, f"The chain is unreachable: {error}", now)
        except DeploymentRejected as error:
            _fail(deployment, str(error))
        else:
            if deployment.status in PENDING:
                _retry_later(deployment, "No receipt yet; the transaction is pending.", now)
        _save(deployment, leased_until=None)
    return Deployment.objects.get(pk=deployment_id)


def anchor_due(now=None):
    """Work through every deployment that is due; returns the rows it touched."""
    now = now or timezone.now()
    due = Deployment.objects.filter(status__in=PENDING, next_attempt_at__lte=now)
    return [anchor(pk, now=now) for pk in due.order_by("created_at", "pk").values_list("pk", flat=True)]


def _advance(deployment):
    backend = get_backend()
    chain_id = backend.chain_id()
    if deployment.tx_hash and deployment.chain_id != chain_id:
        raise ChainUnavailable(
            f"this transaction was signed for chain {deployment.chain_id}, "
            f"but the configured chain is {chain_id}"
        )
    receipt = None
    if deployment.tx_hash:
        receipt = backend.get_receipt(deployment.tx_hash)
        if receipt is None:
            if backend.transaction_count(deployment.sender) > deployment.nonce:
                # Our nonce has been used. Ask once more (ours may have been mined just now);
                # if it still has no receipt, another transaction took the nonce and ours
                # can never be mined: sign a new one.
                receipt = backend.get_receipt(deployment.tx_hash)
                if receipt is None:
                    _save(deployment, raw_transaction="", tx_hash="", nonce=None)
            else:
                backend.send_raw_transaction(deployment.raw_transaction)
                _save(deployment, status=DeploymentStatus.SENT)
                receipt = backend.wait_for_receipt(deployment.tx_hash, app_settings.RECEIPT_TIMEOUT_SECONDS)
    if not deployment.tx_hash:
        artifact = contracts.artifact()
        signed = backend.sign_deployment(
            artifact["abi"], artifact["bytecode"], constructor_args(deployment.decision)
        )
        # Committed before sending: a retry finds and re-uses this very transaction.
        _save(
            deployment,
            chain_id=signed.chain_id,
            sender=signed.sender,
            nonce=signed.nonce,
            raw_transaction=signed.raw_transaction,
            tx_hash=signed.tx_hash,
        )
        backend.send_raw_transaction(signed.raw_transaction)
        _save(deployment, status=DeploymentStatus.SENT)
        receipt = backend.wait_for_receipt(signed.tx_hash, app_settings.RECEIPT_TIMEOUT_SECONDS)
    if receipt is not None:
        _record_receipt(deployment, receipt)


def _record_receipt(deployment, receipt):
    initiative_id = deployment.decision.proposal.initiative_id
    if not receipt.succeeded or not receipt.contract_address:
        _fail(
            deployment,
            f"The transaction {receipt.tx_hash} reverted in block {receipt.block_number}.",
            block_number=receipt.block_number,
            gas_used=receipt.gas_used,
        )
        return
    _save(
        deployment,
        status=DeploymentStatus.CONFIRMED,
        contract_address=receipt.contract_address,
        block_number=receipt.block_number,
        gas_used=receipt.gas_used,
        confirmed_at=timezone.now(),
        last_error="",
    )
    log.append(
        initiative_id,
        "decision.anchored",
        {
            "decision_hash": deployment.decision.record_hash,
            "chain_id": deployment.chain_id,
            "tx_hash": deployment.tx_hash,
            "contract": deployment.contract_address,
            "block": deployment.block_number,
        },
    )


def _fail(deployment, message, **fields):
    _save(deployment, status=DeploymentStatus.FAILED, last_error=message, **fields)
    logger.error("Anchoring decision %s failed: %s", deployment.decision_id, message)
    log.append(
        deployment.decision.proposal.initiative_id,
        "decision.anchor_failed",
        {"decision_hash": deployment.decision.record_hash, "error": message},
    )


def _retry_later(deployment, message, now):
    attempts = deployment.attempts + 1
    _save(
        deployment,
        attempts=attempts,
        last_error=message,
        next_attempt_at=now + datetime.timedelta(seconds=backoff_seconds(attempts)),
    )
    logger.warning("Decision %s waits for the chain: %s", deployment.decision_id, message)


def requeue(deployment):
    """Give a failed deployment another go with a new transaction (after fixing the cause)."""
    if deployment.status != DeploymentStatus.FAILED:
        return deployment
    _save(
        deployment,
        status=DeploymentStatus.WAITING,
        raw_transaction="",
        tx_hash="",
        nonce=None,
        block_number=None,
        gas_used=None,
        next_attempt_at=timezone.now(),
    )
    return deployment
