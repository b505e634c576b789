"""Bidding: one active quote per bidder, sealed at rest, a receipt in the governance log."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection

from governance.models import LogEntry
from tenders import services
from tenders.exceptions import DeadlinePassed, NotAllowed, ReplayedRequest
from tenders.models import Organisation, Quote, QuoteStatus
from tenders.services.bidding import contents

from .conftest import pdf_upload

pytestmark = pytest.mark.django_db


def test_a_quote_is_sealed_and_its_receipt_logged(submit, bidder, tender, initiative):
    quote = submit(bidder, amount=Decimal("7450.50"), attachment=pdf_upload())
    assert quote.status == QuoteStatus.ACTIVE
    assert quote.receipt.startswith("0x") and len(quote.receipt) == 66
    # Nothing readable in the row: no amount, no offer.
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM tenders_quote WHERE id = %s", [quote.pk])
        row = " ".join(str(bytes(value) if isinstance(value, memoryview) else value) for value in cursor.fetchone())
    assert "7450" not in row and "Gravel" not in row
    assert contents(quote)["amount"] == "7450.50"
    # The card hides the count, so the entry's kind is withheld too (test_sealed_count).
    entry = LogEntry.objects.filter(initiative=initiative, kind="withheld").get()
    assert (entry.payload["kind"], entry.payload["receipt"]) == ("tender.quote", quote.receipt)


def test_replacing_keeps_one_active_quote(submit, bidder, tender):
    first = submit(bidder, amount="7000")
    second = submit(bidder, amount="7100")
    assert Quote.objects.get(pk=first.pk).status == QuoteStatus.REPLACED
    assert list(Quote.objects.filter(tender=tender, status="active")) == [second]


def test_withdrawing(submit, bidder, tender, initiative):
    quote = submit(bidder)
    services.withdraw_quote(initiative.pk, tender.block_id, bidder)
    assert Quote.objects.get(pk=quote.pk).status == QuoteStatus.WITHDRAWN


def test_an_unverified_account_may_not_bid(submit, make_user, tender):
    with pytest.raises(NotAllowed):
        submit(make_user(verified=False))
    assert not Quote.objects.exists()


def test_a_replayed_form_is_refused(submit, bidder, tender):
    submit(bidder, token="same-token")
    with pytest.raises(ReplayedRequest):
        submit(bidder, token="same-token", amount="7200")
    assert Quote.objects.get().status == QuoteStatus.ACTIVE
    assert contents(Quote.objects.get())["amount"] == "7450.00"


def test_late_quote_is_refused_by_the_server_clock(submit, bidder, tender, deadline):
    with pytest.raises(DeadlinePassed):
        submit(bidder, now=deadline + datetime.timedelta(seconds=1))
    assert not Quote.objects.exists()


def test_bidding_for_an_organisation(submit, bidder, tender):
    organisation = Organisation.objects.create(
        name="Bakker Bestrating BV",
        kvk_number="12345678",
        contact_name="Jan",
        contact_email="jan@bakker.example",
        representative=bidder,
    )
    quote = submit(bidder, organisation_id=organisation.pk)
    assert contents(quote)["organisation"]["kvk_number"] == "12345678"
    # Sealed: the link to the organisation is made only at opening.
    assert quote.organisation_id is None


def test_opening_and_award(
    submit, bidder, make_user, tender, frontrunner, deadline, mailoutbox, django_capture_on_commit_callbacks
):
    other = make_user()
    mine = submit(bidder, amount="7450")
    theirs = submit(other, amount="6900", attachment=pdf_upload())
    opened = services.open_tender(tender, now=deadline)
    assert opened.is_opened
    amounts = sorted(Quote.objects.filter(tender=tender, status="active").values_list("amount", flat=True))
    assert amounts == [Decimal("6900.00"), Decimal("7450.00")]
    with django_capture_on_commit_callbacks(execute=True):
        awarded = services.award(opened, theirs.pk, frontrunner, "Lowest price, good references.")
    assert awarded.awarded_quote_id == theirs.pk
    proof = services.inclusion_proof(awarded, mine.receipt)
    assert proof["included"] is True
    assert services.inclusion_proof(awarded, "0x" + "11" * 32)["included"] is False
    # Governance anchors the award (the test chain is in-process).
    from governance.models import Decision, DeploymentStatus

    decision = Decision.objects.get(pk=awarded.award_decision_id)
    assert decision.record["facts"]["quotes_root"] == awarded.quotes_root
    assert decision.deployment.status == DeploymentStatus.CONFIRMED
    assert {message.to[0] for message in mailoutbox} == {bidder.email, other.email}
