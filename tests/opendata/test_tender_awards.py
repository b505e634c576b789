"""Tender awards as open data: only what the awarded tender card shows an anonymous visitor,
never a sealed quote, a losing bidder or an attachment."""

import datetime
import itertools

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from governance import services as governance
from tenders import services
from tenders.models import Organisation, Tender
from tenders.services.bidding import new_form_token
from tests.tenders.conftest import pdf_upload, tender_card

pytestmark = pytest.mark.django_db

_numbers = itertools.count(1)


@pytest.fixture
def deadline():
    return (timezone.now() + datetime.timedelta(days=7)).replace(microsecond=0)


@pytest.fixture
def bidder_account(db):
    def make(name=None):
        name = name or f"bieder{next(_numbers)}"
        user = get_user_model().objects.create_user(username=name, email=f"{name}@example.org", password="x")
        EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
        return user

    return make


@pytest.fixture
def tendering(make_initiative, deadline, bidder_account):
    """An initiative with two tender cards (one publishes the other amounts) and a frontrunner."""
    page = make_initiative(
        title="Jeu de boules",
        cards=[
            tender_card(deadline, block_id="court"),
            tender_card(deadline, block_id="benches", request="Two benches", publish_losing_amounts=True),
        ],
    )
    frontrunner = bidder_account("voorloper")
    governance.join(page, frontrunner, "frontrunner")
    return page, frontrunner


def submit(page, block_id, user, amount, **fields):
    fields.setdefault("offer", "Gravel court, 4 x 15 m, edging included.")
    fields.setdefault("delivery_date", timezone.localdate() + datetime.timedelta(days=30))
    fields.setdefault("valid_until", timezone.localdate() + datetime.timedelta(days=60))
    return services.submit_quote(page.pk, block_id, user, amount=amount, token=new_form_token(), **fields)


def awards(client, page):
    response = client.get(f"/api/v2/initiatives/{page.pk}/tender-awards/")
    assert response.status_code == 200
    return response


def test_sealed_quotes_give_nothing_before_the_deadline_nor_before_the_award(
    client, tendering, bidder_account, deadline
):
    page, _frontrunner = tendering
    submit(page, "court", bidder_account("geheimbieder"), "7450", attachment=pdf_upload())
    sealed = awards(client, page)
    assert sealed.json() == {"meta": {"total_count": 0}, "items": []}
    tender = Tender.objects.get(initiative=page, block_id="court")
    services.open_tender(tender, now=deadline)
    # Opened but not awarded: the card shows no winner yet, and neither does the API.
    text = awards(client, page).content.decode()
    assert "geheimbieder" not in text and "7450" not in text and "Gravel" not in text


def test_an_award_gives_what_the_card_shows_and_no_losing_bidder(
    client, tendering, bidder_account, deadline
):
    page, frontrunner = tendering
    representative = bidder_account("bakker")
    organisation = Organisation.objects.create(
        name="Stratenmakers Bakker BV", kvk_number="12345678", contact_name="Jan Bakker",
        contact_email="jan@bakker.example", representative=representative,
    )
    winner = submit(page, "court", representative, "7450", organisation_id=organisation.pk)
    submit(page, "court", bidder_account("verliezer"), "8800.25", attachment=pdf_upload(name="geheim.pdf"))
    tender = Tender.objects.get(initiative=page, block_id="court")
    services.open_tender(tender, now=deadline)
    services.award(tender, winner.pk, frontrunner, "Best price.")
    tender.refresh_from_db()

    response = awards(client, page)
    assert response["ETag"] and response["Last-Modified"]
    [award] = response.json()["items"]
    assert award["tender"] == str(tender.uuid) and award["card"] == "court"
    assert award["winner"] == {
        "name": "Stratenmakers Bakker BV", "kind": "organisation",
        "organisation": organisation.pk, "organisation_name": "Stratenmakers Bakker BV",
    }
    assert award["amount"] == "7450.00" and award["reason"] == "Best price."
    assert award["quote_count"] == 2 and award["quotes_root"] == tender.quotes_root
    # This card keeps the other amounts unpublished.
    assert award["other_amounts"] is None
    # Anchored through governance: the deployment the site stored, waiting for the chain.
    assert award["decision_hash"].startswith("0x")
    assert award["deployment"]["status"] == "waiting" and award["deployment"]["contract_address"] is None
    text = response.content.decode()
    for secret in ("verliezer", "8800", "geheim.pdf", "Gravel", "jan@bakker", "12345678", "Jan Bakker"):
        assert secret not in text, secret


def test_other_amounts_without_names_when_the_card_publishes_them(
    client, tendering, bidder_account, deadline
):
    page, frontrunner = tendering
    winner = submit(page, "benches", bidder_account("buurvrouw"), "5900")
    submit(page, "benches", bidder_account("anderebuur"), "7250.50")
    submit(page, "benches", bidder_account("derdebuur"), "7100")
    tender = Tender.objects.get(initiative=page, block_id="benches")
    services.open_tender(tender, now=deadline)
    services.award(tender, winner.pk, frontrunner, "Cheapest, and local.")

    response = awards(client, page)
    [award] = response.json()["items"]
    assert award["winner"]["kind"] == "resident" and award["winner"]["organisation"] is None
    assert award["amount"] == "5900.00"
    assert award["other_amounts"] == ["7100.00", "7250.50"]
    assert "anderebuur" not in response.content.decode() and "derdebuur" not in response.content.decode()


