"""The admin of votes and member proposals belongs to each initiative's frontrunners.

Every URL of both viewsets is requested, by GET and by POST, for initiative B's rows as a
frontrunner of initiative A and as an editor of A who is not a frontrunner: none answers with
B's content or changes B. A's frontrunner decides on A's proposals in the admin.
"""

import html

import pytest
from django.urls import URLPattern, reverse

from accounts import services as accounts
from governance import services
from governance.models import MemberProposal, MemberProposalStatus, Proposal, ProposalStatus, Role
from governance.wagtail_hooks import register_proposal_viewsets
from tests.accounts.conftest import with_totp  # noqa: F401  (a fixture: admins need a second factor)

SECRET = "Bravo-SECRET-proposal"


@pytest.fixture
def world(make_initiative, make_user, with_totp):  # noqa: F811
    a = make_initiative(title="Alpha initiative", slug="alpha")
    b = make_initiative(title="Bravo initiative", slug="bravo")
    a_frontrunner, a_editor, b_frontrunner = make_user("a-front"), make_user("a-editor"), make_user("b-front")
    a_member, b_member = make_user("a-member"), make_user("b-member")
    a_member.email = "a-member@example.org"
    a_member.save()
    services.join(a, a_frontrunner, Role.FRONTRUNNER)
    services.join(b, b_frontrunner, Role.FRONTRUNNER)
    services.join(a, a_editor, Role.PARTICIPANT)
    services.join(a, a_member, Role.PARTICIPANT)
    services.join(b, b_member, Role.PARTICIPANT)
    for user in (a_frontrunner, a_editor):
        accounts.invite_editor(a, user, by=a_frontrunner)
        with_totp(user)
    a_proposal = services.member_proposals.submit(a, a_member, title="Alpha benches", text="Two benches.")
    b_proposal = services.member_proposals.submit(b, b_member, title=SECRET, text="Secret text.")
    b_vote = services.member_proposals.put_to_vote(
        services.member_proposals.submit(b, b_member, title=SECRET + " vote", text="x"), b_frontrunner
    )
    return {
        "a": a, "b": b, "a_frontrunner": a_frontrunner, "a_editor": a_editor,
        "a_proposal": a_proposal, "b_proposal": b_proposal, "b_vote": b_vote,
    }


def viewset_patterns():
    for viewset in register_proposal_viewsets():
        if viewset.model not in (MemberProposal, Proposal):
            continue  # officials: site admins' model permissions, not an initiative's
        for pattern in viewset.get_urlpatterns():
            if isinstance(pattern, URLPattern):
                yield viewset, pattern


PATTERNS = list(viewset_patterns())


def url_for(viewset, pattern, row):
    name = f"{viewset.name}:{pattern.name}"
    needs_pk = "pk" in str(pattern.pattern)
    return reverse(name, args=[row.pk] if needs_pk else [])


def snapshot():
    return (
        list(MemberProposal.objects.order_by("pk").values_list("status", "title", "decline_reason", "vote_id")),
        list(Proposal.objects.order_by("pk").values_list("status", "title")),
    )


def test_every_url_is_covered():
    names = {(viewset.name, pattern.name) for viewset, pattern in PATTERNS}
    assert {("governance_member_proposals", "index"), ("governance_member_proposals", "inspect"),
            ("governance_member_proposals", "edit"), ("governance_member_proposals", "delete"),
            ("governance_proposals", "index"), ("governance_proposals", "inspect"),
            ("governance_proposals", "edit")} <= names


@pytest.mark.parametrize("who", ["a_frontrunner", "a_editor"])
@pytest.mark.parametrize("viewset, pattern", PATTERNS, ids=[f"{v.name}:{p.name}" for v, p in PATTERNS])
def test_nobody_of_a_reaches_b(client, world, who, viewset, pattern):
    row = world["b_proposal"] if viewset.model is MemberProposal else world["b_vote"]
    before = snapshot()
    client.force_login(world[who])
    url = url_for(viewset, pattern, row)
    for method in ("get", "post"):
        data = {"action": "decline", "reason": "Hijacked", "title": "Hijacked"} if method == "post" else None
        if method == "post" and viewset.model is Proposal:
            data = {"action": "cancel", "reason": "Hijacked"}
        response = getattr(client, method)(url, data)
        body = html.unescape(response.content.decode(errors="replace"))
        where = f"{who} {method.upper()} {url} -> {response.status_code}"
        assert SECRET not in body, where
        assert response.status_code in (200, 302, 403, 404, 405), where
    assert snapshot() == before


def test_an_editor_who_is_not_a_frontrunner_sees_no_proposals(client, world):
    client.force_login(world["a_editor"])
    response = client.get(reverse("governance_member_proposals:index"))
    assert response.status_code in (302, 403) and "Alpha benches" not in response.text
    response = client.get(reverse("governance_member_proposals:inspect", args=[world["a_proposal"].pk]))
    assert response.status_code in (302, 403, 404)


def test_the_frontrunner_of_a_decides_in_the_admin(client, world, mailoutbox):
    client.force_login(world["a_frontrunner"])
    listing = html.unescape(client.get(reverse("governance_member_proposals:index")).text)
    assert "Alpha benches" in listing and SECRET not in listing
    votes = html.unescape(client.get(reverse("governance_proposals:index")).text)
    assert SECRET not in votes
    url = reverse("governance_member_proposals:inspect", args=[world["a_proposal"].pk])
    page = html.unescape(client.get(url).text)
    assert "Put to the vote" in page and "Reason for declining" in page

    # Declining without a reason says so and keeps the proposal undecided.
    response = client.post(url, {"action": "decline", "reason": " "})
    assert response.status_code == 200 and "Say why the proposal is declined" in html.unescape(response.text)
    assert MemberProposal.objects.get(pk=world["a_proposal"].pk).status == MemberProposalStatus.PROPOSED

    response = client.post(url, {"action": "put_to_vote"})
    assert response.status_code == 302
    proposal = MemberProposal.objects.get(pk=world["a_proposal"].pk)
    assert proposal.status == MemberProposalStatus.PUT_TO_VOTE and proposal.vote.status == ProposalStatus.OPEN
    # In the initiative's language (Dutch by default).
    assert len(mailoutbox) == 1 and mailoutbox[0].subject == "Je voorstel “Alpha benches” is in stemming gebracht"
    # Deciding twice changes nothing.
    response = client.post(url, {"action": "decline", "reason": "Changed my mind"})
    assert "already been decided" in html.unescape(response.text) or "Put to the vote" not in response.text
    assert MemberProposal.objects.get(pk=world["a_proposal"].pk).status == MemberProposalStatus.PUT_TO_VOTE
