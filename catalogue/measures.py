"""What a card can measure toward the goals of its contract.

A card's value reports its measures through a ``contract_measures()`` method returning a dict
of measure → number; the measures a contract goal understands are ``"participants"`` and
``"amount"``. A card type in another app simply defines that method on its value class.

Ctylab's built-in cards live in ``blocks``, which does not know about contracts; until their
value classes grow the method, their measures are derived here from the documented value
shapes.
"""


def _iot(value):
    latest = getattr(value, "latest_value", None)
    return {} if latest is None else {"amount": latest}


# Elections measure nothing: their tallies come from ballots, never from the card's value.
BUILT_IN = {"iot": _iot}


def measures_for(card_type, value):
    """The measures of one card value: {"participants": 12, "amount": 3400.0}, or {}."""
    method = getattr(value, "contract_measures", None)
    if callable(method):
        return dict(method() or {})
    derive = BUILT_IN.get(card_type)
    return derive(value) if derive else {}