def test_awards_of_unpublished_initiatives_are_not_found(client, make_initiative, deadline):
    page = make_initiative(title="Geheim", publish=False, cards=[tender_card(deadline, block_id="court")])
    assert client.get(f"/api/v2/initiatives/{page.pk}/tender-awards/").status_code == 404


def test_awards_cost_the_same_queries_for_one_or_many_quotes_and_awards(
    client, make_initiative, deadline, bidder_account
):
    cards = [tender_card(deadline, block_id=f"t{n}", publish_losing_amounts=True) for n in range(3)]
    page = make_initiative(title="Veel", cards=cards)
    frontrunner = bidder_account("voorloper2")
    governance.join(page, frontrunner, "frontrunner")

    def award(block_id, amounts):
        quotes = [submit(page, block_id, bidder_account(), amount) for amount in amounts]
        tender = Tender.objects.get(initiative=page, block_id=block_id)
        services.open_tender(tender, now=deadline)
        services.award(tender, quotes[0].pk, frontrunner, "Best.")

    def queries():
        with CaptureQueriesContext(connection) as captured:
            awards(client, page)
        return len(captured)

    award("t0", ["5100"])
    queries()
    one = queries()
    award("t1", ["5200", "5300", "5400", "5500"])
    award("t2", ["5600", "5700", "5800"])
    assert queries() == one
    assert len(awards(client, page).json()["items"]) == 3


def test_the_initiative_links_to_its_awards(client, tendering):
    page, _frontrunner = tendering
    links = client.get(f"/api/v2/initiatives/{page.pk}/").json()["links"]
    assert links["tender_awards"].endswith(f"/api/v2/initiatives/{page.pk}/tender-awards/")


def test_the_award_decision_record_does_not_name_the_frontrunner(client, tendering, bidder_account, deadline):
    """The record is published whole (its hash is on the chain), so who awarded stays out of it,
    as it stays off the page; the log keeps it, withheld."""
    page, frontrunner = tendering
    winner = submit(page, "court", bidder_account(), "7450")
    tender = Tender.objects.get(initiative=page, block_id="court")
    services.open_tender(tender, now=deadline)
    services.award(tender, winner.pk, frontrunner, "Best price.")
    decision = awards(client, page).json()["items"][0]["decision_hash"]
    [published] = [item for item in client.get("/api/v2/decisions/").json()["items"] if item["record_hash"] == decision]
    assert "by" not in published["record"] and published["record"]["version"] == 2
    log = client.get(f"/api/v2/initiatives/{page.pk}/governance-log/?limit=100").json()["items"]
    [recorded] = [entry for entry in log if entry["kind"] == "decision.recorded"]
    assert recorded["payload_withheld"] is True


def test_an_award_by_the_members_vote_publishes_no_losing_bidder(
    client, tendering, bidder_account, deadline
):
    """The vote on a tender that keeps losing amounts unpublished: while it runs and after
    the award, the open data gives no losing name, amount or e-mail address, and the vote's
    decision only its hash (``restricted``)."""
    import time_machine

    from governance.models import Proposal
    from governance.services import close_proposal

    page, frontrunner = tendering
    voter = bidder_account("stemmer")
    governance.join(page, voter, "participant")
    winner = submit(page, "court", bidder_account("winnaar"), "7450")
    submit(page, "court", bidder_account("verliezer"), "8800.25", offer="Oak by verliezer@example.org")
    tender = services.open_tender(Tender.objects.get(initiative=page, block_id="court"), now=deadline)
    tender = services.put_to_vote(tender, frontrunner, {})
    proposal = Proposal.objects.get(uuid=tender.award_vote_uuid)
    urls = [
        "/api/v2/decisions/",
        f"/api/v2/decisions/{proposal.uuid}/",
        f"/api/v2/initiatives/{page.pk}/decisions/",
        f"/api/v2/initiatives/{page.pk}/governance-log/",
        f"/api/v2/initiatives/{page.pk}/tender-awards/",
    ]

    def public_text():
        return "".join(client.get(url).content.decode() for url in urls)

    secrets = ("verliezer", "8800", "8,800", "@example.org", "Oak by")
    running = public_text()
    assert not any(secret in running for secret in secrets)
    governance.cast_ballot(proposal, voter, 0)
    with time_machine.travel(proposal.closes_at + datetime.timedelta(seconds=1), tick=False):
        close_proposal(proposal)
    tender.refresh_from_db()
    assert tender.awarded_quote_id == winner.pk
    awarded = public_text()
    assert not any(secret in awarded for secret in secrets), [s for s in secrets if s in awarded]
    decision = client.get(f"/api/v2/decisions/{proposal.uuid}/").json()
    assert decision["restricted"] is True and decision["options"] == [] and decision["record"] is None
    [award] = client.get(f"/api/v2/initiatives/{page.pk}/tender-awards/").json()["items"]
    # No profile name: the resident who won is "a resident", never their address.
    assert award["winner"]["name"] == "a resident" and award["amount"] == "7450.00"
