"""Counting: a pure function from ballots to an outcome, the same on every run and machine.

Integer and Decimal arithmetic only, so a percentage threshold never depends on rounding.

- for/against/abstain: abstentions count towards quorum but not towards the majority.
  Simple majority passes with more for than against; a qualified majority of p% passes when
  for is at least p% of for+against; consensus passes with at least one for and no objection.
- options: an option wins with more than half of all ballots (simple majority) or with at
  least p% of them (qualified). Both thresholds exceed 50%, so there is never a tie.
- quorum (optional): ballots counted must be at least q% of the members eligible at closing;
  without quorum nothing passes.
"""

from dataclasses import dataclass
from decimal import Decimal

from ..models import ABSTAIN, AGAINST, FOR, DecisionRule, ProposalKind


@dataclass(frozen=True)
class Outcome:
    tally: tuple
    passed: bool
    winning_option: int | None
    quorum_reached: bool
    ballot_count: int
    eligible_count: int


def count(choices, option_count):
    tally = [0] * option_count
    for choice in choices:
        tally[choice] += 1
    return tally


def decide(*, kind, rule, qualified_percent, quorum_percent, tally, eligible_count):
    tally = tuple(tally)
    total = sum(tally)
    if quorum_percent is None:
        quorum_reached = True
    else:
        quorum_reached = Decimal(total) * 100 >= Decimal(quorum_percent) * eligible_count
    percent = Decimal(qualified_percent) if qualified_percent is not None else None

    winning_option = None
    if kind == ProposalKind.FOR_AGAINST:
        votes_for, votes_against = tally[FOR], tally[AGAINST]
        if len(tally) != ABSTAIN + 1:
            raise ValueError("a for/against tally has three counts")
        if rule == DecisionRule.SIMPLE_MAJORITY:
            passed = votes_for > votes_against
        elif rule == DecisionRule.QUALIFIED_MAJORITY:
            passed = votes_for > 0 and votes_for * 100 >= percent * (votes_for + votes_against)
        elif rule == DecisionRule.CONSENSUS:
            passed = votes_for > 0 and votes_against == 0
        else:
            raise ValueError(f"unknown rule {rule!r}")
    else:
        best = max(range(len(tally)), key=lambda index: (tally[index], -index))
        if rule == DecisionRule.SIMPLE_MAJORITY:
            passed = tally[best] * 2 > total
        elif rule == DecisionRule.QUALIFIED_MAJORITY:
            passed = tally[best] > 0 and tally[best] * 100 >= percent * total
        else:
            raise ValueError(f"rule {rule!r} does not apply to a choice between options")
        winning_option = best if passed else None

    passed = bool(passed and quorum_reached)
    return Outcome(
        tally=tally,
        passed=passed,
        winning_option=winning_option if passed else None,
        quorum_reached=quorum_reached,
        ballot_count=total,
        eligible_count=eligible_count,
    )
