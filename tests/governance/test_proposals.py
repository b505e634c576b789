import datetime

import pytest
from django.db import IntegrityError, transaction

from governance import services
from governance.exceptions import (
    InvalidProposal,
    NotAllowed,
    NotAMember,
    NotDueYet,
    ProposalNotOpen,
    RulesFrozen,
)
from governance.models import (
    DecisionRule,
    Deployment,
    LogEntry,
    Proposal,
    ProposalKind,
    ProposalStatus,
    Role,
)

from .conftest import after_closing


def test_a_member_proposes_and_a_frontrunner_opens(make_member, make_proposal, frontrunner):
    member = make_member()
    proposal = make_proposal(by=member, open=False, quorum_percent="33.5")
    assert proposal.status == ProposalStatus.DRAFT
    assert proposal.options == ["For", "Against", "Abstain"]
    assert str(proposal.quorum_percent) == "33.50"
    opened = services.open_proposal(proposal, frontrunner)
    assert opened.status == ProposalStatus.OPEN and opened.rules_hash.startswith("0x")
    kinds = list(LogEntry.objects.values_list("kind", flat=True).order_by("seq"))
    assert kinds[-2:] == ["proposal.created", "proposal.opened"]


def test_non_member_cannot_propose(initiative, make_user, now):
    with pytest.raises(NotAMember):
        services.propose(
            initiative,
            make_user(),
            title="x",
            opens_at=now,
            closes_at=now + datetime.timedelta(hours=1),
        )
    assert not Proposal.objects.exists()


def test_only_frontrunners_open(make_member, make_proposal):
    member = make_member()
    proposal = make_proposal(by=member, open=False)
    with pytest.raises(NotAllowed):
        services.open_proposal(proposal, member)
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.DRAFT


@pytest.mark.parametrize(
    ("rules", "message"),
    [
        ({"title": " "}, "needs a title"),
        ({"kind": ProposalKind.OPTIONS, "options": ["Only one"]}, "between 2 and 20"),
        ({"kind": ProposalKind.OPTIONS, "options": ["Oak", "oak "]}, "must be different"),
        ({"rule": DecisionRule.QUALIFIED_MAJORITY, "qualified_percent": 50}, "above 50"),
        ({"rule": DecisionRule.QUALIFIED_MAJORITY}, "above 50"),
        ({"quorum_percent": 0}, "quorum"),
        ({"quorum_percent": "abc"}, "must be a number"),
        ({"eligible_roles": ["king"]}, "Unknown role"),
        ({"kind": ProposalKind.OPTIONS, "options": ["A", "B"], "rule": "consensus"}, "Consensus"),
    ],
)
def test_invalid_rules_are_refused(make_proposal, rules, message):
    with pytest.raises(InvalidProposal, match=message):
        make_proposal(open=False, **rules)
    assert not Proposal.objects.exists()


def test_closing_before_opening_is_refused(make_proposal, now):
    with pytest.raises(InvalidProposal, match="close after it opens"):
        make_proposal(open=False, closes_at=now - datetime.timedelta(hours=1))


def test_drafts_can_change_but_rules_freeze_when_voting_opens(make_proposal, frontrunner):
    proposal = make_proposal(open=False)
    services.update_proposal(proposal, frontrunner, title="Plant oaks", quorum_percent=25)
    proposal.refresh_from_db()
    assert proposal.title == "Plant oaks" and proposal.quorum_percent == 25

    services.open_proposal(proposal, frontrunner)
    with pytest.raises(RulesFrozen, match="can no longer change"):
        services.update_proposal(proposal, frontrunner, quorum_percent=5)
    proposal.refresh_from_db()
    assert proposal.quorum_percent == 25
    with pytest.raises(RulesFrozen):
        services.open_proposal(proposal, frontrunner)


