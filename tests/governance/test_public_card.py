"""The election card comes alive: voting on the public initiative page, on custom domains too."""

import datetime
import re

import pytest
from django.conf import settings
from django.db import connection
from django.shortcuts import resolve_url
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from governance import services
from governance.models import Ballot, Membership, Proposal, Role
from initiatives.models import InitiativeDomain
from tests.conftest import card
from tests.signed_in import SignedInClient as Client

from .conftest import after_closing

BLOCK = "election-trees"
OTHER = "election-manual"


def election_value(now, **overrides):
    value = {
        "title": "Trees",
        "question": "Which trees should the park get?",
        "description": "",
        "kind": "options",
        "options": [{"label": "Lime trees"}, {"label": "Oaks"}],
        "opens_at": (now - datetime.timedelta(days=1)).isoformat(),
        "closes_at": (now + datetime.timedelta(days=1)).isoformat(),
        "rule": "simple",
        "qualified_percent": None,
        "quorum_percent": None,
        "electorate": "participants",
    }
    value.update(overrides)
    return value


@pytest.fixture
def initiative(make_initiative, now):
    return make_initiative(
        title="Bloemkwartier",
        cards=[card("election", election_value(now), BLOCK), card("election", election_value(now), OTHER)],
    )


@pytest.fixture
def proposal(initiative):
    """The vote that publishing the card created."""
    return Proposal.objects.get(initiative=initiative, election_block_id=BLOCK)


def card_html(html, block_id=BLOCK):
    match = re.search(rf'<article[^>]*id="card-{block_id}".*?</article>', html, re.S)
    assert match, f"card {block_id} not on the page"
    return match.group(0)


def vote(client, proposal, option, revision=0, **extra):
    return client.post(
        reverse("governance:vote", args=[proposal.uuid]),
        {"option": option, "revision": revision, "next": f"{proposal.initiative.url}#card-{BLOCK}"},
        **extra,
    )


def test_anonymous_visitors_are_asked_to_log_in(client, initiative, proposal):
    html = card_html(client.get(initiative.url).text)
    assert "Log in to vote" in html
    assert f'href="{resolve_url(settings.LOGIN_URL)}?next=' in html
    assert 'name="option"' not in html
    # Posting anyway leads to the login page and records nothing.
    response = vote(client, proposal, 0)
    assert response.status_code == 302 and response["Location"].startswith(resolve_url(settings.LOGIN_URL))
    assert not Ballot.objects.exists()


def test_a_non_member_joins_from_the_card_and_then_votes(client, initiative, proposal, make_user):
    resident = make_user("resident")
    client.force_login(resident)
    html = card_html(client.get(initiative.url).text)
    assert "Join as participant to vote" in html and 'name="option"' not in html
    response = client.post(
        reverse("governance:join", args=[initiative.pk]), {"next": f"{initiative.url}#card-{BLOCK}"}
    )
    assert response.status_code == 302 and response["Location"] == f"{initiative.url}#card-{BLOCK}"
    assert Membership.objects.get(initiative=initiative, user=resident).role == Role.PARTICIPANT
    page = client.get(initiative.url).text
    assert "You are now a participant" in page
    assert 'name="option"' in card_html(page)


def test_a_member_votes_sees_the_receipt_once_and_can_change_the_vote(
    client, initiative, proposal, make_member
):
    member = make_member()
    client.force_login(member)
    html = card_html(client.get(initiative.url).text)
    assert "csrfmiddlewaretoken" in html
    assert re.search(r"<fieldset>\s*<legend>Your vote: Which trees should the park get\?</legend>", html)
    assert 'name="revision" value="0"' in html
    assert re.search(
        r'<input type="radio" name="option" value="1" id="vote-election-trees-1" required>', html
    )
    assert '<label for="vote-election-trees-1">Oaks</label>' in html

    response = vote(client, proposal, 1)
    assert response.status_code == 302
    assert response["Location"] == f"{initiative.url}#card-{BLOCK}"  # relative, on this host
    page = client.get(initiative.url).text
    code = re.search(r"Your vote counted\. Your receipt code is ([A-Z2-7-]+)\.", page).group(1)
    assert 'aria-live="polite"' in page
    html = card_html(page)
    assert f"Your receipt code is {code}." in html  # inside the card the voter looked at
    assert f'href="/governance/proposals/{proposal.uuid}/receipt/"' in html
    assert "Your vote counted." in html and "You voted “Oaks”" in html
    assert 'name="revision" value="1"' in html and "Change my vote" in html
    assert code not in client.get(initiative.url).text  # shown only once

    response = vote(client, proposal, 0, revision=1)
    assert response.status_code == 302
    page = client.get(initiative.url).text
    new_code = re.search(r"Your new receipt code is ([A-Z2-7-]+)", card_html(page)).group(1)
    assert new_code != code
    assert Ballot.objects.get(proposal=proposal, voter=member).choice == 0
    assert services.my_ballot(proposal, member)["revision"] == 2


@pytest.mark.parametrize(
    ("option", "revision", "message"),
    [
        ("7", 0, "That is not one of the options of this proposal."),
        ("-1", 0, "That is not one of the options of this proposal."),
        ("lime", 0, "That is not one of the options of this proposal."),
        ("", 0, "Choose one of the options to vote."),
        ("0", "x", "This vote was already submitted"),
        ("0", 3, "This vote was already submitted"),
    ],
)
def test_bad_votes_give_a_message_and_change_nothing(
    client, initiative, proposal, make_member, option, revision, message
):
    member = make_member()
    client.force_login(member)
    response = vote(client, proposal, option, revision=revision, follow=True)
    assert response.status_code == 200
    assert message in response.text
    assert not Ballot.objects.exists()


