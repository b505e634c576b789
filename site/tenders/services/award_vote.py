"""Putting the award to the members' vote (issue 12, 4: "or put the choice to the members as a
vote; governance's rules apply and the decision is anchored as usual").

After opening, a frontrunner starts a vote whose options are the opened quotes under neutral
letters ("Quote A — € 12,500.00, delivery 2027-03-01"), never their bidders' names: the
winner is named by the award only, as after an award by hand. Unless the tender publishes its
losing amounts, the vote is restricted: only its electorate and the frontrunners see the
options, what each offers and the count (``governance.visibility``). Governance runs it like
any vote (``governance.external_votes``); when it closes, governance calls :func:`vote_ended`
through the ``governance_vote_ended`` hook, inside its closing transaction: a winning option
is awarded exactly like an award by hand (anchored with the quotes' Merkle root, published on
the card, the other bidders e-mailed), with the vote as its reason. A vote without a winner (no majority, a tie, no quorum) or a cancelled vote
leaves the tender opened and unawarded: a frontrunner awards it or puts it to a vote again.
"""

import datetime
import logging

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from governance import external_votes
from governance.services import log

from .. import names
from ..exceptions import AlreadyAwarded, AwardVoteRunning, NotAllowed, NotOpenedYet, VoteNotPossible
from ..models import AwardVoteState, QuoteStatus, Tender
from .access import may_manage
from .award import _publishes_losing_amounts, record_award

logger = logging.getLogger(__name__)

# Governance's limit on the options of a vote.
MAX_VOTE_OPTIONS = 20
DEFAULT_VOTE_DAYS = 14
# How much of a quote's offer the vote shows beside its option (the admin has it whole).
OFFER_SHOWN = 160


def default_rules(now=None):
    """The rules a vote on an award starts with: open now, close in 14 days, simple
    majority, no quorum, all members."""
    now = now or timezone.now()
    return {
        "opens_at": now,
        "closes_at": now + datetime.timedelta(days=DEFAULT_VOTE_DAYS),
        "rule": "simple",
        "qualified_percent": None,
        "quorum_percent": None,
        "electorate": "members",
    }


def vote_order(quotes):
    """The quotes in the order their letters are given: lowest amount first, equal amounts
    by receipt. Receipts are hashes of salted contents, so the order says nothing about who
    bid or when (submission time would: the bidders know when they sent theirs)."""
    return sorted(quotes, key=lambda quote: (quote.amount, quote.receipt))


def letter(index):
    """A, B, … Z, then AA, AB, … (a vote holds at most 20 options; kept total anyway)."""
    name = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        name = chr(ord("A") + rest) + name
    return name


def letters_of(tender):
    """``{quote id: letter}`` of the quotes in ``tender``'s vote on its award ({} without one)."""
    return {quote_id: letter(index) for index, quote_id in enumerate(tender.award_vote_quotes or [])}


def publishes_losing_amounts(tender):
    """Whether ``tender``'s card publishes the losing amounts (then its vote is public)."""
    return _publishes_losing_amounts(tender)


def vote_options(quotes, *, publish_amounts):
    """The options of the vote on ``quotes`` (already in :func:`vote_order`) and what each
    stands for: ``(labels, details)``, two lists of strings.

    No label names a bidder and no text holds an e-mail address; the offer is the bidder's
    own words and reaches only the electorate and the frontrunners. Labels are public when
    the tender publishes its losing amounts ("Quote A — € 12,500.00, delivery 2027-03-01")
    and in the anchored decision record either way; otherwise they are bare letters ("Quote
    A") and the vote is restricted. Details are shown only to those who vote and the
    frontrunners: the amount and delivery date (when the label lacks them) and what is
    offered, shortened.
    """
    labels, details = [], []
    for index, quote in enumerate(quotes):
        facts = _("€ %(amount)s, delivery %(date)s") % {
            "amount": f"{quote.amount:,.2f}",
            "date": quote.delivery_date.isoformat() if quote.delivery_date else "?",
        }
        name = _("Quote %(letter)s") % {"letter": letter(index)}
        labels.append(f"{name} — {facts}" if publish_amounts else name)
        offer = _short(quote.offer)
        details.append(offer if publish_amounts else (f"{facts}: {offer}" if offer else facts))
    return labels, details


