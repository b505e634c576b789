"""Finding a tender card on a published initiative page, and its Tender row."""

from django.apps import apps
from django.db import IntegrityError, transaction

from blocks.cards.tender import CONTEXT_HOOK_NAME
from ctylab.reachable import reachable

from ..exceptions import TenderNotFound
from ..models import Tender


def published_page(page_id):
    """The initiative page ``page_id`` if visitors may reach it (``ctylab.reachable``);
    TenderNotFound for anything else."""
    InitiativePage = apps.get_model("initiatives", "InitiativePage")
    try:
        page_id = int(page_id)
    except (TypeError, ValueError):
        raise TenderNotFound() from None
    page = reachable(InitiativePage.objects.filter(pk=page_id)).first()
    if page is None:
        raise TenderNotFound()
    return page


def runs_card(value):
    """Whether this app takes the quotes of a card: its value asks for our live context
    (``live_context_hook``, as the tender card's does), whatever name its type is registered under."""
    return getattr(value, "live_context_hook", None) == CONTEXT_HOOK_NAME


def tender_cards(page):
    """The page's published tender cards as ``{block id: TenderValue}``."""
    return {child.id: child.value for child in page.cards if child.id and runs_card(child.value)}


def tender_card(page, block_id):
    """The published tender card ``block_id`` of ``page`` (its TenderValue)."""
    card = tender_cards(page).get(str(block_id))
    if card is None:
        raise TenderNotFound()
    return card


def tender_for_card(page, block_id, card=None):
    """The Tender row of a published card, created (from the card) if it has none yet."""
    card = card if card is not None else tender_card(page, block_id)
    tender = Tender.objects.filter(initiative_id=page.pk, block_id=block_id).first()
    if tender is not None:
        return tender
    try:
        with transaction.atomic():
            return Tender.objects.create(
                initiative_id=page.pk,
                block_id=block_id,
                request=card.get("request") or "",
                deadline=card["deadline"],
            )
    except IntegrityError:
        # Created meanwhile by a concurrent bidder or publish.
        return Tender.objects.get(initiative_id=page.pk, block_id=block_id)
