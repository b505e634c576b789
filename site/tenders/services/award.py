"""Award: a frontrunner chooses one opened quote, with a reason; the award is published on
the card and anchored on the chain through governance, with the Merkle root of every opened
quote's receipt, so each bidder can check that their quote was among those opened."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from governance import merkle
from governance.services import log, record_decision

from ..exceptions import (
    AlreadyAwarded,
    AwardVoteRunning,
    InvalidQuote,
    NotAllowed,
    NotOpenedYet,
    TenderError,
)
from ..models import Quote, QuoteStatus, Tender
from ..signals import tender_awarded
from .access import may_manage
from .cards import published_page, tender_card

MAX_REASON_LENGTH = 2000
# One choice per quote plus "No award" must fit governance's 32 choices.
MAX_LISTED_CHOICES = 32


def _choice_label(quote, winner, publish_amounts):
    if quote.pk == winner.pk:
        return f"{quote.public_name}: € {quote.amount:,.2f}"
    if publish_amounts:
        return _("Quote %(receipt)s: € %(amount)s") % {
            "receipt": quote.receipt[:10],
            "amount": f"{quote.amount:,.2f}",
        }
    return _("Quote %(receipt)s") % {"receipt": quote.receipt[:10]}


def _publishes_losing_amounts(tender):
    try:
        card = tender_card(published_page(tender.initiative_id), tender.block_id)
    except TenderError:
        return False
    return bool(card.get("publish_losing_amounts"))


def _clean_reason(reason):
    reason = (reason or "").strip()
    if not reason:
        raise InvalidQuote(_("Give the reason for this award; it is published with it."))
    if len(reason) > MAX_REASON_LENGTH:
        raise InvalidQuote(_("The reason is too long (at most %(max)s characters).") % {"max": MAX_REASON_LENGTH})
    return reason


def award(tender, quote_id, user, reason, *, now=None):
    """Award ``tender`` to its opened quote ``quote_id`` for ``reason``; returns the tender.

    Only a frontrunner of the initiative or a site admin may (NotAllowed); the quotes must be
    open (NotOpenedYet), the tender not yet awarded (AlreadyAwarded) and not being voted on
    by the members (AwardVoteRunning). The decision record (winner, amount, reason, the
    quotes' Merkle root) is anchored by governance's outbox; the other bidders are e-mailed
    after the commit.
    """
    now = now or timezone.now()
    reason = _clean_reason(reason)
    publish_losing_amounts = _publishes_losing_amounts(tender)
    if not may_manage(tender, user):
        raise NotAllowed()
    with transaction.atomic():
        tender = Tender.objects.select_for_update().get(pk=tender.pk)
        if tender.is_being_voted_on:
            raise AwardVoteRunning()
        return record_award(tender, quote_id, reason, by=user, now=now, publish_losing_amounts=publish_losing_amounts)


def record_award(tender, quote_id, reason, *, by=None, now, publish_losing_amounts=False, vote=None):
    """Award the locked ``tender`` (fetched with ``select_for_update`` in the caller's
    transaction) to its opened quote ``quote_id``: record and queue the anchored decision,
    publish the award and announce it. ``vote`` (``{"proposal": uuid, "decision_hash": hex}``)
    names the members' vote that chose it. Raises NotOpenedYet, AlreadyAwarded, InvalidQuote.
    """
    if not tender.is_opened:
        raise NotOpenedYet()
    if tender.is_awarded:
        raise AlreadyAwarded()
    quotes = list(tender.quotes.filter(status=QuoteStatus.ACTIVE).order_by("amount", "submitted_at", "pk"))
    winner = next((quote for quote in quotes if str(quote.pk) == str(quote_id)), None)
    if winner is None:
        raise InvalidQuote(_("Choose one of the quotes that were opened."))
    if len(quotes) < MAX_LISTED_CHOICES:
        choices = [_choice_label(quote, winner, publish_losing_amounts) for quote in quotes]
        chosen = quotes.index(winner)
    else:
        # The decision contract holds at most 32 choices; every receipt is in the facts.
        choices = [
            _choice_label(winner, winner, publish_losing_amounts),
            _("One of the other %(count)s quotes") % {"count": len(quotes) - 1},
        ]
        chosen = 0
    choices.append(_("No award"))
    facts = {
        "tender": str(tender.uuid),
        "request": tender.request,
        "winner": winner.public_name,
        "kvk_number": winner.organisation.kvk_number if winner.organisation_id else None,
        "amount": f"{winner.amount:.2f}",
        "reason": reason,
        "winning_receipt": winner.receipt,
        "quotes": len(quotes),
        "quotes_root": tender.quotes_root,
        "receipts": sorted(quote.receipt for quote in quotes),
    }
    if vote is not None:
        facts["members_vote"] = vote
    decision = record_decision(
        tender.initiative_id,
        title=_("Award: %(request)s") % {"request": tender.request or str(tender.uuid)},
        choices=choices,
        chosen=chosen,
        facts=facts,
        by=by,
        now=now,
    )
    tender.awarded_quote = winner
    tender.award_reason = reason
    tender.awarded_at = now
    tender.awarded_by = by
    tender.award_decision_id = decision.pk
    tender.save(update_fields=["awarded_quote", "award_reason", "awarded_at", "awarded_by", "award_decision_id"])
    log.append(
        tender.initiative_id,
        "tender.awarded",
        {
            "tender": str(tender.uuid),
            "receipt": winner.receipt,
            "amount": f"{winner.amount:.2f}",
            "decision_hash": decision.record_hash,
            **({"members_vote": vote["proposal"]} if vote else {}),
        },
        at=now,
    )
    tender_awarded.send(sender=Tender, tender=tender)
    return tender


def inclusion_proof(tender, receipt):
    """Whether ``receipt`` (a 0x-prefixed keccak256) is among the quotes opened for ``tender``:
    ``{"included": bool, "proof": [hex], "root": hex}``; ``included`` is None before opening."""
    receipt = (receipt or "").strip().lower()
    if not tender.is_opened:
        return {"included": None, "proof": [], "root": ""}
    leaves = list(
        Quote.objects.filter(tender=tender, status=QuoteStatus.ACTIVE).values_list("receipt", flat=True)
    )
    if receipt not in leaves:
        return {"included": False, "proof": [], "root": tender.quotes_root}
    siblings = merkle.proof(leaves, receipt)
    return {
        "included": merkle.verify(receipt, siblings, tender.quotes_root),
        "proof": siblings,
        "root": tender.quotes_root,
    }
