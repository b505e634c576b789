"""Election card: a question with options, open between two moments, results once closed.

Value shape::

    {"title": str, "question": str, "description": str,
     "options": [{"label": str, "votes": int|None}],
     "opens_at": datetime, "closes_at": datetime}

``votes`` holds counted results (for example from a members' meeting). When another app runs
the vote (the governance app does), it takes the card over through the
``election_card_context`` hook; see :func:`election_card_contexts`.
"""

import datetime

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail import blocks as wagtail_blocks
from wagtail import hooks
from wagtail.blocks.list_block import ListBlockValidationError
from wagtail.blocks.struct_block import StructBlockValidationError

from .base import (
    API_MOMENT,
    API_STRING,
    AwareDateTimeBlock,
    CardBlock,
    CardValue,
    api_moment,
    api_nullable,
    latest,
)

UPCOMING, OPEN, CLOSED = "upcoming", "open", "closed"
CONTEXT_HOOK_NAME = "election_card_context"
STATUS_LABELS = {UPCOMING: _("Not open yet"), OPEN: _("Open"), CLOSED: _("Closed")}


class OptionBlock(wagtail_blocks.StructBlock):
    label = wagtail_blocks.CharBlock(label=_("Option"), max_length=200)
    votes = wagtail_blocks.IntegerBlock(
        label=_("Votes counted"),
        min_value=0,
        required=False,
        help_text=_("Fill in after closing if the vote was counted elsewhere."),
    )

    class Meta:
        icon = "list-ul"
        label = _("Option")


class ElectionValue(CardValue):
    def status_at(self, now=None):
        now = now or timezone.now()
        if self["opens_at"] is None or self["closes_at"] is None:
            return UPCOMING
        if now < self["opens_at"]:
            return UPCOMING
        if now < self["closes_at"]:
            return OPEN
        return CLOSED

    @cached_property
    def status(self):
        return self.status_at()

    @cached_property
    def status_label(self):
        return STATUS_LABELS[self.status]

    @cached_property
    def results(self):
        """Options with votes and percentages, only once closed and counted; else None."""
        if self.status != CLOSED:
            return None
        counts = [option["votes"] for option in self["options"]]
        if any(count is None for count in counts):
            return None
        total = sum(counts)
        return [
            {
                "label": option["label"],
                "votes": option["votes"],
                "percent": round(100 * option["votes"] / total) if total else 0,
            }
            for option in self["options"]
        ]

    @cached_property
    def total_votes(self):
        return sum(row["votes"] for row in self.results) if self.results else 0

    def latest_activity(self, changed_at, now=None):
        now = now or timezone.now()
        passed = [m for m in (self["opens_at"], self["closes_at"]) if m is not None and m <= now]
        return latest(changed_at, *passed)

    def next_moment(self, now=None):
        now = now or timezone.now()
        upcoming = [m for m in (self["opens_at"], self["closes_at"]) if m is not None and m > now]
        return min(upcoming) if upcoming else None


class ElectionCardBlock(CardBlock):
    question = wagtail_blocks.CharBlock(label=_("Question"), max_length=300)
    description = wagtail_blocks.TextBlock(label=_("Explanation"), max_length=4000, required=False)
    options = wagtail_blocks.ListBlock(OptionBlock(), label=_("Options"), min_num=2, max_num=20)
    opens_at = AwareDateTimeBlock(label=_("Opens at"))
    closes_at = AwareDateTimeBlock(label=_("Closes at"))

    def clean(self, value):
        value = super().clean(value)
        errors = {}
        if value["opens_at"] and value["closes_at"] and value["closes_at"] <= value["opens_at"]:
            errors["closes_at"] = ValidationError(_("The election must close after it opens."))
        labels = [option["label"].strip().casefold() for option in value["options"]]
        if len(labels) != len(set(labels)):
            errors["options"] = ListBlockValidationError(
                non_block_errors=[ValidationError(_("Each option must be different."))]
            )
        if errors:
            raise StructBlockValidationError(block_errors=errors)
        return value

    def get_api_representation(self, value, context=None):
        """The question, options and window; counted results only once closed (as the page).

        A vote run by the governance app is published with its decision (``/api/v2/decisions/``).
        """
        return {
            "title": value.get("title") or "",
            "question": value["question"],
            "description": value.get("description") or "",
            "options": [option["label"] for option in value["options"]],
            "opens_at": api_moment(value["opens_at"]),
            "closes_at": api_moment(value["closes_at"]),
            "status": value.status,
            "status_label": str(value.status_label),
            "results": value.results,
        }

    api_schema = {
        "type": "object",
        "properties": {
            "title": API_STRING,
            "question": API_STRING,
            "description": API_STRING,
            "options": {"type": "array", "items": API_STRING},
            "opens_at": api_nullable(API_MOMENT),
            "closes_at": api_nullable(API_MOMENT),
            "status": {"type": "string", "enum": [UPCOMING, OPEN, CLOSED]},
            "status_label": {"type": "string", "description": "In the language asked for."},
            "results": api_nullable(
                {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "properties": {
                            "label": API_STRING,
                            "votes": {"type": "integer", "minimum": 0},
                            "percent": {"type": "integer", "minimum": 0, "maximum": 100},
                        },
                        "required": ["label", "votes", "percent"],
                    },
                }
            ),
        },
        "required": [
            "title", "question", "description", "options", "opens_at", "closes_at", "status",
            "status_label", "results",
        ],
    }

    class Meta:
        value_class = ElectionValue
        icon = "tick-inverse"
        label = _("Election")
        group = _("Decide")
        template = "blocks/election.html"
        description = _("Let members choose between options.")
        preview_value = {
            "title": "Stemming",
            "question": "Which trees should the park get?",
            "description": "",
            "options": [{"label": "Lime trees", "votes": None}, {"label": "Oaks", "votes": None}],
            "opens_at": datetime.datetime(2030, 5, 1, 9, 0, tzinfo=datetime.UTC),
            "closes_at": datetime.datetime(2030, 5, 15, 21, 0, tzinfo=datetime.UTC),
        }


def election_card_contexts(page, request, children):
    """What other apps show in the page's election cards, by block id; asked once per page.

    Each ``election_card_context`` hook takes ``(page, request, block_ids)`` — the ids of all
    election cards on the page at once, so it can load what it needs in one go — and returns
    a mapping of block id to a context that has a ``template``. A card with a context shows
    that template (with the context as ``live``) instead of its own dates and counted votes;
    cards without one keep their own behaviour.
    """
    block_ids = [
        child.id for child in children if child.id and isinstance(child.block, ElectionCardBlock)
    ]
    contexts = {}
    if block_ids:
        for hook in hooks.get_hooks(CONTEXT_HOOK_NAME):
            contexts.update(hook(page, request, block_ids) or {})
    return contexts
