"""Card contracts: the goals, resources and compensation that come with a card.

A contract is a stream of terms. A card type's *template* (``CardTypeEntry.contract``) or a
preset's holds the terms a new card starts with; a card added from the catalogue gets its own
copy (``CardContract.terms``), in which deadlines given as "days after adding" have become
dates. On the public page the terms are shown after the card, with the progress toward each
goal the card can measure (see ``catalogue.measures``).

Value shape (raw)::

    [{"type": "amount_goal", "value": {"label": str, "target": "12000.00", "unit": "kWh"}},
     {"type": "participants_goal", "value": {"label": str, "target": 40}},
     {"type": "deadline_goal", "value": {"label": str, "date": "YYYY-MM-DD"|None,
                                         "days_after_adding": int|None}},
     {"type": "resource", "value": {"what": str, "amount": str}},
     {"type": "compensation", "value": {"what": str, "details": str}}]
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils import formats, timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from wagtail import blocks as wagtail_blocks
from wagtail.blocks.struct_block import StructBlockValidationError

from .measures import measures_for

GOAL_TYPES = ("amount_goal", "participants_goal", "deadline_goal")


class GoalValue(wagtail_blocks.StructValue):
    kind = None
    measure = None  # the measure (see catalogue.measures) that tracks this goal

    def progress(self, measures, today=None):
        """How far the card is toward this goal: a GoalProgress."""
        current = measures.get(self.measure) if self.measure else None
        target = self.get("target")
        percent = None
        if current is not None and target:
            percent = max(0, min(100, int(Decimal(str(current)) * 100 / Decimal(str(target)))))
        return GoalProgress(goal=self, current=current, percent=percent)


class AmountGoalValue(GoalValue):
    kind = "amount"
    measure = "amount"


class ParticipantsGoalValue(GoalValue):
    kind = "participants"
    measure = "participants"


class DeadlineGoalValue(GoalValue):
    kind = "deadline"

    def progress(self, measures, today=None):
        today = today or timezone.localdate()
        date = self.get("date")
        days_left = (date - today).days if date else None
        return GoalProgress(goal=self, days_left=days_left)


def _number(value):
    """A quantity as people read it: grouped, without trailing zeros (30,000 or 35.5)."""
    number = Decimal(str(value))
    if number == number.to_integral_value():
        number = number.quantize(Decimal(1))
    else:
        number = number.normalize()
    return formats.number_format(number, use_l10n=True, force_grouping=True)


@dataclass
class GoalProgress:
    """A goal with how far a card got toward it; its texts are what the page shows."""

    goal: GoalValue
    current: object = None
    percent: int | None = None
    days_left: int | None = None

    @property
    def kind(self):
        return self.goal.kind

    @property
    def measured(self):
        return self.percent is not None

    @property
    def passed(self):
        return self.days_left is not None and self.days_left < 0

    @cached_property
    def target_text(self):
        goal = self.goal
        if self.kind == "amount":
            return f"{_number(goal['target'])} {goal.get('unit') or ''}".strip()
        if self.kind == "participants":
            return ngettext("%(count)s participant", "%(count)s participants", goal["target"]) % {
                "count": _number(goal["target"])
            }
        if goal.get("date"):
            return _("by %(date)s") % {"date": formats.date_format(goal["date"], "j F Y")}
        days = goal.get("days_after_adding") or 0
        return ngettext(
            "within %(days)s day of adding the card", "within %(days)s days of adding the card", days
        ) % {"days": days}

    @cached_property
    def progress_text(self):
        """How far along, in words ("12 of 40 so far (30%)"), or "" when nothing is measured."""
        if self.measured:
            numbers = {
                "current": _number(self.current),
                "target": _number(self.goal["target"]),
                "percent": self.percent,
            }
            unit = self.goal.get("unit") if self.kind == "amount" else ""
            if unit:
                return _("%(current)s of %(target)s %(unit)s so far (%(percent)s%%)") % {**numbers, "unit": unit}
            return _("%(current)s of %(target)s so far (%(percent)s%%)") % numbers
        if self.days_left is None:
            return ""
        if self.passed:
            return _("deadline passed")
        if self.days_left == 0:
            return _("today")
        return ngettext("%(days)s day left", "%(days)s days left", self.days_left) % {"days": self.days_left}


class AmountGoalBlock(wagtail_blocks.StructBlock):
    label = wagtail_blocks.CharBlock(label=_("Goal"), max_length=120)
    target = wagtail_blocks.DecimalBlock(
        label=_("Target amount"), min_value=Decimal("0.01"), max_digits=14, decimal_places=2
    )
    unit = wagtail_blocks.CharBlock(
        label=_("Unit"), max_length=20, required=False, help_text=_("For example €, kWh or m².")
    )

    class Meta:
        value_class = AmountGoalValue
        icon = "pick"
        label = _("Goal: an amount")


class ParticipantsGoalBlock(wagtail_blocks.StructBlock):
    label = wagtail_blocks.CharBlock(label=_("Goal"), max_length=120)
    target = wagtail_blocks.IntegerBlock(label=_("Number of participants"), min_value=1, max_value=10_000_000)

    class Meta:
        value_class = ParticipantsGoalValue
        icon = "group"
        label = _("Goal: a number of participants")


class DeadlineGoalBlock(wagtail_blocks.StructBlock):
    label = wagtail_blocks.CharBlock(label=_("Goal"), max_length=120)
    date = wagtail_blocks.DateBlock(label=_("Deadline"), required=False)
    days_after_adding = wagtail_blocks.IntegerBlock(
        label=_("Or: days after the card is added"),
        min_value=1,
        max_value=3650,
        required=False,
        help_text=_("In a template: the deadline becomes a date when an editor adds the card."),
    )

    def clean(self, value):
        value = super().clean(value)
        if (value.get("date") is None) == (value.get("days_after_adding") is None):
            raise StructBlockValidationError(
                block_errors={
                    "date": ValidationError(
                        _("Give either a deadline date or a number of days after adding, not both.")
                    )
                }
            )
        return value

    class Meta:
        value_class = DeadlineGoalValue
        icon = "date"
        label = _("Goal: a deadline")


class ResourceBlock(wagtail_blocks.StructBlock):
    what = wagtail_blocks.CharBlock(label=_("Resource asked for"), max_length=200)
    amount = wagtail_blocks.CharBlock(
        label=_("How much"), max_length=100, required=False, help_text=_("For example “3 volunteers” or “€ 500”.")
    )

    class Meta:
        icon = "form"
        label = _("Resource asked for")


class CompensationBlock(wagtail_blocks.StructBlock):
    what = wagtail_blocks.CharBlock(label=_("Compensation offered"), max_length=200)
    details = wagtail_blocks.TextBlock(label=_("Details"), max_length=1000, required=False)
    rate = wagtail_blocks.DecimalBlock(
        label=_("Per unit"),
        required=False,
        min_value=0,
        decimal_places=4,
        help_text=_("For a meter card: what a producer gets per unit it counts, e.g. 0.12 (€ per kWh)."),
    )
    currency = wagtail_blocks.CharBlock(label=_("Currency"), max_length=8, required=False, default="€")

    class Meta:
        icon = "pick"
        label = _("Compensation offered")


class ContractBlock(wagtail_blocks.StreamBlock):
    amount_goal = AmountGoalBlock()
    participants_goal = ParticipantsGoalBlock()
    deadline_goal = DeadlineGoalBlock()
    resource = ResourceBlock()
    compensation = CompensationBlock()

    class Meta:
        required = False
        max_num = 30


def materialise(raw_terms, today=None):
    """A card's own copy of contract terms: "days after adding" deadlines become dates."""
    today = today or timezone.localdate()
    terms = []
    for item in raw_terms or ():
        item = {"type": item["type"], "value": dict(item["value"])}
        value = item["value"]
        if item["type"] == "deadline_goal" and not value.get("date") and value.get("days_after_adding"):
            value["date"] = (today + datetime.timedelta(days=int(value["days_after_adding"]))).isoformat()
            value["days_after_adding"] = None
        terms.append(item)
    return terms


