"""Votes another app puts to the members: the ``governance_vote_ended`` extension point.

An app that lets members decide something of its own (the tenders app puts an award to the
vote) starts the vote here and hears how it ended through a Wagtail hook, so it never touches
governance's models and governance never imports it::

    from wagtail import hooks
    from governance import external_votes

    handle = external_votes.start_vote(initiative, user, title=..., options=[...], rules={...})
    # keep handle.uuid with your own data; members vote at handle.url

    @hooks.register(external_votes.HOOK_NAME)
    def vote_ended(outcome):  # a VoteOutcome
        ...

The vote is an ordinary proposal: governance's rules, quorum, electorate, receipts, decisions
page and anchoring apply unchanged. Listeners are called inside the transaction that closes
(or cancels) the vote, each in its own savepoint: what a listener writes commits together with
the decision, and a listener that fails is rolled back alone and logged, so the vote's own
outcome always stands; it catches up later with :func:`outcome_of`.
"""

import logging
from dataclasses import dataclass

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks

logger = logging.getLogger(__name__)

HOOK_NAME = "governance_vote_ended"
CLOSED, CANCELLED = "closed", "cancelled"

# Who may vote, as the election card offers it (values of ``rules["electorate"]``).
ELECTORATE_CHOICES = [
    ("members", _("All members")),
    ("participants", _("Participants and frontrunners")),
    ("frontrunners", _("Frontrunners only")),
]
# The decision rules that apply to a choice between options (consensus is for/against only).
RULE_CHOICES = [
    ("simple", _("Simple majority")),
    ("qualified", _("Qualified majority")),
]


class VoteRefused(Exception):
    """The vote could not be started (rules, role or options); ``str()`` says why, for the
    person who tried. Nothing was stored."""


@dataclass(frozen=True)
class VoteHandle:
    """A started vote: ``uuid`` (str) identifies it in outcomes; ``url`` is its public page
    (a path) where members vote; ``opens_at``/``closes_at`` are aware datetimes."""

    uuid: str
    url: str
    opens_at: object
    closes_at: object


@dataclass(frozen=True)
class VoteOutcome:
    """How a vote ended.

    ``status`` is ``"closed"`` (counted) or ``"cancelled"``. For a closed vote ``passed`` says
    whether an option won under the vote's rule and quorum, and ``winning_option`` is its
    index in the options the vote was started with (None without a winner: no majority, a tie
    or no quorum). ``decision_hash`` is the keccak256 of the anchored decision record ("" when
    cancelled); ``url`` the vote's public page (a path).
    """

    uuid: str
    initiative_id: int
    status: str
    passed: bool
    winning_option: int | None
    quorum_reached: bool
    ballot_count: int
    decision_hash: str
    url: str


def vote_url(proposal_uuid):
    """The public page (a path) of the vote ``proposal_uuid``."""
    return reverse("governance:proposal", args=[proposal_uuid])


def start_vote(initiative, user, *, title, options, rules, text="", option_details=None, restricted=False):
    """Put a choice between ``options`` (2 to 20 distinct labels) to the members of
    ``initiative`` and open it; returns a :class:`VoteHandle`.

    The labels are public (they are in the anchored decision record) unless ``restricted``.
    ``option_details`` (one text per option, at most 500 characters each) say what each
    option stands for and are shown only to the electorate and the frontrunners. With
    ``restricted`` the options and the tally are shown only to them too (on the vote's page,
    the decisions page and the API); everyone else sees the question, the state and the
    outcome, which the starting app publishes itself.

    ``user`` must be a frontrunner of the initiative (governance's rule for opening votes).
    ``rules``: ``opens_at``, ``closes_at`` (aware datetimes), ``rule`` (a value of
    :data:`RULE_CHOICES`), ``qualified_percent`` and ``quorum_percent`` (numbers or None),
    ``electorate`` (a value of :data:`ELECTORATE_CHOICES`). Raises :class:`VoteRefused`.
    """
    from .exceptions import GovernanceError
    from .services import card_votes, open_proposal, propose

    electorate = rules.get("electorate") or "members"
    if electorate not in card_votes.ELECTORATES:
        raise VoteRefused(_("Unknown electorate."))
    try:
        with transaction.atomic():
            proposal = propose(
                initiative,
                user,
                title=title,
                text=text,
                kind="options",
                options=list(options),
                eligible_roles=list(card_votes.ELECTORATES[electorate]),
                opens_at=rules.get("opens_at"),
                closes_at=rules.get("closes_at"),
                rule=rules.get("rule") or "simple",
                qualified_percent=rules.get("qualified_percent"),
                quorum_percent=rules.get("quorum_percent"),
                option_details=list(option_details or ()),
                options_restricted=restricted,
            )
            # Opened at once: the rules freeze now, ballots are taken from ``opens_at``.
            proposal = open_proposal(proposal, user)
    except GovernanceError as error:
        raise VoteRefused(str(error)) from None
    return VoteHandle(str(proposal.uuid), vote_url(proposal.uuid), proposal.opens_at, proposal.closes_at)


def outcome_of(proposal_uuid):
    """The :class:`VoteOutcome` of the vote ``proposal_uuid`` if it has ended (closed or
    cancelled), else None (still running, or unknown). For listeners that missed the
    announcement (one that failed is rolled back) and catch up later."""
    from .models import Decision, Proposal

    proposal = Proposal.objects.filter(uuid=proposal_uuid).first()
    if proposal is None:
        return None
    if proposal.status == CANCELLED:
        return _outcome(proposal, None)
    decision = Decision.objects.filter(proposal=proposal).first()
    return _outcome(proposal, decision) if decision is not None else None


def announce(proposal, decision=None):
    """Tell every listener that ``proposal`` closed with ``decision`` (or was cancelled, with
    None). Called by governance inside the closing or cancelling transaction."""
    listeners = hooks.get_hooks(HOOK_NAME)
    if not listeners:
        return
    outcome = _outcome(proposal, decision)
    for listener in listeners:
        try:
            with transaction.atomic():
                listener(outcome)
        except Exception:
            logger.exception("A listener of %s failed for proposal %s", HOOK_NAME, proposal.pk)


def _outcome(proposal, decision):
    return VoteOutcome(
        uuid=str(proposal.uuid),
        initiative_id=proposal.initiative_id,
        status=CLOSED if decision is not None else CANCELLED,
        passed=bool(decision and decision.passed),
        winning_option=decision.winning_option if decision is not None else None,
        quorum_reached=bool(decision and decision.quorum_reached),
        ballot_count=decision.ballot_count if decision is not None else 0,
        decision_hash=decision.record_hash if decision is not None else "",
        url=vote_url(proposal.uuid),
    )
