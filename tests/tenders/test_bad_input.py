"""Bad input on the quote form gets a clear message and stores nothing (issue 12, 5)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from tenders import services
from tenders.models import FormToken, Quote, Tender
from tenders.services.bidding import new_form_token

from .conftest import BLOCK_ID, PDF, pdf_upload

pytestmark = pytest.mark.django_db


def form(**overrides):
    data = {
        "bid_as": "resident",
        "amount": "7450",
        "amount_reason": "",
        "offer": "Gravel court, 4 x 15 m.",
        "delivery_date": (timezone.localdate() + datetime.timedelta(days=30)).isoformat(),
        "valid_until": (timezone.localdate() + datetime.timedelta(days=60)).isoformat(),
        "token": new_form_token(),
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


@pytest.fixture
def url(initiative):
    return reverse("tenders:quote", args=[initiative.pk, BLOCK_ID])


@pytest.fixture
def signed_in(client, bidder):
    client.force_login(bidder)
    return client


def test_a_good_quote_is_stored_and_shows_its_receipt(signed_in, url, tender):
    response = signed_in.post(url, form(), follow=True)
    quote = Quote.objects.get()
    assert response.status_code == 200
    assert quote.receipt in response.content.decode()


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"amount": "-100"}, "The amount must be more than € 0."),
        ({"amount": "0"}, "The amount must be more than € 0."),
        ({"amount": "1e30"}, "cannot be right"),
        ({"amount": "NaN"}, "Enter the amount in euros"),
        ({"amount": "zeven"}, "Enter the amount in euros"),
        ({"amount": "7450.555"}, "two decimals"),
        ({"amount": "20000"}, "outside the budget"),
        ({"amount": "100"}, "outside the budget"),
        ({"offer": "   "}, "This field is required."),
        ({"delivery_date": "2001-01-01"}, "The delivery date lies in the past."),
        ({"valid_until": timezone.localdate().isoformat()}, "stay valid at least until the deadline"),
        ({"bid_as": "999999"}, "Select a valid choice"),
    ],
)
def test_bad_fields_are_refused_with_a_message(signed_in, url, tender, fields, message):
    response = signed_in.post(url, form(**fields))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Quote.objects.exists()


def test_an_amount_outside_the_budget_with_a_reason_is_taken(signed_in, url, tender):
    response = signed_in.post(url, form(amount="9800", amount_reason="Includes drainage."))
    assert response.status_code == 302
    assert Quote.objects.count() == 1


def test_a_file_that_is_not_a_pdf_is_refused(signed_in, url, tender):
    fake = pdf_upload(b"MZ\x90\x00 not a pdf at all", name="offerte.pdf")
    response = signed_in.post(url, {**form(), "attachment": fake})
    assert response.status_code == 400
    assert "not a PDF file" in response.content.decode()
    assert not Quote.objects.exists()


def test_an_oversized_pdf_is_refused(signed_in, url, tender, settings):
    settings.TENDER_MAX_ATTACHMENT_BYTES = 1024
    big = pdf_upload(PDF + b"0" * 2048)
    response = signed_in.post(url, {**form(), "attachment": big})
    assert response.status_code == 400
    assert "larger than" in response.content.decode()
    assert not Quote.objects.exists()


def test_a_late_quote_is_refused(signed_in, url, tender):
    Tender.objects.filter(pk=tender.pk).update(deadline=timezone.now() - datetime.timedelta(seconds=1))
    response = signed_in.post(url, form())
    assert response.status_code == 400
    assert "The deadline for quotes has passed" in response.content.decode()
    assert not Quote.objects.exists()


def test_a_quote_on_an_awarded_tender_is_refused(signed_in, url, tender, submit, make_user, frontrunner):
    other = make_user()
    quote = submit(other)
    services.open_tender(tender, now=tender.deadline)
    services.award(tender, quote.pk, frontrunner, "Only quote.")
    response = signed_in.post(url, form())
    assert response.status_code == 400
    assert "has been awarded" in response.content.decode()
    assert Quote.objects.count() == 1


def test_a_quote_on_a_closed_tender_is_refused(signed_in, make_initiative, deadline):
    from .conftest import tender_card

    page = make_initiative(cards=[tender_card(deadline, block_id="closed-card", status="closed")])
    response = signed_in.post(reverse("tenders:quote", args=[page.pk, "closed-card"]), form())
    assert response.status_code == 400
    assert "This tender is closed" in response.content.decode()
    assert not Quote.objects.exists()


@pytest.mark.parametrize("block_id", ["no-such-card", "tender-card-1x"])
def test_a_forged_tender_id_is_refused(signed_in, initiative, tender, block_id):
    response = signed_in.post(reverse("tenders:quote", args=[initiative.pk, block_id]), form())
    assert response.status_code == 404
    assert not Quote.objects.exists()


def test_a_forged_page_id_is_refused(signed_in, tender):
    response = signed_in.post(reverse("tenders:quote", args=[999999, BLOCK_ID]), form())
    assert response.status_code == 404
    assert not Quote.objects.exists()


def test_a_replayed_request_is_refused(signed_in, url, tender):
    data = form(amount="7000")
    assert signed_in.post(url, data).status_code == 302
    replay = signed_in.post(url, {**data, "amount": "7100"})
    assert replay.status_code == 400
    assert "already sent once" in replay.content.decode()
    assert Quote.objects.count() == 1
    assert FormToken.objects.count() == 1