def _short(text, limit=OFFER_SHOWN):
    text = " ".join((text or "").split())
    if names.looks_like_email(text):
        # A bidder who signed their offer with an address: leave the text to the admin.
        return _("see the quotes in the admin")
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def put_to_vote(tender, user, rules, *, now=None):
    """Put the award of opened ``tender`` to the members' vote with governance's ``rules``
    (see ``external_votes.start_vote``); returns the tender, its vote running.

    Raises NotAllowed (not a frontrunner or site admin), NotOpenedYet, AlreadyAwarded,
    AwardVoteRunning, or VoteNotPossible (fewer than two or more than 20 quotes, or rules that
    governance refuses, with its reason). Nothing is stored then.
    """
    now = now or timezone.now()
    if not may_manage(tender, user):
        raise NotAllowed()
    with transaction.atomic():
        tender = Tender.objects.select_for_update().select_related("initiative").get(pk=tender.pk)
        if not tender.is_opened:
            raise NotOpenedYet()
        if tender.is_awarded:
            raise AlreadyAwarded()
        if tender.is_being_voted_on:
            raise AwardVoteRunning(_("The members are already voting on this award."))
        quotes = vote_order(tender.quotes.filter(status=QuoteStatus.ACTIVE))
        if len(quotes) < 2:
            raise VoteNotPossible(_("A vote needs at least two quotes to choose from; award the quote directly."))
        if len(quotes) > MAX_VOTE_OPTIONS:
            raise VoteNotPossible(
                _("A vote holds at most %(max)s options and this tender has %(count)s quotes; award it directly.")
                % {"max": MAX_VOTE_OPTIONS, "count": len(quotes)}
            )
        publish_amounts = _publishes_losing_amounts(tender)
        labels, details = vote_options(quotes, publish_amounts=publish_amounts)
        try:
            handle = external_votes.start_vote(
                tender.initiative,
                user,
                title=_("Which quote wins “%(request)s”?") % {"request": tender.request or str(tender.uuid)},
                text=_(
                    "The quotes for this tender were opened at the deadline. Choose the quote that "
                    "should win: when the vote closes, the quote with a majority is awarded and "
                    "published. Merkle root of the opened quotes: %(root)s"
                )
                % {"root": tender.quotes_root},
                options=labels,
                option_details=details,
                # Losing quotes are not public unless the tender says so: then only the
                # electorate and the frontrunners see the options and the count.
                restricted=not publish_amounts,
                rules={**default_rules(now), **{k: v for k, v in rules.items() if v not in (None, "")}},
            )
        except external_votes.VoteRefused as error:
            raise VoteNotPossible(str(error)) from None
        tender.award_vote_uuid = handle.uuid
        tender.award_vote_quotes = [quote.pk for quote in quotes]
        tender.award_vote_state = AwardVoteState.RUNNING
        tender.award_vote_closes_at = handle.closes_at
        tender.save(update_fields=["award_vote_uuid", "award_vote_quotes", "award_vote_state", "award_vote_closes_at"])
        log.append(
            tender.initiative_id,
            "tender.put_to_vote",
            {"tender": str(tender.uuid), "proposal": handle.uuid, "by": getattr(user, "pk", None)},
            at=now,
        )
    return tender


def vote_ended(outcome):
    """The ``governance_vote_ended`` listener: award the quote the members chose, or leave
    the tender to its frontrunners when the vote chose none or was cancelled. Ignores votes
    that are not a tender's current award vote."""
    tender = Tender.objects.select_for_update().filter(award_vote_uuid=outcome.uuid).first()
    if tender is None or tender.award_vote_state != AwardVoteState.RUNNING:
        return None
    now = timezone.now()
    if outcome.status == external_votes.CANCELLED:
        state, kind = AwardVoteState.CANCELLED, "tender.vote_cancelled"
    elif outcome.winning_option is None:
        state, kind = AwardVoteState.UNDECIDED, "tender.vote_undecided"
    else:
        quote_id = tender.award_vote_quotes[outcome.winning_option]
        record_award(
            tender,
            quote_id,
            _("Chosen by the members' vote %(link)s") % {"link": outcome.url},
            by=None,
            now=now,
            publish_losing_amounts=_publishes_losing_amounts(tender),
            vote={"proposal": outcome.uuid, "decision_hash": outcome.decision_hash},
        )
        state, kind = AwardVoteState.DECIDED, None
    tender.award_vote_state = state
    tender.save(update_fields=["award_vote_state"])
    if kind:
        log.append(tender.initiative_id, kind, {"tender": str(tender.uuid), "proposal": outcome.uuid}, at=now)
    return tender


def settle_ended_votes():
    """Apply the outcome of every award vote that has ended but is still marked running (its
    listener failed and was rolled back, see ``external_votes``); returns the tenders settled.
    Run by the clock."""
    settled = []
    for tender in Tender.objects.filter(award_vote_state=AwardVoteState.RUNNING).order_by("pk"):
        outcome = external_votes.outcome_of(tender.award_vote_uuid)
        if outcome is None:
            continue
        try:
            with transaction.atomic():
                if vote_ended(outcome) is not None:
                    settled.append(tender)
        except Exception:
            logger.exception("The vote on the award of tender %s could not be applied", tender.pk)
    return settled
