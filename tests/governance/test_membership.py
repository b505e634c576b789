import pytest
from django.db import IntegrityError

from governance import services
from governance.exceptions import AlreadyAMember, NotAllowed, NotAMember
from governance.models import Ballot, LogEntry, Membership, Role


def test_join_and_leave_are_one_action_each(initiative, make_user):
    user = make_user()
    membership = services.join(initiative, user, Role.SUPPORTER)
    assert membership.is_active and membership.role == Role.SUPPORTER
    assert services.active_membership(initiative.pk, user) == membership

    services.leave(initiative, user)
    assert services.active_membership(initiative.pk, user) is None
    # Logged under the neutral kind, the real one inside the withheld payload.
    kinds = list(LogEntry.objects.filter(initiative=initiative).values_list("kind", "payload__kind"))
    assert kinds == [("withheld", "member.joined"), ("withheld", "member.left")]


def test_rejoining_reuses_the_one_membership_row(initiative, make_user):
    user = make_user()
    services.join(initiative, user)
    services.leave(initiative, user)
    services.join(initiative, user, Role.SUPPORTER)
    assert Membership.objects.filter(initiative=initiative, user=user).count() == 1


def test_joining_twice_is_refused_and_changes_nothing(initiative, make_user):
    user = make_user()
    services.join(initiative, user)
    entries = LogEntry.objects.count()
    with pytest.raises(AlreadyAMember, match="already a member"):
        services.join(initiative, user, Role.SUPPORTER)
    assert Membership.objects.get(user=user).role == Role.PARTICIPANT
    assert LogEntry.objects.count() == entries


def test_one_membership_per_user_is_a_database_constraint(initiative, make_user):
    user = make_user()
    Membership.objects.create(initiative=initiative, user=user, role=Role.PARTICIPANT)
    with pytest.raises(IntegrityError):
        Membership.objects.create(initiative=initiative, user=user, role=Role.SUPPORTER)


def test_only_the_first_member_may_take_frontrunner_themselves(frontrunner, initiative, make_user):
    user = make_user()
    with pytest.raises(NotAllowed, match="Ask a frontrunner"):
        services.join(initiative, user, Role.FRONTRUNNER)
    services.join(initiative, user)
    services.set_role(initiative, user, Role.FRONTRUNNER, by=frontrunner)
    assert services.active_membership(initiative.pk, user).role == Role.FRONTRUNNER


def test_non_frontrunner_cannot_change_roles(initiative, make_member):
    member, other = make_member(), make_member()
    with pytest.raises(NotAllowed):
        services.set_role(initiative, other, Role.FRONTRUNNER, by=member)
    assert services.active_membership(initiative.pk, other).role == Role.PARTICIPANT


def test_leaving_when_not_a_member_is_refused(initiative, make_user):
    with pytest.raises(NotAMember):
        services.leave(initiative, make_user())
    assert not LogEntry.objects.filter(payload__kind="member.left").exists()


def test_leaving_withdraws_open_ballots_and_ends_obligations(initiative, make_member, make_proposal, now):
    from tests.governance.conftest import after_closing

    voter, stayer = make_member(), make_member()
    proposal = make_proposal(quorum_percent=60)
    services.cast_ballot(proposal, voter, 0, now=now)
    services.cast_ballot(proposal, stayer, 0, now=now)
    services.leave(initiative, voter, now=now)
    assert not Ballot.objects.filter(voter=voter).exists()

    decision = services.close_proposal(proposal, now=after_closing(proposal))
    # Electorate is frontrunner + stayer: 1 of 2 voted = 50% < 60% quorum.
    assert decision.eligible_count == 2
    assert decision.ballot_count == 1
    assert not decision.quorum_reached
