"""Putting the award to the members' vote (issue 12, 4): governance runs the vote, its outcome
awards the chosen quote through the ``governance_vote_ended`` hook, anchored as usual."""

import datetime
import json

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from accounts import services as accounts
from governance import services as governance
from governance.models import Decision, LogEntry, Proposal, ProposalStatus
from governance.services import log
from governance.tasks import close_due_proposals
from tenders import services
from tenders.exceptions import AwardVoteRunning, NotAllowed, NotOpenedYet, VoteNotPossible
from tenders.models import AwardVoteState, Tender
from tenders.services.bidding import new_form_token

pytestmark = pytest.mark.django_db


@pytest.fixture
def opened(submit, make_user, tender):
    """An opened tender with two quotes by residents: a cheap one by "bakker", whose profile
    name is their e-mail address, and a dearer one by "smit" ("Tuinman Smit")."""
    bakker, smit = make_user("bakker"), make_user("smit")
    accounts.create_profile(bakker, display_name="bakker@example.org")
    accounts.create_profile(smit, display_name="Tuinman Smit")
    cheap = submit(bakker, amount="7450", offer="Gravel court by bakker@example.org, edging included.")
    dear = submit(smit, amount="8800.25", offer="Oak edging, sand and gravel.")
    services.open_tender(tender, now=tender.deadline)
    return Tender.objects.get(pk=tender.pk), cheap, dear


# What nobody but the electorate and the frontrunners may read while the vote runs, and what
# nobody may read in public at all: the losing bidder, its amount, any e-mail address.
LOSING = ("bakker", "7,450", "7450", "@example.org", "Gravel court")


@pytest.fixture
def members(initiative, make_user):
    people = [make_user(f"member{n}") for n in range(3)]
    for person in people:
        governance.join(initiative, person, "participant")
    return people


def _close(proposal, capture=None):
    """The clock's task, run just after the vote's closing time (with the anchoring that
    follows the commit, when ``capture`` is django_capture_on_commit_callbacks)."""
    with time_machine.travel(proposal.closes_at + datetime.timedelta(seconds=1), tick=False):
        if capture is None:
            return close_due_proposals.enqueue().return_value
        with capture(execute=True):
            return close_due_proposals.enqueue().return_value


def test_the_members_vote_awards_the_chosen_quote(
    opened, frontrunner, members, mailoutbox, django_capture_on_commit_callbacks, client
):
    tender, cheap, dear = opened
    tender = services.put_to_vote(tender, frontrunner, {})
    proposal = Proposal.objects.get(uuid=tender.award_vote_uuid)
    assert proposal.status == ProposalStatus.OPEN and proposal.election_block_id == ""
    # Neutral letters, lowest amount first; what each stands for is for the electorate only.
    assert proposal.options == ["Quote A", "Quote B"] and proposal.options_restricted
    delivery = (timezone.localdate() + datetime.timedelta(days=30)).isoformat()
    assert proposal.option_details == [
        f"€ 7,450.00, delivery {delivery}: see the quotes in the admin",
        f"€ 8,800.25, delivery {delivery}: Oak edging, sand and gravel.",
    ]
    assert tender.award_vote_quotes == [cheap.pk, dear.pk]
    for text in (*proposal.options, *proposal.option_details, proposal.title, proposal.text):
        assert "@" not in text and "bakker" not in text.casefold() and "Smit" not in text
    assert sorted(proposal.eligible_roles) == ["frontrunner", "participant", "supporter"]
    assert proposal.rule == "simple" and proposal.quorum_percent is None
    assert proposal.closes_at - proposal.opens_at == datetime.timedelta(days=14)
    assert tender.quotes_root in proposal.text
    with pytest.raises(AwardVoteRunning):
        services.award(tender, cheap.pk, frontrunner, "By hand.")
    for member, choice in zip(members, [1, 1, 0], strict=True):
        governance.cast_ballot(proposal, member, choice)

    assert len(_close(proposal, django_capture_on_commit_callbacks)) == 1
    tender = Tender.objects.get(pk=tender.pk)
    assert tender.awarded_quote_id == dear.pk and tender.award_vote_state == AwardVoteState.DECIDED
    assert tender.awarded_by is None
    assert tender.award_reason == f"Chosen by the members' vote {reverse('governance:proposal', args=[proposal.uuid])}"
    award = Decision.objects.get(pk=tender.award_decision_id)
    vote = Decision.objects.get(proposal=proposal)
    assert award.record["facts"]["quotes_root"] == tender.quotes_root
    assert award.record["facts"]["members_vote"] == {"proposal": str(proposal.uuid), "decision_hash": vote.record_hash}
    assert award.deployment.status == "confirmed" and vote.deployment.status == "confirmed"
    # The loser is told; the winner too.
    assert sorted(m.to[0] for m in mailoutbox) == ["bakker@example.org", "smit@example.org"]
    assert log.problems(tender.initiative_id) == []
    html = client.get(tender.initiative.url).content.decode()
    assert "Awarded to" in html and "Tuinman Smit" in html and "Chosen by the members" in html
    assert award.record["facts"]["winner"] == "Tuinman Smit"
    # The vote's record holds letters only; the award's names the winner alone.
    assert vote.record["options"] == ["Quote A", "Quote B"]
    for secret in LOSING:
        assert secret not in json.dumps(award.record) and secret not in json.dumps(vote.record), secret
    loser_mail = next(m for m in mailoutbox if m.to == ["bakker@example.org"])
    assert "Tuinman Smit" in loser_mail.body and "@" not in loser_mail.body