def test_replayed_vote_is_refused(client, initiative, proposal, make_member):
    member = make_member()
    client.force_login(member)
    vote(client, proposal, 0)
    response = vote(client, proposal, 1, revision=0, follow=True)  # the same form again
    assert "This vote was already submitted" in response.text
    assert Ballot.objects.get(voter=member).choice == 0


def test_non_members_and_supporters_cannot_vote(client, initiative, proposal, make_user, make_member):
    client.force_login(make_user("outsider"))
    response = vote(client, proposal, 0, follow=True)
    assert response.status_code == 200 and "Join this initiative to vote." in response.text
    supporter = make_member(role=Role.SUPPORTER)
    client.force_login(supporter)
    html = card_html(client.get(initiative.url).text)
    assert "does not give a vote" in html and 'name="option"' not in html
    response = vote(client, proposal, 0, follow=True)
    assert "does not give a vote on this proposal" in response.text
    assert not Ballot.objects.exists()


def test_votes_after_closing_are_refused(client, initiative, proposal, make_member, now):
    member = make_member()
    services.close_proposal(proposal, now=after_closing(proposal))
    client.force_login(member)
    response = vote(client, proposal, 0, follow=True)
    assert response.status_code == 200 and "Voting on this proposal has closed." in response.text
    assert not Ballot.objects.exists()


def test_voting_needs_a_csrf_token(initiative, proposal, make_member):
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(make_member())
    assert vote(strict, proposal, 0).status_code == 403
    assert not Ballot.objects.exists()


def test_voting_on_a_custom_domain_stays_on_that_domain(client, initiative, proposal, make_member):
    InitiativeDomain.objects.create(hostname="bloemkwartier.nl", initiative=initiative)
    member = make_member()
    client.force_login(member)
    html = card_html(client.get("/", HTTP_HOST="bloemkwartier.nl").text)
    assert f'action="/governance/proposals/{proposal.uuid}/vote/"' in html
    assert f'name="next" value="/#card-{BLOCK}"' in html
    response = client.post(
        reverse("governance:vote", args=[proposal.uuid]),
        {"option": 1, "revision": 0, "next": f"/#card-{BLOCK}"},
        HTTP_HOST="bloemkwartier.nl",
    )
    assert response.status_code == 302 and response["Location"] == f"/#card-{BLOCK}"
    assert Ballot.objects.get(voter=member).choice == 1
    # A "next" on another host is ignored: back to the initiative, relative.
    response = client.post(
        reverse("governance:vote", args=[proposal.uuid]),
        {"option": 0, "revision": 1, "next": "https://evil.example/"},
        HTTP_HOST="bloemkwartier.nl",
    )
    assert response.status_code == 302 and not response["Location"].startswith("http")
    assert "evil" not in response["Location"]


def test_after_closing_the_card_shows_the_result_and_the_chain_record(
    client, initiative, proposal, make_member, now
):
    voters = [make_member() for _ in range(3)]
    for voter, choice in zip(voters, [1, 1, 0], strict=True):
        services.cast_ballot(proposal, voter, choice)
    decision = services.close_proposal(proposal, now=after_closing(proposal))
    html = card_html(client.get(initiative.url).text)
    assert "Result: 3 votes" in html and "Decision: passed." in html
    assert re.search(r"<th scope=\"row\">Oaks</th><td>2</td>", html)
    assert "The quorum was reached." in html and "Waiting for the chain" in html
    decisions_url = reverse("governance:decisions", args=[initiative.pk])
    assert f'href="{decisions_url}#proposal-{proposal.uuid}"' in html
    assert 'name="option"' not in html
    services.anchor(decision.deployment.pk, now=after_closing(proposal))
    assert "Recorded on the chain" in card_html(client.get(initiative.url).text)


def test_queries_do_not_grow_with_linked_cards(client, make_initiative, make_member, frontrunner, now):
    """One query for the proposals, one for the membership, one for the ballots — per page."""
    pages = {}
    member = None
    for count in (1, 6):
        page = make_initiative(
            cards=[card("election", election_value(now), f"e{count}-{n}") for n in range(count)]
        )
        services.join(page, frontrunner, Role.FRONTRUNNER)
        member = member or make_member()
        services.join(page, member, Role.PARTICIPANT)
        for proposal in Proposal.objects.filter(initiative=page):
            services.cast_ballot(proposal, member, 0)
        pages[count] = page
    client.force_login(member)
    counts = {}
    for count, page in pages.items():
        client.get(page.url)
        with CaptureQueriesContext(connection) as queries:
            html = client.get(page.url).text
        assert html.count("Your vote counted.") == count
        counts[count] = len(queries)
    assert counts[1] == counts[6]


def test_the_live_card_speaks_dutch(client, initiative, proposal, make_member):
    html = card_html(client.get(initiative.url, HTTP_ACCEPT_LANGUAGE="nl").text)
    assert "Log in om te stemmen" in html and "Besluitregel" in html
    client.force_login(make_member())
    vote(client, proposal, 0, HTTP_ACCEPT_LANGUAGE="nl")
    page = client.get(initiative.url, HTTP_ACCEPT_LANGUAGE="nl").text
    assert "Je stem is geteld. Je stembewijscode is" in page
    assert "Mijn stem wijzigen" in card_html(page)
