"""What a card can measure toward the goals of its contract.

A card's value reports its measures through a ``contract_measures()`` method returning a dict
of measure → number; the measures a contract goal understands are ``"participants"`` and
``"amount"``. Every card type declares this on its own value class (the sensor card does,
``blocks.cards.iot.IoTValue``); no card type is named here. Elections measure nothing: their
tallies come from ballots, never from the card's value.
"""


def measures_for(value):
    """The measures of one card value: {"participants": 12, "amount": 3400.0}, or {}."""
    method = getattr(value, "contract_measures", None)
    return dict(method() or {}) if callable(method) else {}
