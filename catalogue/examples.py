"""Example presets: what a fresh catalogue offers (``manage.py load_catalogue_presets``)."""

from django.db import transaction
from wagtail.log_actions import LogContext, log

from .models import CardPreset, CardTypeEntry
from .services import sync_card_types


def goal(kind, **value):
    return {"type": kind, "value": value}


EXAMPLE_PRESETS = [
    {
        "name": "Solar yield meter",
        "card_type": "iot",
        "description": "What the panels on a shared roof produced, from the inverter's readings.",
        "values": {"title": "Solar yield", "metric": "yield", "unit": "kWh"},
        "contract": [
            goal("amount_goal", label="Yield this year", target="30000", unit="kWh"),
            goal("resource", what="Roof space", amount="about 200 m²"),
            goal("resource", what="An inverter with a data connection", amount=""),
            goal("compensation", what="A share of the yield", details="In proportion to each member's investment."),
        ],
    },
    {
        "name": "Street party poll",
        "card_type": "election",
        "description": "Let the street choose the day of its party.",
        "values": {
            "title": "Street party",
            "question": "On which day shall we hold the street party?",
            "options": [{"label": "Saturday", "votes": None}, {"label": "Sunday", "votes": None}],
        },
        "contract": [
            goal("participants_goal", label="Households that vote", target=30),
            goal("deadline_goal", label="Day chosen", date=None, days_after_adding=21),
            goal("resource", what="Tables, chairs and a gazebo", amount=""),
            goal("compensation", what="Free drinks for everyone who helps", details=""),
        ],
    },
    {
        "name": "Request quotes for paving",
        "card_type": "tender",
        "description": "Ask local firms for quotes to pave a court or a path.",
        "values": {
            "title": "Quotes wanted",
            "request": "Paving for a jeu-de-boules court (15 × 4 m)",
            "budget_min": "5000",
            "budget_max": "9000",
        },
        "contract": [
            goal("amount_goal", label="Budget raised", target="9000", unit="€"),
            goal("deadline_goal", label="Quotes in", date=None, days_after_adding=30),
            goal("resource", what="Three comparable quotes", amount=""),
            goal("compensation", what="The chosen firm is named on the court's sign", details=""),
        ],
    },
]


def load_example_presets():
    """Create the example presets that do not exist yet (by name); return the new ones.

    Presets that exist are left as the site admins made them.
    """
    sync_card_types()
    created = []
    with transaction.atomic():
        for position, example in enumerate(EXAMPLE_PRESETS, start=1):
            if CardPreset.objects.filter(name=example["name"]).exists():
                continue
            entry = CardTypeEntry.objects.filter(name=example["card_type"]).first()
            if entry is None or entry.is_missing:
                continue
            preset = CardPreset(
                card_type=entry,
                name=example["name"],
                description=example["description"],
                values=example["values"],
                contract=example["contract"],
                position=position * 10,
            )
            preset.full_clean()
            preset.save()
            with LogContext(user=None):
                log(instance=preset, action="wagtail.create")
            created.append(preset)
    return created
