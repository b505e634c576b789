"""What the tenders app holds about a person, for their "your data" download (the accounts
app's ``your_data`` hook, registered in ``wagtail_hooks``).

A bidder's own quotes are theirs, sealed or not: the export carries every version (active,
replaced, withdrawn) with its unsealed contents, so with the contents and the receipt anyone
can recompute the receipt (keccak256 of the canonical JSON of the contents). It also lists the
organisations they represent and the tenders each has won.
"""

import json

from cryptography.fernet import InvalidToken
from django.urls import reverse

from .crypto import unseal
from .models import Organisation, Quote


def _time(value):
    return value.isoformat() if value else None


def _contents(quote):
    try:
        return json.loads(unseal(quote.sealed)), ""
    except (InvalidToken, ValueError):
        # The key that sealed it was removed from TENDER_QUOTE_KEYS; the receipt still stands.
        return None, "This quote can no longer be unsealed with the site's keys."


def tender_data(user):
    """``{"tender_quotes": [...], "tender_organisations": [...]}`` for ``user``."""
    quotes = []
    for quote in Quote.objects.filter(bidder=user).select_related("tender").order_by("submitted_at", "pk"):
        contents, problem = _contents(quote)
        tender = quote.tender
        quotes.append(
            {
                "tender": str(tender.uuid),
                "initiative_id": tender.initiative_id,
                "request": tender.request,
                "deadline": _time(tender.deadline),
                "status": quote.status,
                "submitted_at": _time(quote.submitted_at),
                "receipt": quote.receipt,
                "receipt_check_url": reverse("tenders:check", args=[tender.uuid]),
                "contents": contents,
                **({"contents_problem": problem} if problem else {}),
                "opened": tender.is_opened,
                "awarded_to_this_quote": tender.awarded_quote_id == quote.pk,
            }
        )
    organisations = [
        {
            "id": organisation.pk,
            "name": organisation.name,
            "kvk_number": organisation.kvk_number,
            "contact_name": organisation.contact_name,
            "contact_email": organisation.contact_email,
            "contact_phone": organisation.contact_phone,
            "created_at": _time(organisation.created_at),
            "tenders_won": [
                {"tender": str(quote.awarded_tender.uuid), "request": quote.awarded_tender.request}
                for quote in organisation.quotes.filter(awarded_tender__isnull=False).select_related("awarded_tender")
            ],
        }
        for organisation in Organisation.objects.filter(representative=user).order_by("pk")
    ]
    return {"tender_quotes": quotes, "tender_organisations": organisations}
