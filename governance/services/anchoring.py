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

Only one worker signs with a key at a time (:func:`one_signer`: a lock per process and a
PostgreSQL advisory lock across processes), so two workers never take the same nonce; a
send the node refuses for its nonce is signed again at once with a fresh one. A deployment
counts as confirmed after ``GOVERNANCE_CONFIRMATIONS`` blocks; a confirmed one that a chain
reorganisation dropped is sent again (the same stored transaction) and confirmed again
(:func:`recheck_confirmed`).
"""

import datetime
import hashlib
import logging
import threading
from collections import defaultdict
from contextlib import contextmanager

from django.db import connection
from django.db.models import Q
from django.utils import timezone

from .. import contracts
from ..backends import ChainUnavailable, DeploymentRejected, NonceRejected, get_backend
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


_SIGN_ATTEMPTS = 3
_process_signers = defaultdict(threading.Lock)
_LOCK_NAMESPACE = b"ctylab-governance-signer:"


@contextmanager
def one_signer(sender):
    """Hold the signing lock of ``sender`` (an address): one signer per key at a time."""
    with _process_signers[sender.lower()]:
        if connection.vendor != "postgresql":
            yield
            return
        digest = hashlib.sha256(_LOCK_NAMESPACE + sender.lower().encode()).digest()
        key = int.from_bytes(digest[:8], "big", signed=True)
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_lock(%s)", [key])
        try:
            yield
        finally:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [key])


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
                waiting = getattr(deployment, "waiting_for", "") or "No receipt yet; the transaction is pending."
                _retry_later(deployment, waiting, now)
        _save(deployment, leased_until=None)
    return Deployment.objects.get(pk=deployment_id)


def anchor_due(now=None):
    """Work through every deployment that is due; returns the rows it touched."""
    now = now or timezone.now()
    due = Deployment.objects.filter(status__in=PENDING, next_attempt_at__lte=now)
    return [anchor(pk, now=now) for pk in due.order_by("created_at", "pk").values_list("pk", flat=True)]


def _advance(deployment):
    backend = get_backend()
    chain_id = backend.signing_chain_id()
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
                receipt = _ours_or_forget(backend, deployment)
            else:
                try:
                    backend.send_raw_transaction(deployment.raw_transaction)
                except NonceRejected:
                    receipt = _ours_or_forget(backend, deployment)
                else:
                    _save(deployment, status=DeploymentStatus.SENT)
                    receipt = backend.wait_for_receipt(deployment.tx_hash, app_settings.RECEIPT_TIMEOUT_SECONDS)
    if not deployment.tx_hash:
        _sign_and_send(backend, deployment)
        receipt = backend.wait_for_receipt(deployment.tx_hash, app_settings.RECEIPT_TIMEOUT_SECONDS)
    if receipt is not None:
        _record_receipt(deployment, receipt, backend)


def _ours_or_forget(backend, deployment):
    """Our nonce has been used. Ask once more (ours may have been mined just now); if it
    still has no receipt, another transaction took the nonce and ours can never be mined:
    forget it, so that a new one is signed."""
    receipt = backend.get_receipt(deployment.tx_hash)
    if receipt is None:
        _save(deployment, raw_transaction="", tx_hash="", nonce=None)
    return receipt


def _sign_and_send(backend, deployment):
    artifact = contracts.artifact()
    with one_signer(backend.sender):
        for _attempt in range(_SIGN_ATTEMPTS):
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
            try:
                backend.send_raw_transaction(signed.raw_transaction)
            except NonceRejected as error:
                # Someone else (another program with this key) used the nonce: the node never
                # took ours, so it can never be mined. Sign again at once with a fresh nonce.
                logger.warning("Nonce %s refused for decision %s: %s", signed.nonce, deployment.decision_id, error)
                _save(deployment, raw_transaction="", tx_hash="", nonce=None)
                continue
            _save(deployment, status=DeploymentStatus.SENT)
            return
    raise ChainUnavailable(f"the node refused {_SIGN_ATTEMPTS} fresh nonces in a row")


def _record_receipt(deployment, receipt, backend):
    initiative_id = deployment.decision.proposal.initiative_id
    if not receipt.succeeded or not receipt.contract_address:
        _fail(
            deployment,
            f"The transaction {receipt.tx_hash} reverted in block {receipt.block_number}.",
            block_number=receipt.block_number,
            gas_used=receipt.gas_used,
        )
        return
    wanted = max(1, app_settings.CONFIRMATIONS)
    confirmations = backend.block_number() - receipt.block_number + 1
    if confirmations < wanted:
        _save(deployment, status=DeploymentStatus.SENT, block_number=receipt.block_number)
        deployment.waiting_for = (
            f"Mined in block {receipt.block_number}; {confirmations} of {wanted} confirmations so far."
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
            "confirmations": confirmations,
            "reorgs": deployment.reorgs,
        },
    )


def recheck_confirmed(now=None):
    """Re-read the receipts of deployments confirmed within ``REORG_WATCH_SECONDS``.

    One that a chain reorganisation dropped goes back to "sent" and its stored transaction is
    sent again (same bytes, same nonce, so the same contract address), to be confirmed again;
    the log and the decisions page say so. Returns the deployments that were dropped.
    """
    now = now or timezone.now()
    since = now - datetime.timedelta(seconds=app_settings.REORG_WATCH_SECONDS)
    dropped = []
    rows = Deployment.objects.filter(status=DeploymentStatus.CONFIRMED, confirmed_at__gte=since)
    if not rows.exists():
        return dropped
    backend = get_backend()
    try:
        chain_id = backend.chain_id()
    except ChainUnavailable as error:
        logger.warning("Cannot look for reorganisations: %s", error)
        return dropped
    for deployment in rows.select_related("decision__proposal"):
        if deployment.chain_id != chain_id:
            continue
        try:
            receipt = backend.get_receipt(deployment.tx_hash)
        except ChainUnavailable:
            return dropped
        if receipt is not None and receipt.succeeded:
            if receipt.block_number != deployment.block_number:
                _save(deployment, block_number=receipt.block_number)
            continue
        reorgs = deployment.reorgs + 1
        message = f"A chain reorganisation dropped block {deployment.block_number}; the transaction was sent again."
        _save(
            deployment,
            status=DeploymentStatus.SENT,
            reorgs=reorgs,
            confirmed_at=None,
            last_error=message,
            next_attempt_at=now,
        )
        log.append(
            deployment.decision.proposal.initiative_id,
            "decision.reorganised",
            {"decision_hash": deployment.decision.record_hash, "tx_hash": deployment.tx_hash, "dropped_block": deployment.block_number},
        )
        try:
            backend.send_raw_transaction(deployment.raw_transaction)
        except (ChainUnavailable, NonceRejected) as error:
            logger.warning("Re-sending decision %s after a reorganisation: %s", deployment.decision_id, error)
        dropped.append(deployment)
    return dropped


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
