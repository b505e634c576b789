"""The election card comes alive: what a linked card shows to each visitor.

The card pipeline (``blocks.pipeline.live_contexts``) asks once per page, through the
``election_card_context`` hook the election card's value names (registered in
``wagtail_hooks``), for all its election cards at once; this answers with one query for the
proposals and, for a signed-in visitor, one for their membership and one for their ballots,
however many cards the page has.
"""

from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.http import QueryDict
from django.shortcuts import resolve_url
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import ngettext

from blocks.cards import election as card

from . import visibility
from .models import FOR_AGAINST_OPTIONS, Ballot, Membership, Proposal, ProposalKind, ProposalStatus, Role
from .services import decision_summary

# Where the vote view leaves a fresh receipt for the card to show once.
RECEIPT_SESSION_KEY = "governance_receipt"
# The clock's statuses are the election card's own; a vote adds counting and cancelled.
UPCOMING, OPEN, CLOSED = card.UPCOMING, card.OPEN, card.CLOSED
COUNTING, CANCELLED = "counting", "cancelled"
# How the fixed options of a for/against vote read in the visitor's language.
FOR_AGAINST_LABELS = dict(zip(FOR_AGAINST_OPTIONS, card.FOR_AGAINST_LABELS, strict=True))


@dataclass
class LiveElection:
    """One election card run by a proposal, as one visitor sees it."""

    proposal: Proposal
    block_id: str
    next_url: str
    login_url: str
    now: object
    signed_in: bool = False
    membership: Membership | None = None
    ballot: dict | None = None
    decision: object = None
    # A receipt just issued to this visitor: {"code", "changed"}; shown once, then forgotten.
    receipt: dict | None = None
    user: object = None
    template: str = field(default="governance/election_card.html")

    @cached_property
    def state(self):
        """The card's status by the clock (the election card's own rule,
        ``ElectionValue.window_status``, with the vote's dates), refined by what only the vote
        knows: CLOSED once counted, CANCELLED, and COUNTING between the closing moment and
        the count."""
        proposal = self.proposal
        if proposal.status == ProposalStatus.CLOSED:
            return CLOSED
        if proposal.status == ProposalStatus.CANCELLED:
            return CANCELLED
        by_clock = card.ElectionValue.window_status(proposal.opens_at, proposal.closes_at, self.now)
        return COUNTING if by_clock == card.CLOSED else by_clock

    @property
    def changes_at(self):
        """When this card's look changes by itself: the opening, then the closing moment."""
        if self.state not in (UPCOMING, OPEN):
            return None
        return card.ElectionValue.window_change(self.proposal.opens_at, self.proposal.closes_at, self.now)

    @property
    def is_member(self):
        return self.membership is not None

    @property
    def may_vote(self):
        return (
            self.state == OPEN
            and self.membership is not None
            and self.membership.role in self.proposal.eligible_roles
        )

    @property
    def updates(self):
        """What became of the decision (status updates, oldest first)."""
        return list(self.decision.updates.all()) if self.decision is not None else []

    @property
    def may_cancel(self):
        """Frontrunners (and site admins) cancel a vote that has not ended."""
        if self.state not in (UPCOMING, OPEN):
            return False
        if self.membership is not None and self.membership.role == Role.FRONTRUNNER:
            return True
        return bool(self.user is not None and self.user.is_superuser)

    @property
    def cancel_url(self):
        return reverse("governance:cancel", args=[self.proposal.uuid])

    @property
    def revision(self):
        return self.ballot["revision"] if self.ballot else 0

    @cached_property
    def sees_options(self):
        """Whether this visitor may read the options and the tally (``visibility``)."""
        return visibility.sees_options(self.proposal, self.membership)

    @cached_property
    def options(self):
        """The options, marking the one the visitor chose (shown to them only), each with
        what it stands for if the visitor may read that; empty if they may not see them."""
        if not self.sees_options:
            return []
        chosen = self.ballot["choice"] if self.ballot else None
        details = self.proposal.option_details or []
        if not visibility.may_read_details(self.proposal, self.membership):
            details = []
        return [
            {
                "index": index,
                "label": label,
                "detail": details[index] if index < len(details) else "",
                "chosen": index == chosen,
            }
            for index, label in enumerate(option_labels(self.proposal))
        ]

    @cached_property
    def my_choice_label(self):
        return next((option["label"] for option in self.options if option["chosen"]), "")

    @cached_property
    def summary(self):
        if self.state != CLOSED or self.decision is None:
            return None
        summary = decision_summary(self.proposal, self.decision, sees_options=self.sees_options)
        for option, shown in zip(summary["options"], self.options, strict=False):
            option["label"], option["detail"] = shown["label"], shown["detail"]
        total = sum(option["votes"] for option in summary["options"])
        for option in summary["options"]:
            option["percent"] = round(100 * option["votes"] / total) if total else 0
        return summary

    @property
    def result_caption(self):
        """"Result: 12 votes", above the closed vote's table (the count decides the plural)."""
        total = self.summary["ballot_count"]
        return ngettext("Result: %(total)s vote", "Result: %(total)s votes", total) % {"total": total}

    @property
    def vote_url(self):
        return reverse("governance:vote", args=[self.proposal.uuid])

    @property
    def join_url(self):
        return reverse("governance:join", args=[self.proposal.initiative_id])

    @property
    def decisions_url(self):
        return reverse("governance:decisions", args=[self.proposal.initiative_id]) + (
            f"#proposal-{self.proposal.uuid}"
        )

    @property
    def receipt_url(self):
        return reverse("governance:receipt", args=[self.proposal.uuid])


