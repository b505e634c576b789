"""Concurrent voters on PostgreSQL: one ballot per member, whatever the interleaving.

Run with DATABASE_URL=postgres://postgres@127.0.0.1:5432/<db>; skipped on SQLite, which
serialises all writers and so cannot show a race.
"""

import datetime
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connections

from governance import merkle, services
from governance.exceptions import ReplayedRequest
from governance.models import Ballot, Membership, ProposalKind, Role

# Decided at collection, so SQLite never even sets up the transactional database.
ON_POSTGRES = "postgresql" in settings.DATABASES["default"]["ENGINE"]
pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(not ON_POSTGRES, reason="needs PostgreSQL: set DATABASE_URL=postgres://… to run"),
    pytest.mark.django_db(transaction=True),
]

MEMBERS = 500
THREADS = 32


def make_members(initiative, count):
    User = get_user_model()
    users = User.objects.bulk_create([User(username=f"voter{i}", password="!") for i in range(count)])
    Membership.objects.bulk_create(
        [Membership(initiative=initiative, user=user, role=Role.PARTICIPANT) for user in users]
    )
    return users


def in_thread(function):
    def run(*args):
        try:
            return function(*args)
        finally:
            connections.close_all()

    return run


def test_500_members_each_voting_twice_at_once_give_500_ballots_and_the_right_tally(
    initiative, frontrunner, make_proposal, now
):
    voters = make_members(initiative, MEMBERS)
    proposal = make_proposal(at=now - datetime.timedelta(minutes=30))
    submissions = [(voter, n % 3) for n, voter in enumerate(voters)]
    submissions += [(voter, (n + 1) % 3) for n, voter in enumerate(voters)]

    @in_thread
    def vote(voter, choice):
        return voter.pk, choice, services.cast_ballot(proposal, voter, choice)

    with ThreadPoolExecutor(THREADS) as pool:
        results = list(pool.map(lambda s: vote(*s), submissions))

    assert Ballot.objects.filter(proposal=proposal).count() == MEMBERS
    # For each member, the submission that came second (revision 2) is the one that counts.
    final = {pk: choice for pk, choice, receipt in results if receipt.revision == 2}
    assert len(final) == MEMBERS
    stored = dict(Ballot.objects.filter(proposal=proposal).values_list("voter_id", "choice"))
    assert stored == final

    decision = services.close_proposal(proposal, now=proposal.closes_at)
    expected = [0, 0, 0]
    for choice in final.values():
        expected[choice] += 1
    assert decision.tally == expected and sum(decision.tally) == MEMBERS


def test_a_form_submitted_twice_at_once_counts_once(initiative, frontrunner, make_proposal, now):
    voters = make_members(initiative, 100)
    proposal = make_proposal(at=now - datetime.timedelta(minutes=30))

    @in_thread
    def vote(voter):
        try:
            return services.cast_ballot(proposal, voter, 0, revision=0)
        except ReplayedRequest:
            return None

    with ThreadPoolExecutor(THREADS) as pool:
        results = list(pool.map(vote, voters + voters))

    accepted = [receipt for receipt in results if receipt is not None]
    assert len(accepted) == len(voters)
    assert set(Ballot.objects.filter(proposal=proposal).values_list("revision", flat=True)) == {1}


def test_concurrent_joins_keep_one_unbroken_log(initiative):
    User = get_user_model()
    users = User.objects.bulk_create([User(username=f"joiner{i}", password="!") for i in range(60)])

    @in_thread
    def join(user):
        return services.join(initiative, user)

    with ThreadPoolExecutor(16) as pool:
        list(pool.map(join, users))
    assert services.log.problems(initiative.pk) == []
    assert initiative.governance_log.count() == 60


def test_a_member_leaving_during_a_slow_close_leaves_the_counted_ballots_intact(
    initiative, frontrunner, make_proposal, now, monkeypatch
):
    """Six members vote, the close is slow, one leaves 0.4 s in: the anchored tally, the
    ballots kept and the receipts root still agree."""
    voters = make_members(initiative, 6)
    proposal = make_proposal(
        at=now - datetime.timedelta(minutes=30), kind=ProposalKind.OPTIONS, options=["A", "B", "C"]
    )
    for voter, choice in zip(voters, [0, 0, 1, 1, 2, 2], strict=True):
        services.cast_ballot(proposal, voter, choice, now=now - datetime.timedelta(minutes=20))
    closing = proposal.closes_at + datetime.timedelta(seconds=1)
    real_root = merkle.root

    def slow_root(leaves):
        time.sleep(1.0)  # the close holds its lock this long
        return real_root(leaves)

    monkeypatch.setattr("governance.services.proposals.merkle.root", slow_root)
    outcome = {}

    @in_thread
    def close():
        outcome["decision"] = services.close_proposal(proposal, now=closing)

    @in_thread
    def leave():
        time.sleep(0.4)
        services.leave(initiative, voters[0], now=closing)

    threads = [threading.Thread(target=close), threading.Thread(target=leave)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    decision = outcome["decision"]
    assert decision.tally == [2, 2, 2]
    counted = Ballot.objects.filter(proposal=proposal, counted=True).order_by("pk")
    kept = [0, 0, 0]
    for choice in counted.values_list("choice", flat=True):
        kept[choice] += 1
    assert kept == [2, 2, 2]
    assert real_root(counted.values_list("leaf", flat=True)) == decision.receipts_root
    assert not Membership.objects.get(user=voters[0]).is_active
