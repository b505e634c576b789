"""Opening: at the deadline the clock unseals the active quotes of a tender.

Opening fills the quotes' plain columns from their sealed contents (so frontrunners can sort
and compare them), fixes the Merkle root of their receipts and appends both to the
governance log. It runs under a lock on the tender row, the same lock bidders take, so no
quote can be added while the tender opens.
"""

import datetime
import logging
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from governance import merkle
from governance.services import log

from ..exceptions import NotOpenedYet
from ..models import Organisation, Quote, QuoteStatus, Tender
from .bidding import contents

logger = logging.getLogger(__name__)


def open_tender(tender, now=None):
    """Open ``tender``'s quotes once its deadline has passed (idempotent); returns the tender.

    Raises NotOpenedYet before the deadline.
    """
    now = now or timezone.now()
    with transaction.atomic():
        tender = Tender.objects.select_for_update().get(pk=tender.pk)
        if tender.is_opened:
            return tender
        if now < tender.deadline:
            raise NotOpenedYet()
        quotes = list(Quote.objects.filter(tender=tender, status=QuoteStatus.ACTIVE).order_by("pk"))
        organisation_ids = set()
        for quote in quotes:
            data = contents(quote)
            quote.amount = Decimal(data["amount"])
            quote.amount_reason = data.get("amount_reason", "")
            quote.offer = data["offer"]
            quote.delivery_date = datetime.date.fromisoformat(data["delivery_date"])
            quote.valid_until = datetime.date.fromisoformat(data["valid_until"])
            quote.bidder_name = data.get("bidder_name", "")[:200]
            quote.attachment_name = (data.get("attachment") or {}).get("name", "")
            organisation = data.get("organisation")
            quote.organisation_id = organisation["id"] if organisation else None
            if organisation:
                organisation_ids.add(organisation["id"])
        existing = set(Organisation.objects.filter(pk__in=organisation_ids).values_list("pk", flat=True))
        for quote in quotes:
            if quote.organisation_id not in existing:
                quote.organisation_id = None  # deleted since; its name stays in bidder_name
        Quote.objects.bulk_update(
            quotes,
            [
                "amount",
                "amount_reason",
                "offer",
                "delivery_date",
                "valid_until",
                "bidder_name",
                "attachment_name",
                "organisation",
            ],
        )
        tender.quotes_root = merkle.root(quote.receipt for quote in quotes)
        tender.opened_at = now
        tender.save(update_fields=["quotes_root", "opened_at"])
        log.append(
            tender.initiative_id,
            "tender.opened",
            {"tender": str(tender.uuid), "quotes": len(quotes), "quotes_root": tender.quotes_root},
            at=now,
        )
    return tender


def open_due_tenders(now=None):
    """Open every tender whose deadline has passed; returns the tenders opened."""
    now = now or timezone.now()
    opened = []
    for tender in Tender.objects.filter(opened_at__isnull=True, deadline__lte=now).order_by("deadline", "pk"):
        try:
            opened.append(open_tender(tender, now=now))
        except Exception:
            # One tender that cannot be opened (a key that was removed) must not stop the rest.
            logger.exception("Tender %s could not be opened", tender.pk)
    return opened
