"""Votes another app puts to the members (``governance.external_votes``): started as ordinary
proposals with their own public page, their outcome announced through the
``governance_vote_ended`` hook inside the closing transaction, a failing listener isolated."""

import datetime

import pytest
from django.urls import reverse
from wagtail import hooks

from governance import external_votes, services
from governance.models import Decision, Proposal, ProposalStatus, Role

pytestmark = pytest.mark.django_db

RULES = {"rule": "simple", "electorate": "participants"}


def _start(initiative, user, now, **rules):
    return external_votes.start_vote(
        initiative, user, title="Which bench?", options=["Oak", "Steel"],
        rules={"opens_at": now, "closes_at": now + datetime.timedelta(days=3), **RULES, **rules},
    )


def test_a_started_vote_is_an_open_proposal_with_a_public_page(client, initiative, frontrunner, make_member, now):
    handle = _start(initiative, frontrunner, now)
    proposal = Proposal.objects.get(uuid=handle.uuid)
    assert proposal.status == ProposalStatus.OPEN and proposal.options == ["Oak", "Steel"]
    assert sorted(proposal.eligible_roles) == [Role.FRONTRUNNER, Role.PARTICIPANT]
    assert handle.url == reverse("governance:proposal", args=[proposal.uuid])
    member = make_member()
    client.force_login(member)
    page = client.get(handle.url).content.decode()
    assert "Which bench?" in page and 'name="option"' in page
    assert handle.url in client.get(reverse("governance:decisions", args=[initiative.pk])).content.decode()


def test_only_frontrunners_start_votes_and_bad_rules_are_refused(initiative, frontrunner, make_member, now):
    with pytest.raises(external_votes.VoteRefused):
        _start(initiative, make_member(), now)
    with pytest.raises(external_votes.VoteRefused, match="must close after"):
        _start(initiative, frontrunner, now, closes_at=now - datetime.timedelta(hours=1))
    with pytest.raises(external_votes.VoteRefused):
        _start(initiative, frontrunner, now, electorate="everyone")
    assert not Proposal.objects.exists()


def test_listeners_hear_the_outcome_and_a_failing_one_is_rolled_back_alone(initiative, frontrunner, make_member, now):
    heard = []

    def listener(outcome):
        heard.append(outcome)
        Proposal.objects.filter(uuid=outcome.uuid).update(text="written by the listener")

    def failing(outcome):
        Proposal.objects.filter(uuid=outcome.uuid).update(title="must not stay")
        raise RuntimeError("a bug in another app")

    handle = _start(initiative, frontrunner, now)
    proposal = Proposal.objects.get(uuid=handle.uuid)
    for member in (make_member(), make_member()):
        services.cast_ballot(proposal, member, 1)
    with hooks.register_temporarily(external_votes.HOOK_NAME, failing), hooks.register_temporarily(
        external_votes.HOOK_NAME, listener
    ):
        decision = services.close_proposal(proposal, now=proposal.closes_at)
    [outcome] = heard
    assert (outcome.status, outcome.passed, outcome.winning_option) == ("closed", True, 1)
    assert outcome.decision_hash == decision.record_hash and outcome.url == handle.url
    proposal.refresh_from_db()
    assert proposal.text == "written by the listener" and proposal.title == "Which bench?"
    assert Decision.objects.filter(proposal=proposal).exists()
    assert external_votes.outcome_of(handle.uuid) == outcome


def test_a_cancelled_vote_is_announced(initiative, frontrunner, now):
    heard = []
    handle = _start(initiative, frontrunner, now)
    assert external_votes.outcome_of(handle.uuid) is None
    with hooks.register_temporarily(external_votes.HOOK_NAME, heard.append):
        services.cancel_proposal(Proposal.objects.get(uuid=handle.uuid), frontrunner, "Changed our minds.")
    assert [(o.status, o.winning_option) for o in heard] == [("cancelled", None)]


def test_the_vote_page_of_a_draft_or_unknown_vote_is_not_found(client, initiative, frontrunner, now):
    draft = services.propose(
        initiative, frontrunner, title="Draft", kind="options", options=["A", "B"],
        opens_at=now, closes_at=now + datetime.timedelta(days=1),
    )
    assert client.get(reverse("governance:proposal", args=[draft.uuid])).status_code == 404
    assert client.get("/governance/proposals/not-a-uuid/").status_code == 404


def test_a_restricted_vote_shows_options_details_and_count_to_its_electorate_only(
    client, initiative, frontrunner, make_member, now
):
    handle = external_votes.start_vote(
        initiative, frontrunner, title="Which bench?", options=["Bench A", "Bench B"],
        option_details=["OAK-DETAIL", "STEEL-DETAIL"], restricted=True,
        rules={"opens_at": now, "closes_at": now + datetime.timedelta(days=3), **RULES},
    )
    voter, supporter = make_member(), make_member(role=Role.SUPPORTER)
    client.force_login(voter)
    page = client.get(handle.url).content.decode()
    assert "Bench A" in page and "OAK-DETAIL" in page and 'name="option"' in page
    for outsider in (None, supporter):  # a supporter is a member but not in this electorate
        client.logout()
        if outsider is not None:
            client.force_login(outsider)
        page = client.get(handle.url).content.decode()
        assert "Which bench?" in page and "Bench A" not in page and "DETAIL" not in page
    proposal = Proposal.objects.get(uuid=handle.uuid)
    services.cast_ballot(proposal, voter, 1)
    services.close_proposal(proposal, now=proposal.closes_at)
    decision = Decision.objects.get(proposal=proposal)
    assert "DETAIL" not in str(decision.record)  # details never enter the anchored record
    client.logout()
    for url in (handle.url, reverse("governance:decisions", args=[initiative.pk]), f"/api/v2/decisions/{handle.uuid}/"):
        text = client.get(url).content.decode()
        assert "Bench A" not in text and "DETAIL" not in text, url
    client.force_login(voter)
    assert "STEEL-DETAIL" in client.get(handle.url).content.decode()
    assert "Bench B" in client.get(reverse("governance:decisions", args=[initiative.pk])).content.decode()


def test_details_must_match_the_options(initiative, frontrunner, now):
    with pytest.raises(external_votes.VoteRefused, match="one detail per option"):
        external_votes.start_vote(
            initiative, frontrunner, title="Which bench?", options=["Oak", "Steel"], option_details=["only one"],
            rules={"opens_at": now, "closes_at": now + datetime.timedelta(days=3), **RULES},
        )
    assert not Proposal.objects.exists()
