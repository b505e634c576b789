import datetime

import pytest
from django.db import IntegrityError, transaction

from governance import merkle, services
from governance.exceptions import (
    InvalidChoice,
    NotAMember,
    NotEligible,
    ProposalClosed,
    ProposalNotOpen,
    ReplayedRequest,
    UnknownReceipt,
)
from governance.models import Ballot, ProposalKind, Role

from .conftest import after_closing


def snapshot():
    return list(Ballot.objects.order_by("pk").values_list("voter_id", "choice", "revision", "leaf"))


def test_a_member_votes_and_gets_a_receipt(make_member, make_proposal, now):
    voter = make_member()
    proposal = make_proposal()
    receipt = services.cast_ballot(proposal, voter, 0, now=now)
    assert len(receipt.code.replace("-", "")) == 24
    assert receipt.revision == 1
    assert receipt.leaf == merkle.ballot_leaf(proposal.uuid, receipt.code, 0)
    assert services.my_ballot(proposal, voter)["choice"] == 0
    # The code itself is never stored.
    assert receipt.code not in str(list(Ballot.objects.values()))


def test_a_member_may_change_their_ballot_until_closing(make_member, make_proposal, now):
    voter = make_member()
    proposal = make_proposal()
    first = services.cast_ballot(proposal, voter, 0, now=now)
    second = services.cast_ballot(proposal, voter, 1, revision=first.revision, now=now)
    assert second.revision == 2 and second.code != first.code
    assert Ballot.objects.filter(proposal=proposal).count() == 1
    with pytest.raises(ProposalClosed, match="has closed"):
        services.cast_ballot(proposal, voter, 2, now=proposal.closes_at)
    assert services.my_ballot(proposal, voter)["choice"] == 1


def test_voting_on_a_closed_proposal_is_refused(make_member, make_proposal, now):
    voter = make_member()
    proposal = make_proposal()
    services.cast_ballot(proposal, voter, 0, now=now)
    services.close_proposal(proposal, now=after_closing(proposal))
    before = snapshot()
    with pytest.raises(ProposalClosed):
        services.cast_ballot(proposal, voter, 1, now=now)  # even with a clock that lags
    assert snapshot() == before


def test_voting_before_opening_is_refused(make_member, make_proposal, now):
    voter = make_member()
    draft = make_proposal(open=False)
    with pytest.raises(ProposalNotOpen, match="not opened yet"):
        services.cast_ballot(draft, voter, 0, now=now)
    scheduled = make_proposal(
        opens_at=now + datetime.timedelta(hours=1), closes_at=now + datetime.timedelta(hours=2)
    )
    with pytest.raises(ProposalNotOpen):
        services.cast_ballot(scheduled, voter, 0, now=now)
    assert snapshot() == []


def test_non_members_cannot_vote(make_user, make_proposal, now):
    proposal = make_proposal()
    with pytest.raises(NotAMember, match="Join this initiative"):
        services.cast_ballot(proposal, make_user(), 0, now=now)
    assert snapshot() == []


def test_members_who_left_cannot_vote(initiative, make_member, make_proposal, now):
    voter = make_member()
    services.leave(initiative, voter)
    with pytest.raises(NotAMember):
        services.cast_ballot(make_proposal(), voter, 0, now=now)


def test_roles_without_a_vote_are_refused(make_member, make_proposal, now):
    supporter = make_member(Role.SUPPORTER)
    proposal = make_proposal(eligible_roles=[Role.FRONTRUNNER, Role.PARTICIPANT])
    with pytest.raises(NotEligible):
        services.cast_ballot(proposal, supporter, 0, now=now)
    assert snapshot() == []


@pytest.mark.parametrize("forged", [3, -1, 99, "1; DROP TABLE", None, True, 1.5j])
def test_forged_options_are_refused(make_member, make_proposal, now, forged):
    voter = make_member()
    proposal = make_proposal()
    with pytest.raises(InvalidChoice, match="not one of the options"):
        services.cast_ballot(proposal, voter, forged, now=now)
    assert snapshot() == []


def test_options_proposal_accepts_each_option_index(make_member, make_proposal, now):
    proposal = make_proposal(kind=ProposalKind.OPTIONS, options=["Oak", "Lime", "Birch", "Elm"])
    voter = make_member()
    services.cast_ballot(proposal, voter, "3", now=now)  # form values arrive as text
    assert services.my_ballot(proposal, voter)["choice"] == 3
    with pytest.raises(InvalidChoice):
        services.cast_ballot(proposal, voter, 4, now=now)


def test_a_replayed_request_is_refused_and_changes_nothing(make_member, make_proposal, now):
    voter = make_member()
    proposal = make_proposal()
    services.cast_ballot(proposal, voter, 0, revision=0, now=now)
    before = snapshot()
    with pytest.raises(ReplayedRequest, match="already submitted"):
        services.cast_ballot(proposal, voter, 1, revision=0, now=now)  # the same form again
    assert snapshot() == before
    services.cast_ballot(proposal, voter, 1, revision=1, now=now)
    with pytest.raises(ReplayedRequest):
        services.cast_ballot(proposal, voter, 0, revision=1, now=now)  # an older form
    assert services.my_ballot(proposal, voter) | {"cast_at": None} == {
        "choice": 1,
        "revision": 2,
        "cast_at": None,
        "counted": False,
    }


def test_a_form_for_a_ballot_that_does_not_exist_yet_is_refused(make_member, make_proposal, now):
    voter = make_member()
    with pytest.raises(ReplayedRequest):
        services.cast_ballot(make_proposal(), voter, 0, revision=3, now=now)
    assert snapshot() == []


def test_one_ballot_per_member_is_a_database_constraint(make_member, make_proposal):
    voter = make_member()
    proposal = make_proposal()
    Ballot.objects.create(proposal=proposal, voter=voter, choice=0, receipt_lookup="a", leaf="0x1")
    with pytest.raises(IntegrityError), transaction.atomic():
        Ballot.objects.create(proposal=proposal, voter=voter, choice=1, receipt_lookup="b", leaf="0x2")


def test_receipt_proves_inclusion_without_revealing_the_choice(make_member, make_proposal, now):
    voters = [make_member() for _ in range(5)]
    proposal = make_proposal()
    receipts = [services.cast_ballot(proposal, v, i % 3, now=now) for i, v in enumerate(voters)]
    decision = services.close_proposal(proposal, now=after_closing(proposal))

    for index, receipt in enumerate(receipts):
        check = services.check_receipt(proposal, receipt.code.lower().replace("-", " "))
        assert check.counted and check.proof_valid
        assert check.receipts_root == decision.receipts_root
        # The voter recomputes the leaf from what they know: their code and their choice.
        assert check.leaf == merkle.ballot_leaf(proposal.uuid, receipt.code, index % 3)
        assert "choice" not in check.__dict__
    with pytest.raises(UnknownReceipt):
        services.check_receipt(proposal, "AAAA-BBBB-CCCC-DDDD-EEEE-FFFF")


def test_a_replaced_receipt_no_longer_checks(make_member, make_proposal, now):
    voter = make_member()
    proposal = make_proposal()
    old = services.cast_ballot(proposal, voter, 0, now=now)
    new = services.cast_ballot(proposal, voter, 1, now=now)
    with pytest.raises(UnknownReceipt, match="changed ballot gets a new one"):
        services.check_receipt(proposal, old.code)
    check = services.check_receipt(proposal, new.code)
    assert not check.counted  # still open: the proof comes with the decision
