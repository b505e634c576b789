"""Tender card: a quote request with a budget range and a deadline.

Value shape::

    {"title": str, "request": str, "description": str, "budget_min": Decimal|None,
     "budget_max": Decimal|None, "deadline": datetime, "status": "open"|"closed"|"awarded",
     "contact_name": str, "contact_email": str, "show_quote_count": bool,
     "publish_losing_amounts": bool}

When another app takes the quotes (the tenders app does), it takes the card over through the
``tender_card_context`` hook, which the card pipeline asks once per page for all its tender
cards (``TenderValue.live_context_hook``; see :func:`blocks.pipeline.live_contexts`).
"""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail import blocks as wagtail_blocks
from wagtail.blocks.struct_block import StructBlockValidationError

from .base import (
    API_DECIMAL,
    API_MOMENT,
    API_STRING,
    AwareDateTimeBlock,
    CardBlock,
    CardValue,
    api_decimal,
    api_moment,
    api_nullable,
    days_from_now,
    latest,
)

CONTEXT_HOOK_NAME = "tender_card_context"
STATUS_CHOICES = [("open", _("Open")), ("closed", _("Closed")), ("awarded", _("Awarded"))]


class TenderValue(CardValue):
    # The tenders app takes the quotes and shows the card live (``tenders.live``).
    live_context_hook = CONTEXT_HOOK_NAME

    def is_past_deadline(self, now=None):
        deadline = self.get("deadline")
        return deadline is not None and deadline <= (now or timezone.now())

    @cached_property
    def accepting_quotes(self):
        return self.get("status") == "open" and not self.is_past_deadline()

    @cached_property
    def status_label(self):
        if self.get("status") == "open" and self.is_past_deadline():
            return _("Deadline passed")
        return dict(STATUS_CHOICES).get(self.get("status"), "")

    @cached_property
    def time_left(self):
        """Time until the deadline while quotes are accepted, else None."""
        if not self.accepting_quotes:
            return None
        return self["deadline"] - timezone.now()

    def latest_activity(self, changed_at, now=None):
        deadline = self.get("deadline")
        passed = deadline if self.is_past_deadline(now) else None
        return latest(changed_at, passed)

    def open_window(self):
        """A tender takes quotes while its status is open and its deadline has not passed."""
        if self.get("status") != "open":
            return False, None, None
        return True, None, self.get("deadline")

    def next_moment(self, now=None):
        deadline = self.get("deadline")
        return None if deadline is None or self.is_past_deadline(now) else deadline


class TenderCardBlock(CardBlock):
    request = wagtail_blocks.CharBlock(label=_("What is asked"), max_length=200)
    description = wagtail_blocks.TextBlock(label=_("Details"), max_length=4000, required=False)
    budget_min = wagtail_blocks.DecimalBlock(
        label=_("Budget from (€)"), min_value=0, max_digits=12, decimal_places=2, required=False
    )
    budget_max = wagtail_blocks.DecimalBlock(
        label=_("Budget up to (€)"), min_value=0, max_digits=12, decimal_places=2, required=False
    )
    deadline = AwareDateTimeBlock(
        label=_("Deadline for quotes"),
        default=days_from_now(30),
        help_text=_("Quotes are accepted until this moment; a new tender starts 30 days out."),
    )
    status = wagtail_blocks.ChoiceBlock(label=_("Status"), choices=STATUS_CHOICES, default="open")
    contact_name = wagtail_blocks.CharBlock(label=_("Contact person"), max_length=120, required=False)
    contact_email = wagtail_blocks.EmailBlock(label=_("Contact e-mail"), required=False)
    show_quote_count = wagtail_blocks.BooleanBlock(
        label=_("Show how many quotes came in"),
        required=False,
        default=False,
        help_text=_("Only the number, never who bid or what; the quotes stay sealed until the deadline."),
    )
    publish_losing_amounts = wagtail_blocks.BooleanBlock(
        label=_("Publish the other amounts after the award"),
        required=False,
        default=False,
        help_text=_("Without the names of the bidders who were not chosen."),
    )

    def clean(self, value):
        value = super().clean(value)
        low, high = value.get("budget_min"), value.get("budget_max")
        if low is not None and high is not None and low > high:
            raise StructBlockValidationError(
                block_errors={
                    "budget_max": ValidationError(
                        _("The upper budget must be at least the lower budget.")
                    )
                }
            )
        return value

    def get_api_representation(self, value, context=None):
        """What the card shows: the request, budget, deadline, status and contact.

        Quotes are never part of the card: they are sealed, and only what the page shows is.
        """
        return {
            "title": value.get("title") or "",
            "request": value["request"],
            "description": value.get("description") or "",
            "budget_min": api_decimal(value.get("budget_min")),
            "budget_max": api_decimal(value.get("budget_max")),
            "deadline": api_moment(value.get("deadline")),
            "status": value.get("status") or "",
            "status_label": str(value.status_label),
            "accepting_quotes": value.accepting_quotes,
            "contact_name": value.get("contact_name") or "",
            "contact_email": value.get("contact_email") or "",
        }

    api_schema = {
        "type": "object",
        "properties": {
            "title": API_STRING,
            "request": API_STRING,
            "description": API_STRING,
            "budget_min": api_nullable(API_DECIMAL),
            "budget_max": api_nullable(API_DECIMAL),
            "deadline": api_nullable(API_MOMENT),
            "status": {"type": "string", "enum": [name for name, _label in STATUS_CHOICES] + [""]},
            "status_label": {"type": "string", "description": "In the language asked for."},
            "accepting_quotes": {"type": "boolean"},
            "contact_name": API_STRING,
            "contact_email": API_STRING,
        },
        "required": [
            "title", "request", "description", "budget_min", "budget_max", "deadline", "status",
            "status_label", "accepting_quotes", "contact_name", "contact_email",
        ],
    }

    class Meta:
        value_class = TenderValue
        icon = "tasks"
        label = _("Tender")
        group = _("Collaborate")
        template = "blocks/tender.html"
        description = _("Ask local businesses and residents for quotes.")
        preview_value = {
            "title": "Offerte gevraagd",
            "request": "Paving for a jeu-de-boules court",
            "description": "",
            "budget_min": Decimal("5000"),
            "budget_max": Decimal("9000"),
            "deadline": datetime.datetime(2030, 6, 1, 17, 0, tzinfo=datetime.UTC),
            "status": "open",
            "contact_name": "",
            "contact_email": "",
            "show_quote_count": False,
            "publish_losing_amounts": False,
        }