def option_labels(proposal):
    """The options as members read them: for/against/abstain in their own language."""
    if proposal.kind == ProposalKind.FOR_AGAINST:
        return [str(FOR_AGAINST_LABELS.get(label, label)) for label in proposal.options]
    return list(proposal.options)


def login_url(next_url):
    query = QueryDict(mutable=True)
    query["next"] = next_url
    return f"{resolve_url(settings.LOGIN_URL)}?{query.urlencode()}"


def _decision_of(proposal):
    try:
        return proposal.decision
    except ObjectDoesNotExist:
        return None


def _fresh_receipt(request, proposal_uuids):
    """The receipt the vote view left for one of these proposals, taken out of the session."""
    session = getattr(request, "session", None)
    if session is None:
        return None
    fresh = session.get(RECEIPT_SESSION_KEY)
    if not fresh or fresh.get("proposal") not in proposal_uuids:
        return None
    del session[RECEIPT_SESSION_KEY]
    return fresh


def election_card_context(page, request, block_ids):
    """The live elections among ``block_ids`` (election cards of ``page``), by block id.

    Each card is the vote that publishing it created (one per card, a database constraint);
    a card without one (its page never published since) keeps its own display.
    """
    proposals = Proposal.objects.filter(
        initiative_id=page.pk, election_block_id__in=block_ids
    ).select_related("decision__deployment").prefetch_related("decision__updates")
    by_block = {proposal.election_block_id: proposal for proposal in proposals}
    if not by_block:
        return {}
    user = getattr(request, "user", None)
    signed_in = bool(user and user.is_authenticated)
    membership = ballots = None
    if signed_in:
        membership = Membership.objects.filter(initiative_id=page.pk, user=user, left_at__isnull=True).first()
        ballots = {
            row["proposal_id"]: row
            for row in Ballot.objects.filter(voter=user, proposal__in=list(by_block.values())).values(
                "proposal_id", "choice", "revision", "cast_at"
            )
        }
    now = timezone.now()
    fresh = _fresh_receipt(request, {str(proposal.uuid) for proposal in by_block.values()})
    path = request.get_full_path() if request is not None else "/"
    contexts = {}
    for block_id, proposal in by_block.items():
        next_url = f"{path.split('#')[0]}#card-{block_id}"
        contexts[block_id] = LiveElection(
            proposal=proposal,
            block_id=block_id,
            next_url=next_url,
            login_url=login_url(next_url),
            now=now,
            signed_in=signed_in,
            membership=membership,
            ballot=(ballots or {}).get(proposal.pk),
            decision=_decision_of(proposal),
            receipt=fresh if fresh and fresh["proposal"] == str(proposal.uuid) else None,
            user=user if signed_in else None,
        )
    return contexts


def live_proposal(proposal, request, block_id="vote"):
    """One vote as this visitor sees it on the vote's own page (``views.proposal``): the same
    :class:`LiveElection` an election card shows, for votes that have no card."""
    user = getattr(request, "user", None)
    signed_in = bool(user and user.is_authenticated)
    membership = ballot = None
    if signed_in:
        membership = Membership.objects.filter(
            initiative_id=proposal.initiative_id, user=user, left_at__isnull=True
        ).first()
        ballot = (
            Ballot.objects.filter(voter=user, proposal=proposal)
            .values("proposal_id", "choice", "revision", "cast_at")
            .first()
        )
    fresh = _fresh_receipt(request, {str(proposal.uuid)})
    next_url = request.path
    return LiveElection(
        proposal=proposal,
        block_id=block_id,
        next_url=next_url,
        login_url=login_url(next_url),
        now=timezone.now(),
        signed_in=signed_in,
        membership=membership,
        ballot=ballot,
        decision=_decision_of(proposal),
        receipt=fresh,
        user=user if signed_in else None,
    )