@pytest.mark.parametrize("ballots", [[0, 1], []], ids=["tie", "nobody voted"])
def test_a_vote_without_a_winner_leaves_the_award_to_the_frontrunners(
    opened, frontrunner, members, ballots, client
):
    tender, cheap, dear = opened
    tender = services.put_to_vote(tender, frontrunner, {"quorum_percent": "10"})
    proposal = Proposal.objects.get(uuid=tender.award_vote_uuid)
    for member, choice in zip(members, ballots, strict=False):
        governance.cast_ballot(proposal, member, choice)
    _close(proposal)
    tender = Tender.objects.get(pk=tender.pk)
    assert not tender.is_awarded and tender.award_vote_state == AwardVoteState.UNDECIDED
    assert LogEntry.objects.filter(kind="tender.vote_undecided").count() == 1
    # The frontrunner may run the vote again, or award by hand.
    again = services.put_to_vote(tender, frontrunner, {})
    assert again.award_vote_uuid != proposal.uuid and again.is_being_voted_on
    governance.cancel_proposal(Proposal.objects.get(uuid=again.award_vote_uuid), frontrunner, "By hand after all.")
    assert Tender.objects.get(pk=tender.pk).award_vote_state == AwardVoteState.CANCELLED
    services.award(tender, cheap.pk, frontrunner, "Cheapest.")
    assert Tender.objects.get(pk=tender.pk).awarded_quote_id == cheap.pk


def test_who_may_put_an_award_to_a_vote_and_when(submit, make_user, tender, frontrunner, members):
    submit(make_user(), amount="7000")
    submit(make_user(), amount="7100")
    with pytest.raises(NotOpenedYet):
        services.put_to_vote(tender, frontrunner, {})
    services.open_tender(tender, now=tender.deadline)
    with pytest.raises(NotAllowed):
        services.put_to_vote(tender, members[0], {})
    with pytest.raises(VoteNotPossible, match="must close after"):
        now = timezone.now()
        services.put_to_vote(tender, frontrunner, {"opens_at": now, "closes_at": now - datetime.timedelta(days=1)})
    with pytest.raises(VoteNotPossible, match="qualified majority"):
        services.put_to_vote(tender, frontrunner, {"rule": "qualified", "qualified_percent": "40"})
    assert not Proposal.objects.exists()
    assert Tender.objects.get(pk=tender.pk).award_vote_state == ""


def test_a_single_quote_is_awarded_directly(submit, bidder, tender, frontrunner):
    submit(bidder)
    services.open_tender(tender, now=tender.deadline)
    with pytest.raises(VoteNotPossible, match="at least two"):
        services.put_to_vote(tender, frontrunner, {})


def test_members_vote_on_the_votes_page(opened, frontrunner, members, client):
    tender, cheap, _dear = opened
    tender = services.put_to_vote(tender, frontrunner, {})
    url = reverse("governance:proposal", args=[tender.award_vote_uuid])
    client.force_login(members[0])
    page = client.get(url).content.decode()
    assert "Quote A" in page and "€ 7,450.00, delivery" in page and 'name="option"' in page
    assert "bakker" not in page and "@example.org" not in page
    response = client.post(
        reverse("governance:vote", args=[tender.award_vote_uuid]), {"option": "1", "revision": "0", "next": url}
    )
    assert response.status_code == 302 and response["Location"] == url
    assert "Your vote counted" in client.get(url).content.decode()
    card = client.get(tender.initiative.url).content.decode()
    assert "the members are voting on the award" in card and url in card


