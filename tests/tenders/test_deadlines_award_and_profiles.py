"""Deadline extensions, the clock's opening, the award's permissions and publication, the
receipt check and organisations' profiles."""

import datetime

import pytest
from cryptography.fernet import Fernet
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from governance.models import LogEntry
from governance.services import log
from tenders import services
from tenders.checks import check_quote_keys
from tenders.exceptions import DeadlineNotExtendable, NotAllowed, NotOpenedYet
from tenders.models import Organisation, Quote, Tender
from tenders.services.bidding import contents
from tenders.tasks import open_due_tenders

from .conftest import BLOCK_ID, tender_card

pytestmark = pytest.mark.django_db


def test_extending_before_the_deadline_is_logged_and_mailed(
    submit, bidder, tender, frontrunner, mailoutbox, django_capture_on_commit_callbacks
):
    submit(bidder)
    later = tender.deadline + datetime.timedelta(days=3)
    with django_capture_on_commit_callbacks(execute=True):
        services.extend_deadline(tender, later, user=frontrunner)
    tender.refresh_from_db()
    assert tender.deadline == later
    entry = LogEntry.objects.get(kind="tender.deadline_extended")
    assert entry.payload["by"] == frontrunner.pk
    assert [message.to for message in mailoutbox] == [[bidder.email]]
    assert "extended" in mailoutbox[0].subject
    assert "7450" not in mailoutbox[0].body  # sealed: no contents in e-mail


def test_a_deadline_never_moves_earlier_nor_after_it_passed(tender, frontrunner):
    with pytest.raises(DeadlineNotExtendable):
        services.extend_deadline(tender, tender.deadline - datetime.timedelta(hours=1), user=frontrunner)
    with pytest.raises(DeadlineNotExtendable):
        services.extend_deadline(
            tender,
            tender.deadline + datetime.timedelta(days=1),
            user=frontrunner,
            now=tender.deadline + datetime.timedelta(seconds=1),
        )
    assert Tender.objects.get(pk=tender.pk).deadline == tender.deadline
    assert not LogEntry.objects.filter(kind="tender.deadline_extended").exists()


def test_moving_the_cards_deadline_later_and_publishing_extends(initiative, tender, deadline):
    page = initiative.specific
    page.cards = [tender_card(deadline + datetime.timedelta(days=2))]
    page.save_revision().publish()
    assert Tender.objects.get(pk=tender.pk).deadline == deadline + datetime.timedelta(days=2)
    page.cards = [tender_card(deadline - datetime.timedelta(days=2))]
    page.save_revision().publish()
    assert Tender.objects.get(pk=tender.pk).deadline == deadline + datetime.timedelta(days=2)


