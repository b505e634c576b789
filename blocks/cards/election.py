"""Election card: a question put to the members, open between two moments.

Value shape::

    {"title": str, "question": str, "description": str,
     "kind": "for_against" | "options", "options": [{"label": str}],
     "opens_at": datetime, "closes_at": datetime,
     "rule": "simple" | "qualified" | "consensus", "qualified_percent": Decimal | None,
     "quorum_percent": Decimal | None, "electorate": "members" | "participants" | "frontrunners"}

The card is the vote: another app runs it (the governance app does, through the
``card_lifecycle`` hook of :mod:`blocks.lifecycle`) and shows it live through the
``election_card_context`` hook, which the card pipeline asks once per page for all its
election cards (``ElectionValue.live_context_hook``; see :func:`blocks.pipeline.live_contexts`). Results come only from
ballots: no field holds counted votes. Stored options may still carry an old ``votes`` key;
it is ignored when read and dropped on the next save.

A new card is valid as it comes (opens now, closes in 14 days, for / against / abstain,
simple majority, all members vote), so an editor only has to write the question.
"""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail import blocks as wagtail_blocks
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

FOR_AGAINST, OPTIONS = "for_against", "options"
KIND_CHOICES = [(FOR_AGAINST, _("For, against or abstain")), (OPTIONS, _("A choice between options"))]
FOR_AGAINST_LABELS = [_("For"), _("Against"), _("Abstain")]
SIMPLE, QUALIFIED, CONSENSUS = "simple", "qualified", "consensus"
RULE_CHOICES = [
    (SIMPLE, _("Simple majority")),
    (QUALIFIED, _("Qualified majority")),
    (CONSENSUS, _("Consensus (passes unless someone objects)")),
]
ELECTORATE_CHOICES = [
    ("members", _("All members")),
    ("participants", _("Frontrunners and participants")),
    ("frontrunners", _("Frontrunners only")),
]
DEFAULT_DURATION = datetime.timedelta(days=14)
MAX_OPTIONS = 20


def this_minute():
    """Now, to the minute: the editor's date widget has no seconds, so a default with
    seconds would read as a change the first time the page is saved again."""
    return timezone.now().replace(second=0, microsecond=0)


def default_opens_at():
    return this_minute()


def default_closes_at():
    return this_minute() + DEFAULT_DURATION


class OptionBlock(wagtail_blocks.StructBlock):
    label = wagtail_blocks.CharBlock(
        label=_("Option"), max_length=200, help_text=_("One answer members can choose, in a few words.")
    )

    class Meta:
        icon = "list-ul"
        label = _("Option")


class ElectionValue(CardValue):
    """An election card's value; the one owner of an election's status by the clock.

    :meth:`window_status` and :meth:`window_change` are the rule for any election window —
    this card's own dates, or those of the vote another app runs for it (governance's
    ``LiveElection`` asks them with the vote's dates and adds what only it knows: a vote
    counted or cancelled).
    """

    # The governance app runs the vote and shows the card live (``governance.cards``).
    live_context_hook = CONTEXT_HOOK_NAME

    @staticmethod
    def window_status(opens_at, closes_at, now):
        """UPCOMING before ``opens_at`` (or while a moment is missing), OPEN from ``opens_at``
        until ``closes_at``, CLOSED from ``closes_at`` on (aware datetimes)."""
        if opens_at is None or closes_at is None or now < opens_at:
            return UPCOMING
        if now < closes_at:
            return OPEN
        return CLOSED

    @staticmethod
    def window_change(opens_at, closes_at, now):
        """The next of ``opens_at`` and ``closes_at`` after ``now`` (when the status changes
        by itself), or None once both have passed."""
        upcoming = [moment for moment in (opens_at, closes_at) if moment is not None and moment > now]
        return min(upcoming) if upcoming else None

    def status_at(self, now=None):
        return self.window_status(self["opens_at"], self["closes_at"], now or timezone.now())

    @cached_property
    def status(self):
        return self.status_at()

    @cached_property
    def status_label(self):
        return STATUS_LABELS[self.status]

    @cached_property
    def option_labels(self):
        """What members choose between: for / against / abstain, or the editor's options."""
        if self.get("kind") == FOR_AGAINST:
            return [str(label) for label in FOR_AGAINST_LABELS]
        return [option["label"] for option in self["options"]]

    def latest_activity(self, changed_at, now=None):
        now = now or timezone.now()
        passed = [m for m in (self["opens_at"], self["closes_at"]) if m is not None and m <= now]
        return latest(changed_at, *passed)

    def open_window(self):
        """An election is open from its opening until its closing moment (both needed)."""
        opens_at, closes_at = self.get("opens_at"), self.get("closes_at")
        if opens_at is None or closes_at is None:
            return False, None, None
        return True, opens_at, closes_at

    def next_moment(self, now=None):
        return self.window_change(self["opens_at"], self["closes_at"], now or timezone.now())


