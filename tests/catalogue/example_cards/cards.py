"""The pledge card: neighbours pledge an amount toward a cause.

Value shape::

    {"title": str, "cause": str, "pledges": [{"name": str, "amount": Decimal, "date": date}]}
"""

import datetime
from decimal import Decimal

from django.utils.functional import cached_property
from wagtail import blocks as wagtail_blocks

from blocks.cards.base import CardBlock, CardValue, start_of_day
from blocks.registry import CardType


class PledgeBlock(wagtail_blocks.StructBlock):
    name = wagtail_blocks.CharBlock(max_length=100)
    amount = wagtail_blocks.DecimalBlock(min_value=0, max_digits=10, decimal_places=2)
    date = wagtail_blocks.DateBlock()


class PledgeValue(CardValue):
    @cached_property
    def total(self):
        return sum((pledge["amount"] or Decimal(0) for pledge in self["pledges"]), Decimal(0))

    @cached_property
    def newest_date(self):
        dates = [pledge["date"] for pledge in self["pledges"] if pledge["date"]]
        return max(dates) if dates else None

    def latest_activity(self, changed_at, now=None):
        return start_of_day(self.newest_date) if self.newest_date else changed_at

    def contract_measures(self):
        # What the catalogue's contract goals can track on this card.
        return {"participants": len(self["pledges"]), "amount": self.total}


class PledgeCardBlock(CardBlock):
    cause = wagtail_blocks.CharBlock(max_length=200)
    pledges = wagtail_blocks.ListBlock(PledgeBlock())

    class Meta:
        value_class = PledgeValue
        icon = "group"
        label = "Pledges"
        group = "Fund"
        template = "example_cards/pledge.html"
        description = "Neighbours pledge an amount toward a cause."
        preview_value = {
            "title": "Pledges",
            "cause": "A bench by the pond",
            "pledges": [{"name": "Anna", "amount": Decimal("25"), "date": datetime.date(2026, 4, 1)}],
        }


def pledge_card_types():
    return [CardType("pledge", PledgeCardBlock(), searchable_fields=("title", "cause"))]
