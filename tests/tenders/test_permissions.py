"""Who sees a quote, before and after the deadline, on every admin and public URL that can
show one (issue 12, 3 and 5): before opening nobody but the bidder, not editors, not
frontrunners, not site admins; after opening the frontrunners and site admins, and still no
other resident, no mere editor and no anonymous visitor."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.urls import reverse

from accounts import services as accounts
from governance import services as governance
from tenders import services

from .conftest import pdf_upload

pytestmark = pytest.mark.django_db

OFFER = "SECRET-OFFER gravel and oak edging"
AMOUNT = "7123.45"
PDF_MARK = b"SECRET-PDF"


@pytest.fixture
def world(initiative, tender, frontrunner, bidder, make_user, submit):
    editor = make_user("editor")
    governance.join(initiative, editor, "participant")
    accounts.invite_editor(initiative, editor, by=frontrunner)
    # The frontrunner uses the admin (Wagtail's "access admin"), without being the page's editor.
    frontrunner.user_permissions.add(Permission.objects.get(codename="access_admin"))
    admin = get_user_model().objects.create_superuser("siteadmin", "admin@example.org", "x")
    quote = submit(bidder, amount=AMOUNT, offer=OFFER, attachment=pdf_upload(b"%PDF-1.4 " + PDF_MARK))
    return {
        "anonymous": None,
        "resident": make_user("resident"),
        "bidder": bidder,
        "editor": editor,
        "frontrunner": frontrunner,
        "siteadmin": admin,
        "quote": quote,
    }


def urls(initiative, tender, quote):
    return {
        "initiative page": initiative.url,
        "quote form": reverse("tenders:quote", args=[initiative.pk, tender.block_id]),
        "quote page": reverse("tenders:my_quote", args=[quote.uuid]),
        "attachment": reverse("tenders:attachment", args=[quote.uuid]),
        "receipt check": reverse("tenders:check", args=[tender.uuid]) + f"?receipt={quote.receipt}",
        "admin tenders": reverse("tenders_admin:index"),
        "admin quotes": reverse("tenders_admin:quotes", args=[tender.pk]),
        "admin quotes by date": reverse("tenders_admin:quotes", args=[tender.pk]) + "?ordering=-submitted_at",
        "admin extend": reverse("tenders_admin:extend", args=[tender.pk]),
        "admin put to vote": reverse("tenders_admin:put_to_vote", args=[tender.pk]),
        "admin search": reverse("wagtailadmin_pages:search") + "?q=SECRET-OFFER",
        "django admin": "/django-admin/",
    }


def shows_contents(response):
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return OFFER.encode() in body or b"7,123.45" in body or AMOUNT.encode() in body or PDF_MARK in body


def seen_by(client, world, who, url_map):
    client.logout()
    if world[who] is not None:
        client.force_login(world[who])
    return {name for name, url in url_map.items() if shows_contents(client.get(url))}


@pytest.mark.parametrize("who", ["anonymous", "resident", "editor", "frontrunner", "siteadmin"])
def test_before_the_deadline_nobody_but_the_bidder_sees_the_quote(client, world, initiative, tender, who):
    assert seen_by(client, world, who, urls(initiative, tender, world["quote"])) == set()


def test_before_the_deadline_the_bidder_sees_their_own(client, world, initiative, tender):
    seen = seen_by(client, world, "bidder", urls(initiative, tender, world["quote"]))
    assert seen == {"quote form", "quote page", "attachment"}


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("anonymous", set()),
        ("resident", set()),
        ("editor", set()),
        ("bidder", {"quote page", "attachment"}),
        ("frontrunner", {"quote page", "attachment", "admin quotes", "admin quotes by date"}),
        ("siteadmin", {"quote page", "attachment", "admin quotes", "admin quotes by date"}),
    ],
)
def test_after_opening(client, world, initiative, tender, who, expected):
    services.open_tender(tender, now=tender.deadline)
    assert seen_by(client, world, who, urls(initiative, tender, world["quote"])) == expected


def test_the_count_is_shown_only_if_the_card_says_so(client, world, make_initiative, deadline, submit, bidder):
    from .conftest import tender_card

    hidden = client.get(world["quote"].tender.initiative.url).content.decode()
    assert 'class="tender__count"' not in hidden
    page = make_initiative(cards=[tender_card(deadline, block_id="counted", show_quote_count=True)])
    submit(bidder, page_id=page.pk, block_id="counted")
    shown = client.get(page.url).content.decode()
    assert '<dd class="tender__count">1</dd>' in shown