def _public_texts(client, tender, proposal_uuid):
    """Every page and API answer an anonymous visitor can read about the tender's vote."""
    initiative = tender.initiative
    urls = [
        reverse("governance:proposal", args=[proposal_uuid]),
        reverse("governance:decisions", args=[initiative.pk]),
        initiative.url,
        "/api/v2/decisions/",
        f"/api/v2/decisions/{proposal_uuid}/",
        f"/api/v2/initiatives/{initiative.pk}/decisions/",
        f"/api/v2/initiatives/{initiative.pk}/governance-log/",
        f"/api/v2/initiatives/{initiative.pk}/tender-awards/",
        f"/api/v2/initiatives/{initiative.pk}/",
    ]
    texts = {}
    for url in urls:
        response = client.get(url)
        assert response.status_code in (200, 404), (url, response.status_code)
        texts[url] = response.content.decode()
    return texts


@pytest.mark.parametrize("who", ["anonymous", "resident"])
def test_outsiders_never_read_the_losing_quote_of_a_restricted_vote(
    opened, frontrunner, members, client, make_user, who, django_capture_on_commit_callbacks
):
    tender, _cheap, dear = opened
    tender = services.put_to_vote(tender, frontrunner, {})
    proposal = Proposal.objects.get(uuid=tender.award_vote_uuid)
    client.logout()
    if who == "resident":
        client.force_login(make_user("outsider"))  # signed in, not a member
    running = _public_texts(client, tender, proposal.uuid)
    page = running[reverse("governance:proposal", args=[proposal.uuid])]
    assert proposal.title.replace("“", "&ldquo;")[:10] in page or "Which quote wins" in page
    assert "shown only to those who may vote" in page and 'name="option"' not in page
    for url, text in running.items():
        for secret in (*LOSING, "Quote A", "8,800.25", "Tuinman Smit"):
            assert secret not in text, (url, secret)
    for member in members:
        governance.cast_ballot(proposal, member, 1)
    _close(proposal, django_capture_on_commit_callbacks)
    assert Tender.objects.get(pk=tender.pk).awarded_quote_id == dear.pk
    closed = _public_texts(client, tender, proposal.uuid)
    for url, text in closed.items():
        for secret in (*LOSING, "Quote A"):
            assert secret not in text, (url, secret)
    # The award (winner, amount, reason) is public, as after an award by hand.
    card = closed[tender.initiative.url]
    assert "Tuinman Smit" in card and "8,800.25" in card
    api = client.get(f"/api/v2/decisions/{proposal.uuid}/").json()
    assert api["restricted"] is True and api["options"] == [] and api["tally"] == []
    assert api["record"] is None and api["record_hash"].startswith("0x")


def test_the_electorate_reads_options_and_count_after_closing(opened, frontrunner, members, client):
    tender, _cheap, _dear = opened
    tender = services.put_to_vote(tender, frontrunner, {})
    proposal = Proposal.objects.get(uuid=tender.award_vote_uuid)
    for member in members:
        governance.cast_ballot(proposal, member, 0)
    _close(proposal)
    for who in (members[0], frontrunner):
        client.force_login(who)
        page = client.get(reverse("governance:proposal", args=[proposal.uuid])).content.decode()
        assert "Quote A" in page and "Quote B" in page and "Result: 3 votes" in page
        decisions = client.get(reverse("governance:decisions", args=[tender.initiative_id])).content.decode()
        assert "Quote A" in decisions