class ContractSummary:
    """Contract terms grouped for display: goals, resources and compensation."""

    def __init__(self, terms):
        self.terms = terms

    @cached_property
    def _grouped(self):
        grouped = {"goals": [], "resource": [], "compensation": []}
        for child in self.terms:
            grouped["goals" if child.block_type in GOAL_TYPES else child.block_type].append(child.value)
        return grouped

    @property
    def goals(self):
        return self._grouped["goals"]

    @property
    def resources(self):
        return self._grouped["resource"]

    @property
    def compensation(self):
        return self._grouped["compensation"]

    @cached_property
    def goal_progress(self):
        # A template measures nothing: its goals are shown with their targets only.
        return [GoalProgress(goal=goal) for goal in self.goals]

    @property
    def compensation_rows(self):
        """``[(offer, earnings)]``: a template earns nothing yet."""
        return [(offer, []) for offer in self.compensation]

    def __bool__(self):
        return bool(len(self.terms))


class CardContractTerms(ContractSummary):
    """A card's contract as the public page shows it, after the card (a CardPolicy addition)."""

    template = "catalogue/contract.html"

    def __init__(self, card, terms, today=None):
        super().__init__(terms)
        self.card = card
        self.today = today

    @cached_property
    def heading(self):
        value = self.card.child.value
        return getattr(value, "heading", None) or self.card.child.block.meta.label

    @cached_property
    def measures(self):
        return measures_for(self.card.child.value)

    @cached_property
    def goal_progress(self):
        return [goal.progress(self.measures, self.today) for goal in self.goals]

    @property
    def compensation_rows(self):
        """``[(offer, [(producer, units, earned)])]``: earned = units × the offer's rate.

        The units per producer come from the card's ``producers`` measure (a meter card's
        total yield), so what each producer earned so far is shown with the offer.
        """
        producers = self.measures.get("producers") or {}
        rows = []
        for offer in self.compensation:
            rate = offer.get("rate")
            earnings = []
            if rate is not None:
                for producer, units in sorted(producers.items()):
                    units = Decimal(str(units))
                    earned = _number((units * rate).quantize(Decimal("0.01")))
                    earnings.append((producer, f"{_number(units)} {self.measures.get('unit', '')}".strip(), earned))
            rows.append((offer, earnings))
        return rows
