"""Fixtures for tenders: an initiative with an open tender card, verified bidders, a
frontrunner, quotes and a clock to move past the deadline."""

import datetime
import io
import itertools
from decimal import Decimal

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from governance import services as governance
from governance.backends import reset_backends
from tenders import services
from tenders.services.bidding import new_form_token
from tests.conftest import card

_numbers = itertools.count(1)
BLOCK_ID = "tender-card-1"
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


@pytest.fixture(autouse=True)
def fresh_chain():
    reset_backends()
    yield
    reset_backends()


def tender_card(deadline, block_id=BLOCK_ID, **extra):
    value = {
        "title": "Offerte gevraagd",
        "request": "Paving for a jeu-de-boules court",
        "description": "",
        "budget_min": "5000",
        "budget_max": "9000",
        "deadline": deadline.isoformat(),
        "status": "open",
        "contact_name": "",
        "contact_email": "",
        "show_quote_count": False,
        "publish_losing_amounts": False,
        **extra,
    }
    return card("tender", value, block_id)


@pytest.fixture
def deadline():
    return (timezone.now() + datetime.timedelta(days=7)).replace(microsecond=0)


@pytest.fixture
def make_user(db):
    def make(name=None, verified=True, **fields):
        name = name or f"bidder{next(_numbers)}"
        user = get_user_model().objects.create_user(
            username=name, email=f"{name}@example.org", password="x", **fields
        )
        EmailAddress.objects.create(user=user, email=user.email, verified=verified, primary=True)
        return user

    return make


@pytest.fixture
def initiative(make_initiative, deadline):
    return make_initiative(title="Jeu de boules", cards=[tender_card(deadline)])


@pytest.fixture
def frontrunner(initiative, make_user):
    user = make_user("frontrunner")
    governance.join(initiative, user, "frontrunner")
    return user


@pytest.fixture
def bidder(make_user):
    return make_user("bakker")


@pytest.fixture
def tender(initiative):
    from tenders.models import Tender

    return Tender.objects.get(initiative=initiative, block_id=BLOCK_ID)


def pdf_upload(data=PDF, name="offerte.pdf"):
    return SimpleUploadedFile(name, data, content_type="application/pdf")


@pytest.fixture
def submit(initiative):
    """submit(user, amount=..., **fields): a valid quote unless a field says otherwise."""

    def do(user, **fields):
        fields.setdefault("amount", Decimal("7450"))
        fields.setdefault("offer", "Gravel court, 4 x 15 m, edging included.")
        fields.setdefault("delivery_date", timezone.localdate() + datetime.timedelta(days=30))
        fields.setdefault("valid_until", timezone.localdate() + datetime.timedelta(days=60))
        fields.setdefault("token", new_form_token())
        page_id = fields.pop("page_id", initiative.pk)
        block_id = fields.pop("block_id", BLOCK_ID)
        return services.submit_quote(page_id, block_id, user, **fields)

    return do


__all__ = ["BLOCK_ID", "PDF", "io", "pdf_upload", "tender_card"]
