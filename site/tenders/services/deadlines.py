"""Deadlines: a tender's deadline only moves later, and only before it has passed.

Source of the rule: issue 12, 2 — an extension is logged and e-mailed to the bidders, so no
bidder is surprised and nobody can reopen a tender after seeing who bid.

The card and the tender keep one deadline: an extension made in the tenders admin is written
back into the page's tender card as a new revision, published by the system (no user) and
logged by Wagtail, so the card, search, the activity order and the API all read the deadline
that applies. An editor's unpublished draft gets the new deadline too, on a new draft revision
on top of theirs, so their changes stay the latest and publishing them keeps the extension.
"""

import logging

from django.apps import apps
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
        revision = write_deadline_to_card(tender)
        log.append(
            tender.initiative_id,
            "tender.deadline_extended",
            {
                "tender": str(tender.uuid),
                "from": previous.isoformat(),
                "to": new_deadline.isoformat(),
                "by": getattr(user, "pk", None),
                "card_revision": getattr(revision, "pk", None),
            },
            at=now,
        )
        deadline_extended.send(sender=Tender, tender=tender, previous=previous)
    return tender


def _set_card_deadline(page, block_id, deadline):
    """Set the deadline of tender card ``block_id`` in ``page.cards``; True if it changed.

    Works on the stored (JSON) form, so every other card is written back exactly as it was.
    """
    raw = [dict(item) for item in page.cards.raw_data]
    current = tender_cards(page).get(block_id)
    if current is None or current.get("deadline") == deadline:
        return False
    for item in raw:
        if item.get("id") == block_id:
            item["value"] = {**item["value"], "deadline": deadline.isoformat()}
            page.cards = raw
            return True
    return False


def write_deadline_to_card(tender):
    """Write ``tender.deadline`` into its card: publish a new revision of the live page (by
    the system) and, if an editor has an unpublished draft, add a draft revision on top of it
    with the same deadline. Returns the published revision, or None if the live card already
    shows it (an extension made by publishing the card) or the page is not live."""
    InitiativePage = apps.get_model("initiatives", "InitiativePage")
    page = InitiativePage.objects.filter(pk=tender.initiative_id).first()
    if page is None:
        return None
    draft = page.get_latest_revision_as_object() if page.has_unpublished_changes else None
    published = None
    if page.live and _set_card_deadline(page, tender.block_id, tender.deadline):
        # clean=False: the system changes one date; other cards are the editors' business.
        published = page.save_revision(user=None, clean=False, log_action=True)
        published.publish(user=None)
    if draft is not None and _set_card_deadline(draft, tender.block_id, tender.deadline):
        draft.save_revision(user=None, clean=False, log_action=True)
    return published


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
