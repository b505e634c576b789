"""A live election card and the election card itself read the clock with one rule
(``blocks.cards.election.ElectionValue.window_status``); the vote adds what only it knows."""

import datetime

import pytest

from blocks.cards.election import ElectionValue
from governance.cards import CANCELLED, CLOSED, COUNTING, OPEN, UPCOMING, LiveElection
from governance.models import Proposal, ProposalStatus

OPENS = datetime.datetime(2026, 6, 1, 9, 0, tzinfo=datetime.UTC)
CLOSES = OPENS + datetime.timedelta(days=14)


def live(at, status=ProposalStatus.OPEN):
    proposal = Proposal(opens_at=OPENS, closes_at=CLOSES, status=status)
    return LiveElection(proposal=proposal, block_id="b", next_url="/", login_url="/login/", now=at)


@pytest.mark.parametrize(
    ("at", "shown", "changes_at"),
    [
        (OPENS - datetime.timedelta(hours=1), UPCOMING, OPENS),
        (OPENS, OPEN, CLOSES),
        # The time is over but the vote is not counted yet: "Voting has ended".
        (CLOSES, COUNTING, None),
    ],
)
def test_the_live_card_follows_the_cards_own_clock(at, shown, changes_at):
    card_says = ElectionValue.window_status(OPENS, CLOSES, at)
    assert live(at).state == shown
    assert shown == card_says or (shown, card_says) == (COUNTING, CLOSED)
    assert live(at).changes_at == changes_at


def test_a_counted_or_cancelled_vote_says_so_whatever_the_clock():
    assert live(OPENS, ProposalStatus.CLOSED).state == CLOSED
    assert live(OPENS, ProposalStatus.CANCELLED).state == CANCELLED
    assert live(OPENS, ProposalStatus.CANCELLED).changes_at is None
