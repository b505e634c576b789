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


def vote_urls(initiative, tender):
    """Every public URL that can show a members' vote on the award, its options or tally."""
    return {
        "vote page": reverse("governance:proposal", args=[tender.award_vote_uuid]),
        "decisions page": reverse("governance:decisions", args=[initiative.pk]),
        "initiative page": initiative.url,
        "api decisions": "/api/v2/decisions/",
        "api decision": f"/api/v2/decisions/{tender.award_vote_uuid}/",
        "api initiative decisions": f"/api/v2/initiatives/{initiative.pk}/decisions/",
        "api governance log": f"/api/v2/initiatives/{initiative.pk}/governance-log/",
        "api tender awards": f"/api/v2/initiatives/{initiative.pk}/tender-awards/",
    }


def shows_losing_quote(response):
    """The losing quote (the world's bidder, by amount or offer) or any bidder's e-mail."""
    body = response.content
    return shows_contents(response) or b"bakker" in body or b"@example.org" in body


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("anonymous", set()),
        ("resident", set()),
        ("bidder", set()),
        # A participant is in the electorate: the options are theirs to read, on the vote's page.
        ("editor", {"vote page"}),
        ("frontrunner", {"vote page"}),
    ],
)
def test_a_vote_on_the_award_shows_the_losing_quote_only_to_the_electorate(
    client, world, initiative, tender, submit, make_user, who, expected
):
    from governance.models import Proposal

    submit(make_user("winner"), amount="6100")
    tender = services.open_tender(tender, now=tender.deadline)
    tender = services.put_to_vote(tender, world["frontrunner"], {})
    assert seen_by_losing(client, world, who, vote_urls(initiative, tender)) == expected
    # After the award: the electorate's view is unchanged, outsiders still read no loser.
    proposal = Proposal.objects.get(uuid=tender.award_vote_uuid)
    governance.cast_ballot(proposal, world["editor"], 0)  # "Quote A" is the winner's, 6,100.00
    _close(proposal)
    tender.refresh_from_db()
    assert tender.is_awarded and tender.awarded_quote.amount == 6100
    assert seen_by_losing(client, world, who, vote_urls(initiative, tender)) == expected


def seen_by_losing(client, world, who, url_map):
    client.logout()
    if world[who] is not None:
        client.force_login(world[who])
    return {name for name, url in url_map.items() if shows_losing_quote(client.get(url))}


def _close(proposal):
    import datetime

    import time_machine

    from governance.services import close_proposal

    with time_machine.travel(proposal.closes_at + datetime.timedelta(seconds=1), tick=False):
        close_proposal(proposal)
