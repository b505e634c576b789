"""Putting the award to the members' vote (issue 12, 4: "or put the choice to the members as a
vote; governance's rules apply and the decision is anchored as usual").

After opening, a frontrunner starts a vote whose options are the opened quotes (bidder and
amount). Governance runs it like any vote (``governance.external_votes``); when it closes,
governance calls :func:`vote_ended` through the ``governance_vote_ended`` hook, inside its
closing transaction: a winning option is awarded exactly like an award by hand (anchored with
the quotes' Merkle root, published on the card, the other bidders e-mailed), with the vote as
its reason. A vote without a winner (no majority, a tie, no quorum) or a cancelled vote
leaves the tender opened and unawarded: a frontrunner awards it or puts it to a vote again.
"""

import datetime
import logging

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from governance import external_votes
from governance.services import log

from ..exceptions import AlreadyAwarded, AwardVoteRunning, NotAllowed, NotOpenedYet, VoteNotPossible
from ..models import AwardVoteState, QuoteStatus, Tender
from .access import may_manage
from .award import _publishes_losing_amounts, record_award

logger = logging.getLogger(__name__)

# Governance's limit on the options of a vote.
MAX_VOTE_OPTIONS = 20
DEFAULT_VOTE_DAYS = 14


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


def vote_options(quotes):
    """One label per quote, "bidder: € amount", made distinct with the receipt if needed."""
    labels = [f"{quote.bidder_name or _('Resident')}: € {quote.amount:,.2f}" for quote in quotes]
    seen = {}
    for label in labels:
        seen[label.casefold()] = seen.get(label.casefold(), 0) + 1
    return [
        f"{label} ({_('quote')} {quote.receipt[2:10]})" if seen[label.casefold()] > 1 else label
        for label, quote in zip(labels, quotes, strict=True)
    ]


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
        quotes = list(tender.quotes.filter(status=QuoteStatus.ACTIVE).order_by("amount", "submitted_at", "pk"))
        if len(quotes) < 2:
            raise VoteNotPossible(_("A vote needs at least two quotes to choose from; award the quote directly."))
        if len(quotes) > MAX_VOTE_OPTIONS:
            raise VoteNotPossible(
                _("A vote holds at most %(max)s options and this tender has %(count)s quotes; award it directly.")
                % {"max": MAX_VOTE_OPTIONS, "count": len(quotes)}
            )
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
                options=vote_options(quotes),
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