def test_the_admin_extends_a_deadline(client, tender, frontrunner):
    from django.contrib.auth.models import Permission

    frontrunner.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(frontrunner)
    url = reverse("tenders_admin:extend", args=[tender.pk])
    earlier = timezone.localtime(tender.deadline - datetime.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    refused = client.post(url, {"deadline": earlier})
    assert refused.status_code == 400 and "must be later" in refused.content.decode()
    later = timezone.localtime(tender.deadline + datetime.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    assert client.post(url, {"deadline": later}).status_code == 302
    assert Tender.objects.get(pk=tender.pk).deadline > tender.deadline


def test_the_clock_opens_due_tenders_only(submit, bidder, tender):
    submit(bidder)
    assert open_due_tenders.enqueue().return_value == []
    with pytest.raises(NotOpenedYet):
        services.open_tender(tender)
    Tender.objects.filter(pk=tender.pk).update(deadline=timezone.now() - datetime.timedelta(seconds=1))
    assert open_due_tenders.enqueue().return_value == [tender.pk]
    opened = Tender.objects.get(pk=tender.pk)
    assert opened.quotes_root.startswith("0x") and opened.is_opened
    assert Quote.objects.get().amount is not None
    assert LogEntry.objects.filter(kind="tender.opened").count() == 1
    assert open_due_tenders.enqueue().return_value == []  # idempotent
    assert log.problems(tender.initiative_id) == []


def test_only_frontrunners_and_site_admins_award(submit, bidder, make_user, tender):
    quote = submit(bidder)
    services.open_tender(tender, now=tender.deadline)
    with pytest.raises(NotAllowed):
        services.award(tender, quote.pk, make_user(), "Because.")
    assert not Tender.objects.get(pk=tender.pk).is_awarded


def test_the_award_is_published_on_the_card_and_on_the_profile(
    client, submit, bidder, make_user, make_initiative, deadline, frontrunner
):
    page = make_initiative(cards=[tender_card(deadline, block_id="public", publish_losing_amounts=True)])
    from governance import services as governance

    governance.join(page, frontrunner, "frontrunner")
    organisation = Organisation.objects.create(
        name="Stratenmakers Bakker BV", kvk_number="12345678", contact_name="Jan",
        contact_email="jan@bakker.example", representative=bidder,
    )
    winner = submit(bidder, page_id=page.pk, block_id="public", amount="7450", organisation_id=organisation.pk)
    submit(make_user("loser"), page_id=page.pk, block_id="public", amount="8800.25")
    tender = Tender.objects.get(initiative=page)
    services.open_tender(tender, now=deadline)
    services.award(tender, winner.pk, frontrunner, "Best price.")
    html = client.get(page.url).content.decode()
    assert "Awarded to" in html and "Stratenmakers Bakker BV" in html and "Best price." in html
    assert '<ul class="tender__other-amounts"><li>€&nbsp;8,800.25</li></ul>' in html
    assert "loser" not in html
    profile = client.get(reverse("tenders:organisation", args=[organisation.pk])).content.decode()
    assert "Paving for a jeu-de-boules court" in profile and "7,450.00" in profile


def test_losing_amounts_stay_unpublished_unless_chosen(client, submit, bidder, make_user, initiative, tender, frontrunner):
    winner = submit(bidder, amount="7450")
    submit(make_user(), amount="8800.25")
    services.open_tender(tender, now=tender.deadline)
    services.award(tender, winner.pk, frontrunner, "Best price.")
    html = client.get(initiative.url).content.decode()
    assert "7,450.00" in html and "8,800" not in html


def test_checking_a_receipt(client, submit, bidder, tender):
    quote = submit(bidder)
    url = reverse("tenders:check", args=[tender.uuid])
    before = client.get(url, {"receipt": quote.receipt}).content.decode()
    assert "have not been opened yet" in before
    services.open_tender(tender, now=tender.deadline)
    assert "was among the quotes opened" in client.get(url, {"receipt": quote.receipt}).content.decode()
    assert "is not among the quotes opened" in client.get(url, {"receipt": "0x" + "ab" * 32}).content.decode()


@pytest.mark.parametrize("kvk", ["1234567", "123456789", "1234567a", "12 34 56 78"])
def test_a_kvk_number_has_eight_digits(client, bidder, kvk):
    client.force_login(bidder)
    response = client.post(
        reverse("tenders:organisations"),
        {"name": "Bakker", "kvk_number": kvk, "contact_name": "Jan", "contact_email": "jan@bakker.example"},
    )
    assert response.status_code == 400
    assert "8 digits" in response.content.decode() or "at most 8" in response.content.decode()
    assert not Organisation.objects.exists()


def test_quotes_are_opened_with_any_of_the_configured_keys(settings, submit, bidder, tender):
    old, new = Fernet.generate_key(), Fernet.generate_key()
    settings.TENDER_QUOTE_KEYS = [old]
    quote = submit(bidder)
    settings.TENDER_QUOTE_KEYS = [new, old]  # rotated: the new key seals, the old still opens
    assert contents(quote)["amount"] == "7450.00"


def test_production_needs_its_own_key(settings):
    settings.DEBUG = False
    settings.TENDER_QUOTE_KEYS = []
    assert [error.id for error in check_quote_keys()] == ["tenders.E001"]
    settings.TENDER_QUOTE_KEYS = ["not-a-key"]
    assert [error.id for error in check_quote_keys()] == ["tenders.E002"]
    settings.TENDER_QUOTE_KEYS = [Fernet.generate_key().decode()]
    assert check_quote_keys() == []


def test_the_governance_log_stays_verifiable(submit, bidder, tender, initiative):
    submit(bidder)
    call_command("verify_governance_log")
    assert BLOCK_ID == tender.block_id


def test_deleting_a_tender_takes_its_quotes_and_award_along(submit, bidder, tender, frontrunner):
    quote = submit(bidder)
    services.open_tender(tender, now=tender.deadline)
    services.award(tender, quote.pk, frontrunner, "Only quote.")
    Tender.objects.get(pk=tender.pk).delete()
    assert not Quote.objects.exists()


def test_an_award_among_more_quotes_than_the_contract_lists(
    submit, make_user, tender, frontrunner, django_capture_on_commit_callbacks
):
    from governance.models import Decision, DeploymentStatus

    quotes = [submit(make_user(), amount=str(6000 + n)) for n in range(33)]
    services.open_tender(tender, now=tender.deadline)
    with django_capture_on_commit_callbacks(execute=True):
        awarded = services.award(tender, quotes[5].pk, frontrunner, "Best value.")
    decision = Decision.objects.get(pk=awarded.award_decision_id)
    assert len(decision.record["options"]) == 3 and decision.winning_option == 0
    assert len(decision.record["facts"]["receipts"]) == 33
    assert decision.deployment.status == DeploymentStatus.CONFIRMED


def test_the_card_after_opening_without_quotes(client, make_initiative):
    past = timezone.now() - datetime.timedelta(days=1)
    page = make_initiative(
        cards=[tender_card(past, block_id="empty"), tender_card(past, block_id="by-hand", status="awarded")]
    )
    assert open_due_tenders.enqueue().return_value  # both opened, without quotes
    html = client.get(page.url).content.decode()
    assert "Closed; no quotes came in" in html
    assert '<span class="status status--closed">Awarded</span>' in html  # the editor's own label
