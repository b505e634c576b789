"""What every card block shares: its value class, the activity rule and a safe image block."""

from datetime import UTC, datetime, time, timedelta

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail import blocks as wagtail_blocks
from wagtail.images import get_image_model
from wagtail.images.blocks import ImageChooserBlock

from ..localtime import EARLIER, SHIFT_FORWARD, make_aware

# Every card image is shown at this size, so its rendition can be fetched with the image.
CARD_IMAGE_SPEC = "fill-640x360"


def start_of_day(day):
    # Where the clocks skip midnight (some zones change at 00:00), the day starts after the gap.
    return make_aware(datetime.combine(day, time.min), nonexistent=SHIFT_FORWARD, ambiguous=EARLIER)


def days_from_now(days):
    """A block ``default``: a callable giving the moment ``days`` days from now, on the hour.

    Wagtail evaluates a callable default each time a new block is made (``Block.get_default``),
    so a card added today starts with a deadline counted from today, not from server start.
    """

    def moment():
        return (timezone.localtime() + timedelta(days=days)).replace(minute=0, second=0, microsecond=0)

    moment.__name__ = f"in_{days}_days"
    return moment


def latest(*moments):
    present = [moment for moment in moments if moment is not None]
    return max(present) if present else None


class CardValue(wagtail_blocks.StructValue):
    """Value of a card. Subclasses derive what templates show, so templates stay dumb.

    ``latest_activity(changed_at, now)`` answers "when did something last happen on this
    card": ``changed_at`` is when an editor last changed the card (stamped by the page on
    save). Cards with dated content (news, readings, deadlines) refine it.
    ``next_moment(now)`` is the next scheduled moment that will count as activity once it
    has passed (an election opening, a deadline), so pages know when to re-sort; it is also
    when the card's look changes by itself, so caches keep a page no longer than that.
    ``live_for`` is how long, in seconds, a rendering of the card stays true while its data
    changes without anyone announcing each change (sensor readings); None for most cards.
    ``live_context_hook``, ``open_window()`` and ``reading_series()`` say what else a card
    contributes (live data, "open now", readings); the card pipeline (``blocks.pipeline``),
    search and the open-data API ask these, never a card type's name. Its searchable text is
    declared with the type (``blocks.registry.CardType.searchable_fields``).
    """

    live_for = None
    # The Wagtail hook through which another app shows this card live (a vote, a tender
    # taking quotes), asked once per page for all such cards (``blocks.pipeline.live_contexts``);
    # None: the card shows only its own content.
    live_context_hook = None

    def latest_activity(self, changed_at, now=None):
        return changed_at

    def next_moment(self, now=None):
        return None

    def open_window(self):
        """``(openable, opens_at, closes_at)``: whether the card can be "open now" (a tender
        taking quotes, a vote), and between which moments (None: unbounded on that side).
        Search's "open now" filter asks this; most cards are never open."""
        return False, None, None

    def reading_series(self):
        """The (device, metric) whose readings this card shows, or None (most cards).

        The open-data API publishes the readings of exactly the series that cards visitors
        can see show, so a card that charts readings says which ones here.
        """
        return None

    @property
    def card_type(self):
        return self.block.name

    @property
    def kind_label(self):
        return self.block.meta.label

    @property
    def heading(self):
        return self.get("title") or self.block.meta.label


def api_moment(moment):
    """A date or time as the open-data API gives it: ISO 8601 (times in UTC), or None."""
    if moment is None:
        return None
    if isinstance(moment, datetime):
        return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")
    return moment.isoformat()


def api_decimal(amount):
    """An amount as the API gives it: a decimal string (exact, unlike a JSON number), or None."""
    return None if amount is None else format(amount, "f")


def api_nullable(schema):
    """``schema``, or null (OpenAPI 3.0 writes "or null" as ``nullable``)."""
    return {**schema, "nullable": True}


API_STRING = {"type": "string"}
API_MOMENT = {"type": "string", "format": "date-time"}
API_DECIMAL = {"type": "string", "pattern": r"^-?\d+(\.\d+)?$"}


def api_image(image):
    """A card image as the API gives it: its card-size rendition (what the page shows)."""
    if image is None:
        return None
    rendition = image.get_rendition(CARD_IMAGE_SPEC)
    return {
        "url": rendition.full_url,
        "width": rendition.width,
        "height": rendition.height,
        "alt": getattr(rendition, "alt", "") or image.default_alt_text or "",
    }


API_IMAGE = {
    "type": "object",
    "properties": {
        "url": API_STRING,
        "width": {"type": "integer"},
        "height": {"type": "integer"},
        "alt": API_STRING,
    },
    "required": ["url", "width", "height", "alt"],
}


def safe_link(url):
    """The URL if it is a web or mail link, else "" (no javascript: or data: links)."""
    url = (url or "").strip()
    return url if url.lower().startswith(("https://", "http://", "mailto:")) else ""


class CardBlock(wagtail_blocks.StructBlock):
    """Base for card blocks: every card has an optional title.

    **The card in the open-data API** (``/api/v2/``) is declared here, beside the template:
    ``get_api_representation(value, context)`` gives what the card shows visitors as JSON
    data, and ``api_schema`` is the schema of that representation (OpenAPI 3.0's dialect of JSON Schema), which
    the served OpenAPI document publishes. The default is Wagtail's: each field's own API
    form, described as an object. A card that derives what visitors see (results only once
    closed, items newest first) overrides both, so the API never gives more than the page.
    """

    title = wagtail_blocks.CharBlock(
        label=_("Card title"),
        max_length=120,
        required=False,
        help_text=_("Shown above the card; leave empty to use the card type's name."),
    )

    api_schema = {"type": "object", "properties": {"title": {"type": "string"}}}

    class Meta:
        value_class = CardValue


class CardImageBlock(ImageChooserBlock):
    """An image chooser that fetches the card-size rendition together with the images.

    Without this every ``{% image %}`` on a page would cost a query of its own.
    """

    def bulk_to_python(self, values):
        values = list(values)
        wanted = [value for value in values if value is not None]
        if not wanted:
            return [None for _value in values]
        images = (
            get_image_model()
            .objects.prefetch_renditions(CARD_IMAGE_SPEC)
            .in_bulk(wanted)
        )
        return [images.get(value) for value in values]


class AwareDateTimeBlock(wagtail_blocks.DateTimeBlock):
    """A DateTimeBlock that always gives timezone-aware values.

    Stored values written without an offset (imports, older content) are read in the site's
    time zone, so comparisons with ``timezone.now()`` never fail on naive values. The page
    form refuses a time the clocks skip or repeat (Django's ``forms.DateTimeField``) and so
    does the catalogue for default values (``blocks.localtime``); content stored before that
    check is read with the explicit choice below rather than failing to render.
    """

    def to_python(self, value):
        value = super().to_python(value)
        if value is not None:
            value = make_aware(value, nonexistent=SHIFT_FORWARD, ambiguous=EARLIER)
        return value