def test_only_the_proposer_or_a_frontrunner_edits_a_draft(make_member, make_proposal):
    author, other = make_member(), make_member()
    proposal = make_proposal(by=author, open=False)
    with pytest.raises(NotAllowed, match="proposer or a frontrunner"):
        services.update_proposal(proposal, other, title="Hijacked")
    services.update_proposal(proposal, author, title="Better title")


def test_rules_changed_behind_the_services_back_stop_the_closing(make_proposal):
    proposal = make_proposal()
    Proposal.objects.filter(pk=proposal.pk).update(rule=DecisionRule.CONSENSUS)
    with pytest.raises(RulesFrozen, match="rules changed"):
        services.close_proposal(proposal, now=after_closing(proposal))
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.OPEN
    assert not Deployment.objects.exists()


def test_closing_early_is_refused(make_proposal, frontrunner, now):
    proposal = make_proposal()
    with pytest.raises(NotDueYet):
        services.close_proposal(proposal, frontrunner, now=now)
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.OPEN


def test_only_frontrunners_close(make_proposal, make_member):
    member = make_member()
    proposal = make_proposal()
    with pytest.raises(NotAllowed):
        services.close_proposal(proposal, member, now=after_closing(proposal))


def test_closing_records_the_decision_and_fills_the_outbox(make_proposal, make_member, now):
    voters = [make_member() for _ in range(3)]
    proposal = make_proposal()
    for voter, choice in zip(voters, [0, 0, 1], strict=True):
        services.cast_ballot(proposal, voter, choice, now=now)
    decision = services.close_proposal(proposal, now=after_closing(proposal))

    assert decision.tally == [2, 1, 0] and decision.passed
    assert decision.rule == DecisionRule.SIMPLE_MAJORITY
    assert decision.quorum_reached and decision.eligible_count == 4
    assert decision.record["tally"] == [2, 1, 0]
    assert decision.record_hash.startswith("0x") and len(decision.record_hash) == 66
    assert decision.deployment.status == "waiting"
    assert decision.deployment.get_status_display() == "Waiting for the chain"
    with pytest.raises(ProposalNotOpen):
        services.close_proposal(proposal, now=after_closing(proposal))


def test_tally_is_deterministic(make_proposal, make_member, now):
    """The same ballots give byte-identical records, whatever order they were cast in."""
    voters = [make_member() for _ in range(4)]
    records = []
    for order in (voters, list(reversed(voters))):
        proposal = make_proposal(
            kind=ProposalKind.OPTIONS,
            options=["Oak", "Lime", "Birch"],
            closes_at=now + datetime.timedelta(hours=1),
        )
        for voter in order:
            services.cast_ballot(proposal, voter, voters.index(voter) % 2, now=now)
        decision = services.close_proposal(proposal, now=after_closing(proposal))
        records.append(decision.tally)
    assert records[0] == records[1] == [2, 2, 0]


def test_close_due_proposals_only_closes_what_is_due(make_proposal, now):
    due = make_proposal(closes_at=now + datetime.timedelta(minutes=5))
    later = make_proposal(closes_at=now + datetime.timedelta(days=5))
    draft = make_proposal(open=False, closes_at=now + datetime.timedelta(minutes=5))
    decisions = services.close_due_proposals(now=now + datetime.timedelta(minutes=6))
    assert [d.proposal_id for d in decisions] == [due.pk]
    assert Proposal.objects.get(pk=later.pk).status == ProposalStatus.OPEN
    assert Proposal.objects.get(pk=draft.pk).status == ProposalStatus.DRAFT
    assert services.close_due_proposals(now=now + datetime.timedelta(minutes=7)) == []


def test_database_refuses_proposals_closing_before_they_open(initiative, now):
    with pytest.raises(IntegrityError), transaction.atomic():
        Proposal.objects.create(
            initiative=initiative,
            title="x",
            kind=ProposalKind.FOR_AGAINST,
            rule=DecisionRule.SIMPLE_MAJORITY,
            opens_at=now,
            closes_at=now,
            eligible_roles=[Role.PARTICIPANT],
        )
