from decimal import Decimal

import pytest

from governance.models import DecisionRule, ProposalKind
from governance.services.tally import decide

FA, OPT = ProposalKind.FOR_AGAINST, ProposalKind.OPTIONS
SIMPLE, QUALIFIED, CONSENSUS = (
    DecisionRule.SIMPLE_MAJORITY,
    DecisionRule.QUALIFIED_MAJORITY,
    DecisionRule.CONSENSUS,
)


def outcome(kind, rule, tally, percent=None, quorum=None, eligible=100):
    return decide(
        kind=kind,
        rule=rule,
        qualified_percent=percent,
        quorum_percent=quorum,
        tally=tally,
        eligible_count=eligible,
    )


@pytest.mark.parametrize(
    ("kind", "rule", "tally", "percent", "passed", "winner"),
    [
        (FA, SIMPLE, [3, 2, 10], None, True, None),  # abstentions do not count against
        (FA, SIMPLE, [2, 2, 0], None, False, None),  # a tie does not pass
        (FA, QUALIFIED, [2, 1, 0], Decimal("66.67"), False, None),  # 66.66…% < 66.67%
        (FA, QUALIFIED, [2, 1, 0], Decimal("66.66"), True, None),
        (FA, QUALIFIED, [0, 0, 5], Decimal("60"), False, None),  # nobody for
        (FA, CONSENSUS, [5, 0, 3], None, True, None),
        (FA, CONSENSUS, [5, 1, 0], None, False, None),  # one objection blocks
        (FA, CONSENSUS, [0, 0, 4], None, False, None),  # nobody for
        (OPT, SIMPLE, [3, 2, 0], None, True, 0),
        (OPT, SIMPLE, [2, 2, 1], None, False, None),  # no option above half
        (OPT, SIMPLE, [1, 4, 0], None, True, 1),
        (OPT, QUALIFIED, [7, 3], Decimal("70"), True, 0),
        (OPT, QUALIFIED, [6, 4], Decimal("70"), False, None),
        (OPT, SIMPLE, [0, 0], None, False, None),
    ],
)
def test_rules(kind, rule, tally, percent, passed, winner):
    result = outcome(kind, rule, tally, percent)
    assert (result.passed, result.winning_option) == (passed, winner)
    assert result.tally == tuple(tally)


def test_quorum_is_a_share_of_eligible_members():
    assert outcome(FA, SIMPLE, [3, 0, 0], quorum=Decimal(30), eligible=10).quorum_reached
    missed = outcome(FA, SIMPLE, [2, 0, 0], quorum=Decimal(30), eligible=10)
    assert not missed.quorum_reached and not missed.passed
    # Abstentions count towards quorum.
    assert outcome(FA, SIMPLE, [1, 0, 2], quorum=Decimal(30), eligible=10).passed


def test_consensus_is_refused_for_options():
    with pytest.raises(ValueError):
        outcome(OPT, CONSENSUS, [1, 0])
