"""Example presets and starters: what a fresh catalogue offers (``manage.py load_catalogue_presets``)."""

from django.db import transaction
from wagtail.log_actions import LogContext, log

from .models import CardPreset, CardTypeEntry, Starter, StarterCard
from .services import sync_card_types


def goal(kind, **value):
    return {"type": kind, "value": value}


EXAMPLE_PRESETS = [
    {
        "name": "Solar yield meter",
        "card_type": "iot",
        "description": "What the panels on a shared roof produced, from the inverter's readings.",
        "values": {"title": "Solar yield", "device": "roof-inverter", "metric": "yield", "unit": "kWh"},
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


# Presets the example starters use besides the three above. Each makes a card that can be
# published as it is: the texts only an editor can know are filled in, dates come from the
# card's own defaults (counted from the day the card is added).
STARTER_PRESETS = [
    {
        "name": "News updates",
        "card_type": "news",
        "description": "Tell the neighbourhood what happened; each item is dated the day you add it.",
        "values": {"title": "News"},
        "contract": [],
    },
    {
        "name": "Where it happens",
        "card_type": "map",
        "description": "A map that starts at the initiative's own place.",
        "values": {"title": "Where"},
        "contract": [],
    },
    {
        "name": "Installer wanted",
        "card_type": "tender",
        "description": "Ask local installers for quotes for solar panels on a shared roof.",
        "values": {"title": "Quotes wanted", "request": "Installing solar panels on a shared roof"},
        "contract": [
            goal("deadline_goal", label="Installer chosen", date=None, days_after_adding=45),
            goal("resource", what="Three comparable quotes", amount=""),
        ],
    },
    {
        "name": "Members' vote",
        "card_type": "election",
        "description": "Let the members decide: for, against or abstain.",
        "values": {"title": "Members' vote", "question": "Shall we go ahead with the next roof?"},
        "contract": [goal("participants_goal", label="Members who vote", target=25)],
    },
    {
        "name": "Street decision",
        "card_type": "election",
        "description": "Let the street decide on a proposal: for, against or abstain.",
        "values": {"title": "The street decides", "question": "Shall we go ahead with this plan?"},
        "contract": [goal("participants_goal", label="Households that vote", target=30)],
    },
    {
        "name": "Visitor counter",
        "card_type": "iot",
        "description": "How many people a place draws, from a people counter.",
        "values": {"title": "Visitors per day", "device": "counter-1", "metric": "visitors"},
        "contract": [],
    },
    {
        "name": "Design vote",
        "card_type": "election",
        "description": "The neighbourhood votes on the design from the workshops.",
        "values": {"title": "Vote on the design", "question": "Do you agree with the design from the workshops?"},
        "contract": [goal("participants_goal", label="Residents who vote", target=100)],
    },
    {
        "name": "Soil moisture sensor",
        "card_type": "iot",
        "description": "How wet the soil is, from a sensor in the park.",
        "values": {"title": "Soil moisture", "device": "soil-1", "metric": "moisture", "unit": "%"},
        "contract": [],
    },
    {
        "name": "Design office wanted",
        "card_type": "tender",
        "description": "Ask landscape architects for quotes to work out the chosen design.",
        "values": {"title": "Design office wanted", "request": "Working out the chosen park design"},
        "contract": [goal("amount_goal", label="Design budget raised", target="25000", unit="€")],
    },
]

# Named bundles of presets; each makes an initiative with five cards in one step.
EXAMPLE_STARTERS = [
    {
        "name": "Energy cooperative",
        "description": "Neighbours who produce energy together: yield, news, roofs, quotes and votes.",
        "presets": ["Solar yield meter", "News updates", "Where it happens", "Installer wanted", "Members' vote"],
    },
    {
        "name": "Street project",
        "description": "A street that builds something together: news, the spot, quotes, a decision and visitors.",
        "presets": [
            "News updates", "Where it happens", "Request quotes for paving", "Street decision", "Visitor counter",
        ],
    },
    {
        "name": "Park co-design",
        "description": "Residents who design their park: a vote, the map, news, a sensor and a design office.",
        "presets": ["Design vote", "Where it happens", "News updates", "Soil moisture sensor", "Design office wanted"],
    },
]


def load_example_presets():
    """Create the example presets that do not exist yet (by name); return the new ones.

    Presets that exist are left as the site admins made them.
    """
    sync_card_types()
    created = []
    with transaction.atomic():
        for position, example in enumerate([*EXAMPLE_PRESETS, *STARTER_PRESETS], start=1):
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


def load_example_starters():
    """Create the example starters that do not exist yet (by name), with the example presets
    they need; return the new starters. Starters that exist are left as the site admins made them.

    A starter is skipped when one of its presets is missing (a site admin renamed or deleted it).
    """
    load_example_presets()
    created = []
    with transaction.atomic():
        for position, example in enumerate(EXAMPLE_STARTERS, start=1):
            if Starter.objects.filter(name=example["name"]).exists():
                continue
            presets = CardPreset.objects.in_bulk(example["presets"], field_name="name")
            if len(presets) != len(example["presets"]):
                continue
            starter = Starter(name=example["name"], description=example["description"], position=position * 10)
            starter.full_clean()
            starter.save()
            StarterCard.objects.bulk_create(
                StarterCard(starter=starter, preset=presets[name], sort_order=index)
                for index, name in enumerate(example["presets"])
            )
            with LogContext(user=None):
                log(instance=starter, action="wagtail.create")
            created.append(starter)
    return created
