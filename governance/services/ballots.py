"""Casting ballots, and checking a receipt against the anchored Merkle root."""

import base64
import secrets
from dataclasses import dataclass, field

from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import merkle
from ..exceptions import (
    InvalidChoice,
    NotAMember,
    NotEligible,
    ProposalCancelled,
    ProposalClosed,
    ProposalNotOpen,
    ReplayedRequest,
    UnknownReceipt,
)
from ..hashing import sha256_hex
from ..models import Ballot, Decision, DeploymentStatus, Proposal, ProposalStatus
from .card_votes import open_if_due
from .membership import active_membership


@dataclass(frozen=True)
class BallotReceipt:
    """What the voter gets back: keep ``code``; ``revision`` goes into the next ballot form."""

    code: str
    revision: int
    cast_at: object
    leaf: str


@dataclass(frozen=True)
class ReceiptCheck:
    proposal_uuid: str
    leaf: str
    counted: bool
    proof: list = field(default_factory=list)
    receipts_root: str = ""
    # Filled once the decision is on the chain: where to check the root independently.
    chain_id: int | None = None
    contract_address: str = ""
    tx_hash: str = ""
    anchored: bool = False

    @property
    def proof_valid(self):
        return self.counted and merkle.verify(self.leaf, self.proof, self.receipts_root)


def new_receipt_code():
    raw = base64.b32encode(secrets.token_bytes(15)).decode()
    return "-".join(raw[i : i + 4] for i in range(0, len(raw), 4))


def normalize_receipt_code(code):
    raw = "".join(ch for ch in str(code).upper() if ch.isalnum())
    return "-".join(raw[i : i + 4] for i in range(0, len(raw), 4))


def receipt_lookup(code):
    return sha256_hex(normalize_receipt_code(code).encode())


def _lock_proposal_shared(proposal_id):
    """Read the proposal holding a lock that closing (FOR UPDATE) must wait for.

    Ballots do not block each other (FOR SHARE is compatible with itself), but a proposal
    cannot close while a ballot is being written, nor take one after closing.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT id FROM {Proposal._meta.db_table} WHERE id = %s FOR SHARE",  # noqa: S608
                [proposal_id],
            )
    return Proposal.objects.get(pk=proposal_id)


def _valid_choice(choice, proposal):
    if isinstance(choice, bool):
        raise InvalidChoice()
    try:
        choice = int(choice)
    except (TypeError, ValueError):
        raise InvalidChoice() from None
    if not 0 <= choice < len(proposal.options):
        raise InvalidChoice()
    return choice


def cast_ballot(proposal, user, choice, *, revision=None, now=None):
    """Record or change ``user``'s ballot and return a fresh receipt.

    ``choice`` is the index of an option. ``revision`` is the ballot revision the voter's
    form was made from (0 for a first vote): a form submitted twice, or after the ballot
    changed elsewhere, is refused as a replay. Without it the latest submission wins.
    """
    now = now or timezone.now()
    # A card's vote opens at its opening time even before the clock comes round.
    open_if_due(proposal, now)
    with transaction.atomic():
        proposal = _lock_proposal_shared(proposal.pk)
        if proposal.status == ProposalStatus.CANCELLED:
            raise ProposalCancelled()
        if proposal.status == ProposalStatus.CLOSED or now >= proposal.closes_at:
            raise ProposalClosed()
        if not proposal.is_accepting_ballots(now):
            raise ProposalNotOpen(_("Voting on this proposal has not opened yet."))
        membership = active_membership(proposal.initiative_id, user)
        if membership is None:
            raise NotAMember(_("Join this initiative to vote."))
        if membership.role not in proposal.eligible_roles:
            raise NotEligible()
        choice = _valid_choice(choice, proposal)
        code = new_receipt_code()
        leaf = merkle.ballot_leaf(proposal.uuid, code, choice)
        values = {"choice": choice, "receipt_lookup": receipt_lookup(code), "leaf": leaf}

        ballot = Ballot.objects.select_for_update().filter(proposal=proposal, voter=user).first()
        if ballot is None:
            if revision not in (None, 0):
                raise ReplayedRequest()
            try:
                with transaction.atomic():
                    ballot = Ballot.objects.create(
                        proposal=proposal, voter=user, cast_at=now, revision=1, **values
                    )
                return BallotReceipt(code, ballot.revision, now, leaf)
            except IntegrityError:
                # A simultaneous submission by the same member inserted first.
                if revision is not None:
                    raise ReplayedRequest() from None
                ballot = Ballot.objects.select_for_update().get(proposal=proposal, voter=user)
        if revision is not None and revision != ballot.revision:
            raise ReplayedRequest()
        for name, value in values.items():
            setattr(ballot, name, value)
        ballot.revision += 1
        ballot.cast_at = now
        ballot.save(update_fields=[*values, "revision", "cast_at"])
        return BallotReceipt(code, ballot.revision, now, leaf)


def my_ballot(proposal, user):
    """The voter's own ballot (their choice included), or None. Only ever show it to them."""
    if user is None or not user.is_authenticated:
        return None
    return (
        Ballot.objects.filter(proposal=proposal, voter=user)
        .values("choice", "revision", "cast_at", "counted")
        .first()
    )


def check_receipt(proposal, code):
    """Inclusion proof of the ballot with this receipt code; it never reveals the choice."""
    ballot = (
        Ballot.objects.filter(proposal=proposal, receipt_lookup=receipt_lookup(code))
        .values("leaf", "counted")
        .first()
    )
    if ballot is None:
        raise UnknownReceipt(
            _("No ballot on this proposal has this receipt code (a changed ballot gets a new one).")
        )
    if not ballot["counted"]:
        return ReceiptCheck(str(proposal.uuid), ballot["leaf"], counted=False)
    decision = Decision.objects.select_related("deployment").get(proposal=proposal)
    leaves = Ballot.objects.filter(proposal=proposal, counted=True).values_list("leaf", flat=True)
    check = {
        "proposal_uuid": str(proposal.uuid),
        "leaf": ballot["leaf"],
        "counted": True,
        "proof": merkle.proof(list(leaves), ballot["leaf"]),
        "receipts_root": decision.receipts_root,
    }
    deployment = getattr(decision, "deployment", None)
    if deployment is not None and deployment.status == DeploymentStatus.CONFIRMED:
        check.update(
            chain_id=deployment.chain_id,
            contract_address=deployment.contract_address,
            tx_hash=deployment.tx_hash,
            anchored=True,
        )
    return ReceiptCheck(**check)