def test_published_losing_amounts_make_the_vote_public_still_without_names(
    make_initiative, deadline, make_user, frontrunner, members, client
):
    from tenders.models import Tender as TenderModel

    from .conftest import tender_card

    page = make_initiative(cards=[tender_card(deadline, block_id="open-amounts", publish_losing_amounts=True)])
    governance.join(page, frontrunner, "frontrunner")
    for member in members:
        governance.join(page, member, "participant")
    quotes = [
        services.submit_quote(
            page.pk, "open-amounts", make_user(name), amount=amount, offer=f"Offer by {name}@example.org",
            delivery_date=timezone.localdate() + datetime.timedelta(days=30),
            valid_until=timezone.localdate() + datetime.timedelta(days=60), token=new_form_token(),
        )
        for name, amount in (("derde", "6000"), ("eerste", "5000"), ("tweede", "5000"))
    ]
    tender = TenderModel.objects.get(initiative=page, block_id="open-amounts")
    services.open_tender(tender, now=tender.deadline)
    tender = services.put_to_vote(tender, frontrunner, {})
    proposal = Proposal.objects.get(uuid=tender.award_vote_uuid)
    assert not proposal.options_restricted
    # Equal amounts are lettered by receipt, not by who sent theirs first.
    fives = sorted(quotes[1:], key=lambda quote: quote.receipt)
    assert tender.award_vote_quotes == [fives[0].pk, fives[1].pk, quotes[0].pk]
    delivery = (timezone.localdate() + datetime.timedelta(days=30)).isoformat()
    assert proposal.options == [
        f"Quote A — € 5,000.00, delivery {delivery}",
        f"Quote B — € 5,000.00, delivery {delivery}",
        f"Quote C — € 6,000.00, delivery {delivery}",
    ]
    client.logout()
    public = client.get(reverse("governance:proposal", args=[proposal.uuid])).content.decode()
    assert "Quote C — € 6,000.00" in public
    for secret in ("derde", "eerste", "tweede", "@example.org"):
        assert secret not in public, secret


def _admin(client, user):
    from django.contrib.auth.models import Permission

    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(user)


def test_the_admin_puts_the_award_to_a_vote(opened, frontrunner, client):
    tender, _cheap, _dear = opened
    _admin(client, frontrunner)
    quotes_url = reverse("tenders_admin:quotes", args=[tender.pk])
    assert "Put to a vote" in client.get(quotes_url).content.decode()
    url = reverse("tenders_admin:put_to_vote", args=[tender.pk])
    form = client.get(url).content.decode()
    assert "Simple majority" in form and "All members" in form
    now = timezone.localtime()
    fields = {
        "opens_at": now.strftime("%Y-%m-%dT%H:%M"),
        "closes_at": (now - datetime.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M"),
        "rule": "simple",
        "electorate": "members",
    }
    refused = client.post(url, fields)
    assert refused.status_code == 400 and "Voting must close after it opens" in refused.content.decode()
    assert not Proposal.objects.exists()
    bad = client.post(url, {**fields, "rule": "consensus", "quorum_percent": "lots"})
    assert bad.status_code == 400 and not Proposal.objects.exists()
    fields["closes_at"] = (now + datetime.timedelta(days=14)).strftime("%Y-%m-%dT%H:%M")
    assert client.post(url, {**fields, "quorum_percent": "20"}).status_code == 302
    proposal = Proposal.objects.get()
    assert proposal.quorum_percent == 20
    page = client.get(quotes_url).content.decode()
    assert "The members are voting on the award" in page and "Award and publish" not in page
    # The frontrunner matches the vote's letters with the bidders.
    assert 'class="quote-letter">Quote A</strong>' in page and 'class="quote-letter">Quote B</strong><br>Tuinman Smit' in page
    assert reverse("governance:proposal", args=[proposal.uuid]) in page
    # A second start (a replayed form) is refused and stores nothing.
    assert client.post(url, fields).status_code == 302
    assert Proposal.objects.count() == 1


def test_an_outcome_missed_by_a_failing_listener_is_applied_by_the_clock(opened, frontrunner, members, monkeypatch):
    from tenders.services import award_vote
    from tenders.tasks import settle_award_votes

    tender, cheap, _dear = opened
    tender = services.put_to_vote(tender, frontrunner, {})
    proposal = Proposal.objects.get(uuid=tender.award_vote_uuid)
    for member in members:
        governance.cast_ballot(proposal, member, 0)
    assert settle_award_votes.enqueue().return_value == []  # still running: nothing to settle
    real = award_vote.record_award
    monkeypatch.setattr(award_vote, "record_award", lambda *a, **k: 1 / 0)
    _close(proposal)
    assert Proposal.objects.get(pk=proposal.pk).status == ProposalStatus.CLOSED  # the vote stands
    assert Tender.objects.get(pk=tender.pk).is_being_voted_on
    monkeypatch.setattr(award_vote, "record_award", real)
    assert settle_award_votes.enqueue().return_value == [tender.pk]
    tender = Tender.objects.get(pk=tender.pk)
    assert tender.awarded_quote_id == cheap.pk and tender.award_vote_state == AwardVoteState.DECIDED
