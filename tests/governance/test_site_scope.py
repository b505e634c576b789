"""On an initiative's own domain, governance pages answer only for that site's initiatives.

Issue 15 (kind 2): on initiative A's domain, ``/governance/initiative/<B's id>/decisions/``
answered 200 with B's decisions. Every governance view that takes an initiative or proposal
from the URL now answers 404 for another site's initiative, and changes nothing; on B's own
domain and on the platform's host the same URLs work.
"""

import datetime

import pytest
from django.urls import reverse

from governance import services
from governance.models import Ballot, Membership, ProposalKind, Role
from initiatives.models import InitiativeDomain

A_HOST, B_HOST, PLATFORM = "bloemkwartier.nl", "zonnedak.nl", "testserver"


@pytest.fixture
def b_world(initiative, make_initiative, make_user, now):
    """Initiative A ("Bloemkwartier") and B ("Zonnedak") on their own domains; B has a closed
    vote (its decision) and an open one."""
    b = make_initiative(title="Zonnedak", slug="zonnedak")
    InitiativeDomain.objects.create(hostname=A_HOST, initiative=initiative)
    InitiativeDomain.objects.create(hostname=B_HOST, initiative=b)
    b_frontrunner = make_user("b-frontrunner")
    services.join(b, b_frontrunner, Role.FRONTRUNNER)
    earlier = now - datetime.timedelta(hours=2)
    closed = services.propose(
        b, b_frontrunner, now=earlier, title="Panels on the school roof", kind=ProposalKind.FOR_AGAINST,
        opens_at=earlier, closes_at=earlier + datetime.timedelta(hours=1),
    )
    closed = services.open_proposal(closed, b_frontrunner, now=earlier)
    services.cast_ballot(closed, b_frontrunner, 0, now=earlier)
    services.close_proposal(closed, now=now)
    open_ = services.propose(
        b, b_frontrunner, now=now, title="Panels on the gym", kind=ProposalKind.FOR_AGAINST,
        opens_at=now - datetime.timedelta(minutes=1), closes_at=now + datetime.timedelta(hours=1),
    )
    open_ = services.open_proposal(open_, b_frontrunner, now=now)
    return {"a": initiative, "b": b, "closed": closed, "open": open_}


def test_decisions_of_another_sites_initiative_are_not_found(client, b_world):
    url = reverse("governance:decisions", args=[b_world["b"].pk])
    response = client.get(url, HTTP_HOST=A_HOST)
    assert response.status_code == 404
    assert "Panels on the school roof" not in response.text and "Zonnedak" not in response.text
    for host in (B_HOST, PLATFORM):
        response = client.get(url, HTTP_HOST=host)
        assert response.status_code == 200, host
        assert "Panels on the school roof" in response.text
    # A's own decisions page on A's domain still answers.
    assert client.get(reverse("governance:decisions", args=[b_world["a"].pk]), HTTP_HOST=A_HOST).status_code == 200


def test_joining_another_sites_initiative_is_not_found(client, b_world, make_user):
    visitor = make_user("visitor")
    client.force_login(visitor)
    url = reverse("governance:join", args=[b_world["b"].pk])
    assert client.post(url, HTTP_HOST=A_HOST).status_code == 404
    assert not Membership.objects.filter(user=visitor).exists()
    assert client.post(url, HTTP_HOST=B_HOST).status_code == 302
    assert Membership.objects.filter(user=visitor, initiative=b_world["b"]).exists()


def test_voting_on_and_checking_another_sites_proposal_is_not_found(client, b_world, make_user):
    voter = make_user("voter")
    services.join(b_world["b"], voter, Role.PARTICIPANT)
    client.force_login(voter)
    proposal = b_world["open"]
    vote = reverse("governance:vote", args=[proposal.uuid])
    data = {"option": "0", "revision": "0"}
    assert client.post(vote, data, HTTP_HOST=A_HOST).status_code == 404
    assert not Ballot.objects.filter(proposal=proposal).exists()
    receipt = reverse("governance:receipt", args=[b_world["closed"].uuid])
    response = client.get(receipt, HTTP_HOST=A_HOST)
    assert response.status_code == 404 and "Panels on the school roof" not in response.text
    assert client.post(receipt, {"code": "ABCD-EFGH"}, HTTP_HOST=A_HOST).status_code == 404
    # On B's own domain both work.
    assert client.get(receipt, HTTP_HOST=B_HOST).status_code == 200
    assert client.post(vote, data, HTTP_HOST=B_HOST).status_code == 302
    assert Ballot.objects.filter(proposal=proposal).count() == 1
