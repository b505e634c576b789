"""A decision counts the electorate and ballots as they stood at the closing time.

Joining, leaving or a role change after the closing time, before the clock closes the vote,
never changes the outcome: the change closes the due vote first. (The race with a close in
progress is in ``test_concurrency_postgres.py``.)
"""

import datetime

import pytest

from governance import services
from governance.models import Ballot, Decision, ProposalKind, ProposalStatus, Role

from .conftest import after_closing


@pytest.fixture
def quorum_vote(initiative, frontrunner, make_member, make_proposal, now):
    """Quorum 50 %, 4 eligible (the frontrunner and three participants), 2 vote for."""
    voters = [make_member(name=f"voter{n}") for n in range(3)]
    proposal = make_proposal(kind=ProposalKind.FOR_AGAINST, quorum_percent=50)
    services.cast_ballot(proposal, voters[0], 0, now=now)
    services.cast_ballot(proposal, voters[1], 0, now=now)
    return proposal, voters


@pytest.mark.parametrize("change", ["someone joins", "a voter leaves", "a voter becomes supporter"])
def test_changes_after_the_closing_time_do_not_change_the_outcome(
    quorum_vote, initiative, frontrunner, make_user, change
):
    proposal, voters = quorum_vote
    thirty_seconds_late = proposal.closes_at + datetime.timedelta(seconds=30)
    if change == "someone joins":
        services.join(initiative, make_user("latecomer"), Role.PARTICIPANT, now=thirty_seconds_late)
    elif change == "a voter leaves":
        services.leave(initiative, voters[0], now=thirty_seconds_late)
    else:
        services.set_role(initiative, voters[0], Role.SUPPORTER, by=frontrunner, now=thirty_seconds_late)

    services.close_due_proposals(now=proposal.closes_at + datetime.timedelta(seconds=60))
    decision = Decision.objects.get(proposal=proposal)
    assert decision.eligible_count == 4 and decision.tally == [2, 0, 0]
    assert decision.quorum_reached and decision.passed
    assert Ballot.objects.filter(proposal=proposal, counted=True).count() == 2
    kinds = list(initiative.governance_log.values_list("kind", flat=True))
    assert kinds.index("proposal.closed") < len(kinds) - 1  # closed before the change was logged


def test_changes_before_the_closing_time_still_count(quorum_vote, initiative):
    proposal, voters = quorum_vote
    services.leave(initiative, voters[0], now=proposal.closes_at - datetime.timedelta(seconds=1))
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.OPEN
    decision = services.close_proposal(proposal, now=after_closing(proposal))
    assert decision.eligible_count == 3 and decision.tally == [1, 0, 0]
    assert not decision.quorum_reached
