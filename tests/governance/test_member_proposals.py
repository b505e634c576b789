"""Members propose on the initiative's page; frontrunners put a proposal to the vote (it gets
its election card) or decline it with a reason that is shown and mailed; every step is logged."""

import html

import pytest
from django.urls import reverse

from governance import services
from governance.exceptions import GovernanceError, NotAllowed, NotAMember
from governance.models import LogEntry, MemberProposal, MemberProposalStatus, Proposal, ProposalStatus, Role
from initiatives.models import InitiativePage


@pytest.fixture
def member(make_member, django_user_model):
    user = make_member(Role.PARTICIPANT, name="proposer")
    user.email = "proposer@example.org"
    user.save()
    return user


def text_of(response):
    return html.unescape(response.content.decode())


def propose(client, initiative, **fields):
    data = {"title": "Plant fruit trees", "text": "Along the canal, twelve apple trees.", "kind": "for_against"}
    data.update(fields)
    return client.post(reverse("governance:propose", args=[initiative.pk]), data)


def test_a_member_proposes_on_the_page_and_it_is_listed_as_proposed(client, initiative, member):
    page = client.get(initiative.url)
    assert "Log in to propose" in text_of(page)
    client.force_login(member)
    assert 'id="proposal-title"' in client.get(initiative.url).text

    response = propose(client, initiative)
    assert response.status_code == 302
    proposal = MemberProposal.objects.get()
    assert (proposal.title, proposal.author, proposal.status) == ("Plant fruit trees", member, "proposed")
    assert response["Location"].endswith(f"#member-proposal-{proposal.pk}")
    listed = text_of(client.get(initiative.url))
    assert "Plant fruit trees" in listed and "Proposed" in listed
    entry = LogEntry.objects.filter(initiative=initiative).last()
    assert entry.kind == "member_proposal.submitted" and entry.payload["title"] == "Plant fruit trees"


def test_options_one_per_line(client, initiative, member):
    client.force_login(member)
    propose(client, initiative, kind="options", options="Apple\n\nPear\n  Cherry ")
    assert MemberProposal.objects.get().options == ["Apple", "Pear", "Cherry"]


@pytest.mark.parametrize(
    "fields, message",
    [
        ({"title": "  "}, "Give your proposal a title."),
        ({"title": "x" * 201}, "Keep the title under 200 characters."),
        ({"text": ""}, "Say what you propose and why."),
        ({"kind": "forged"}, "Choose how members vote"),
        ({"kind": "options", "options": "Only one"}, "Give between 2 and 20 options"),
        ({"kind": "options", "options": "Apple\napple"}, "Each option must be different."),
    ],
)
def test_bad_input_is_refused_with_a_message_and_what_was_typed_comes_back(client, initiative, member, fields, message):
    client.force_login(member)
    response = propose(client, initiative, **fields)
    assert response.status_code == 302
    assert not MemberProposal.objects.exists()
    page = text_of(client.get(response["Location"]))
    assert message in page
    assert "Along the canal" in page or fields.get("text") == ""  # the form is filled again
    # ... once: the next visit starts empty.
    assert "Along the canal" not in text_of(client.get(initiative.url))


def test_non_members_and_visitors_cannot_propose(client, initiative, make_user):
    response = propose(client, initiative)
    assert response.status_code == 302 and "/login" in response["Location"] or "account" in response["Location"]
    outsider = make_user("outsider")
    client.force_login(outsider)
    response = propose(client, initiative)
    assert "Only members of this initiative can do this." in text_of(client.get(response["Location"]))
    assert not MemberProposal.objects.exists()
    with pytest.raises(NotAMember):
        services.member_proposals.submit(initiative, outsider, title="x", text="y")
    assert client.get(reverse("governance:propose", args=[initiative.pk])).status_code == 405
    assert propose(client, InitiativePage(pk=999999)).status_code == 404


def test_put_to_vote_adds_a_published_election_card_whose_vote_runs(initiative, member, frontrunner, mailoutbox):
    proposal = services.member_proposals.submit(
        initiative, member, title="Which trees?", text="For the canal.", kind="options", options=["Apple", "Pear"]
    )
    with pytest.raises(NotAllowed):
        services.member_proposals.put_to_vote(proposal, member)
    vote = services.member_proposals.put_to_vote(proposal, frontrunner)
    assert vote.status == ProposalStatus.OPEN and vote.options == ["Apple", "Pear"] and vote.title == "Which trees?"
    page = InitiativePage.objects.get(pk=initiative.pk)
    assert page.live and [child.id for child in page.cards if child.block_type == "election"] == [vote.election_block_id]
    proposal.refresh_from_db()
    assert proposal.status == MemberProposalStatus.PUT_TO_VOTE and proposal.vote == vote
    kinds = list(LogEntry.objects.filter(initiative=initiative).values_list("kind", flat=True))
    assert kinds[-4:] == ["member_proposal.submitted", "proposal.created", "proposal.opened", "member_proposal.put_to_vote"]
    with pytest.raises(GovernanceError, match="already been decided"):
        services.member_proposals.decline(proposal, frontrunner, "Too late")
    services.cast_ballot(vote, member, 1)  # it runs as any vote


def test_put_to_vote_keeps_an_editors_draft_a_draft(initiative, member, frontrunner):
    draft = InitiativePage.objects.get(pk=initiative.pk)
    draft.summary = "Unfinished words"
    draft.save_revision()
    proposal = services.member_proposals.submit(initiative, member, title="Benches?", text="Two benches.")
    vote = services.member_proposals.put_to_vote(proposal, frontrunner)
    page = InitiativePage.objects.get(pk=initiative.pk)
    assert page.summary != "Unfinished words" and page.has_unpublished_changes
    latest = page.get_latest_revision_as_object()
    assert latest.summary == "Unfinished words"
    assert vote.election_block_id in [child.id for child in latest.cards]


def test_decline_needs_a_reason_shows_it_and_mails_the_proposer(client, initiative, member, frontrunner, mailoutbox):
    proposal = services.member_proposals.submit(initiative, member, title="A fountain", text="On the square.")
    with pytest.raises(GovernanceError, match="Say why"):
        services.member_proposals.decline(proposal, frontrunner, "  ")
    services.member_proposals.decline(proposal, frontrunner, "The square belongs to the municipality.")
    from governance.tasks import notify_proposer

    notify_proposer.enqueue(proposal.pk)
    assert len(mailoutbox) == 1 and mailoutbox[0].to == ["proposer@example.org"]
    assert "The square belongs to the municipality." in mailoutbox[0].body
    listed = text_of(client.get(initiative.url))
    assert "Declined, because:" in listed and "The square belongs to the municipality." in listed
    assert LogEntry.objects.filter(initiative=initiative, kind="member_proposal.declined").exists()
    assert not Proposal.objects.filter(initiative=initiative).exists()
