"""Deadlines: a tender's deadline only moves later, and only before it has passed.

Source of the rule: issue 12, 2 — an extension is logged and e-mailed to the bidders, so no
bidder is surprised and nobody can reopen a tender after seeing who bid.
"""

import logging

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from governance.services import log

from ..exceptions import DeadlineNotExtendable
from ..models import Tender
from ..signals import deadline_extended
from .cards import tender_cards, tender_for_card

logger = logging.getLogger(__name__)


def extend_deadline(tender, new_deadline, user=None, now=None):
    """Move ``tender``'s deadline to ``new_deadline`` (aware datetime, later than the current
    one) while it has not passed; logs it and e-mails the bidders with an active quote.
    Raises DeadlineNotExtendable otherwise."""
    now = now or timezone.now()
    with transaction.atomic():
        tender = Tender.objects.select_for_update().get(pk=tender.pk)
        if tender.is_opened or now >= tender.deadline:
            raise DeadlineNotExtendable(_("The deadline has passed; it can no longer be extended."))
        if new_deadline <= tender.deadline:
            raise DeadlineNotExtendable(_("A new deadline must be later than the current one."))
        previous = tender.deadline
        tender.deadline = new_deadline
        tender.save(update_fields=["deadline"])
        log.append(
            tender.initiative_id,
            "tender.deadline_extended",
            {
                "tender": str(tender.uuid),
                "from": previous.isoformat(),
                "to": new_deadline.isoformat(),
                "by": getattr(user, "pk", None),
            },
            at=now,
        )
        deadline_extended.send(sender=Tender, tender=tender, previous=previous)
    return tender


def sync_page_tenders(page, user=None, now=None):
    """After ``page`` is published: every tender card has its Tender row; a card whose deadline
    was moved later before it passed extends the tender. Other deadline changes (earlier, or
    after the deadline) are not applied: the tender keeps its deadline and the card shows it."""
    now = now or timezone.now()
    for block_id, card in tender_cards(page).items():
        tender = tender_for_card(page, block_id, card)
        if card.get("request") and tender.request != card["request"]:
            Tender.objects.filter(pk=tender.pk).update(request=card["request"][:200])
        wanted = card.get("deadline")
        if wanted is None or wanted == tender.deadline or tender.is_opened:
            continue
        try:
            extend_deadline(tender, wanted, user=user, now=now)
        except DeadlineNotExtendable as error:
            logger.info("Tender %s keeps its deadline: %s", tender.pk, error)