class ElectionCardBlock(CardBlock):
    question = wagtail_blocks.CharBlock(
        label=_("Question"), max_length=300, help_text=_("What members decide, as one question.")
    )
    description = wagtail_blocks.TextBlock(
        label=_("Explanation"),
        max_length=4000,
        required=False,
        help_text=_("Optional: background members need before they vote."),
    )
    kind = wagtail_blocks.ChoiceBlock(
        choices=KIND_CHOICES,
        default=FOR_AGAINST,
        label=_("Members vote"),
        help_text=_("For, against or abstain; or a choice between options you list below."),
    )
    options = wagtail_blocks.ListBlock(
        OptionBlock(),
        label=_("Options"),
        min_num=0,
        max_num=MAX_OPTIONS,
        default=[],
        help_text=_("Only for a choice between options: at least two."),
    )
    opens_at = AwareDateTimeBlock(
        label=_("Opens at"),
        default=default_opens_at,
        help_text=_("When voting starts; options and rules can no longer change from then on."),
    )
    closes_at = AwareDateTimeBlock(
        label=_("Closes at"), default=default_closes_at, help_text=_("When voting ends and the result is counted.")
    )
    rule = wagtail_blocks.ChoiceBlock(
        choices=RULE_CHOICES,
        default=SIMPLE,
        label=_("Decision rule"),
        help_text=_("How the result is decided from the votes cast."),
    )
    qualified_percent = wagtail_blocks.DecimalBlock(
        label=_("Qualified majority (%)"),
        required=False,
        min_value=Decimal("50.01"),
        max_value=Decimal(100),
        decimal_places=2,
        help_text=_("Only for a qualified majority: the share of votes needed, above 50."),
    )
    quorum_percent = wagtail_blocks.DecimalBlock(
        label=_("Quorum (% of eligible members)"),
        required=False,
        min_value=Decimal("0.01"),
        max_value=Decimal(100),
        decimal_places=2,
        help_text=_("Leave empty for no quorum."),
    )
    electorate = wagtail_blocks.ChoiceBlock(
        choices=ELECTORATE_CHOICES,
        default="members",
        label=_("Who may vote"),
        help_text=_("The members whose votes count."),
    )

    def to_python(self, value):
        if isinstance(value, dict) and "kind" not in value:
            # Cards stored before the card had a kind list their own options.
            value = {**value, "kind": OPTIONS if value.get("options") else FOR_AGAINST}
        return super().to_python(value)

    def bulk_to_python(self, values):
        return [self.to_python(value) for value in values]

    def clean(self, value):
        value = super().clean(value)
        errors = {}
        if value["opens_at"] and value["closes_at"] and value["closes_at"] <= value["opens_at"]:
            errors["closes_at"] = ValidationError(_("The election must close after it opens."))
        if value["kind"] == OPTIONS:
            labels = [option["label"].strip().casefold() for option in value["options"]]
            if len(labels) < 2:
                errors["options"] = ListBlockValidationError(
                    non_block_errors=[ValidationError(_("A choice between options needs at least two options."))]
                )
            elif len(labels) != len(set(labels)):
                errors["options"] = ListBlockValidationError(
                    non_block_errors=[ValidationError(_("Each option must be different."))]
                )
        if value["rule"] == QUALIFIED and value["qualified_percent"] is None:
            errors["qualified_percent"] = ValidationError(
                _("Give the share of votes a qualified majority needs (above 50 %).")
            )
        if value["rule"] == CONSENSUS and value["kind"] != FOR_AGAINST:
            errors["rule"] = ValidationError(_("Consensus applies to for / against votes only."))
        if errors:
            raise StructBlockValidationError(block_errors=errors)
        return value

    def get_api_representation(self, value, context=None):
        """The question, options and window. ``results`` is always null: tallies come only
        from ballots (the card is the vote), published with the decision once it closes
        (``/api/v2/decisions/``); numbers typed into old cards are never shown, as on the page.
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
            "results": None,
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
        description = _("Put a question to the members: this card is the vote.")
        preview_value = {
            "title": "Stemming",
            "question": "Which trees should the park get?",
            "description": "",
            "kind": OPTIONS,
            "options": [{"label": "Lime trees"}, {"label": "Oaks"}],
            "opens_at": datetime.datetime(2030, 5, 1, 9, 0, tzinfo=datetime.UTC),
            "closes_at": datetime.datetime(2030, 5, 15, 21, 0, tzinfo=datetime.UTC),
            "rule": SIMPLE,
            "qualified_percent": None,
            "quorum_percent": None,
            "electorate": "members",
        }

