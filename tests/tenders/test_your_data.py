"""A bidder's "your data" download holds their quotes (every version, with the unsealed
contents that their receipts hash), their receipts and their organisations."""

import json

import pytest

from accounts import services as accounts
from governance.hashing import canonical_json, keccak_hex
from tenders import services
from tenders.models import Organisation

pytestmark = pytest.mark.django_db


def test_the_export_holds_the_bidders_quotes_receipts_and_organisations(
    settings, submit, bidder, make_user, tender, frontrunner
):
    organisation = Organisation.objects.create(
        name="Stratenmakers Bakker BV", kvk_number="12345678", contact_name="Jan",
        contact_email="jan@bakker.example", representative=bidder,
    )
    first = submit(bidder, amount="8100", offer="First offer.")
    second = submit(bidder, amount="7450.50", offer="Second offer.", organisation_id=organisation.pk)
    submit(make_user("other"), amount="6000", offer="Someone else's offer.")
    services.open_tender(tender, now=tender.deadline)
    services.award(tender, second.pk, frontrunner, "Best price.")

    data = accounts.export_user_data(bidder)
    text = json.dumps(data, default=str)
    assert "Someone else's offer." not in text
    quotes = data["tender_quotes"]
    assert [(q["status"], q["receipt"]) for q in quotes] == [("replaced", first.receipt), ("active", second.receipt)]
    assert quotes[0]["contents"]["offer"] == "First offer." and quotes[1]["contents"]["amount"] == "7450.50"
    # The contents are what the receipt hashes: the bidder can check it themselves.
    assert keccak_hex(canonical_json(quotes[1]["contents"])) == second.receipt
    assert quotes[1]["awarded_to_this_quote"] and quotes[1]["receipt_check_url"].endswith("/check/")
    [exported] = data["tender_organisations"]
    assert exported["kvk_number"] == "12345678"
    assert exported["tenders_won"] == [{"tender": str(tender.uuid), "request": tender.request}]
    # The other bidder's export has only their own quote.
    assert accounts.export_user_data(make_user("nobody"))["tender_quotes"] == []


def test_a_quote_sealed_with_a_removed_key_is_listed_without_contents(settings, submit, bidder):
    from cryptography.fernet import Fernet

    settings.TENDER_QUOTE_KEYS = [Fernet.generate_key()]
    quote = submit(bidder)
    settings.TENDER_QUOTE_KEYS = [Fernet.generate_key()]
    [exported] = accounts.export_user_data(bidder)["tender_quotes"]
    assert exported["receipt"] == quote.receipt and exported["contents"] is None
    assert "no longer be unsealed" in exported["contents_problem"]
