"""Search documents built from published initiative pages and their cards.

One document per initiative (title, summary, place, ambitions) and one per card. A card's
text is the text of the fields its card type lists as ``searchable_fields`` in the card
registry, so a plug-in card is searched as soon as it declares them. Inside those fields only
plain text, long text and rich text count: e-mail addresses, links, numbers, dates, choices,
images and raw HTML are never indexed, whatever a card declares.

Which pages may be indexed at all (published, public, not under an unpublished page) is
decided in ``search.services``; this module only converts.
"""

import hashlib
import json
from dataclasses import dataclass, field, fields
from datetime import datetime

from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone
from wagtail import blocks as wagtail_blocks
from wagtail.models import Site
from wagtail.rich_text import RichText, get_text_for_indexing

from blocks.pipeline import cards_for_display
from blocks.registry import registry

from .models import INITIATIVE
from .text import clean

MAX_TITLE = 255
MAX_BODY = 20_000

# Blocks whose values are prose worth searching. Everything else says nothing searchable or
# may be personal (EmailBlock, URLBlock, RegexBlock are deliberately absent).
TEXT_BLOCKS = (wagtail_blocks.CharBlock, wagtail_blocks.TextBlock)


@dataclass
class IndexDocument:
    """What the index holds about one initiative or one card (see ``models.SearchDocument``)."""

    key: str
    page_id: int
    kind: str
    path: str
    url: str
    title: str
    initiative_title: str
    body: str = ""
    block_id: str = ""
    site_id: int | None = None
    municipality: str = ""
    ambitions: list = field(default_factory=list)
    latitude: float | None = None
    longitude: float | None = None
    openable: bool = False
    opens_at: datetime | None = None
    closes_at: datetime | None = None
    activity_at: datetime | None = None
    refresh_at: datetime | None = None
    # The language the initiative's texts are written in ("" when the page does not say).
    language: str = ""

    @property
    def checksum(self):
        # Flat fields only (the one list is of strings), so no deep copy as asdict() makes.
        payload = json.dumps(
            [getattr(self, name.name) for name in fields(self)], cls=DjangoJSONEncoder
        )
        return hashlib.sha256(payload.encode()).hexdigest()


def initiative_key(page_id):
    return f"{INITIATIVE}:{page_id}"


def card_key(page_id, block_id):
    return f"card:{page_id}:{block_id}"


# --- text of card values ------------------------------------------------------------------


def block_text(block, value):
    """The searchable text in ``value`` of ``block``, walking structs, lists and streams."""
    if value is None:
        return
    if isinstance(block, wagtail_blocks.RichTextBlock):
        source = value.source if isinstance(value, RichText) else str(value)
        yield get_text_for_indexing(source)
    elif isinstance(block, TEXT_BLOCKS):
        yield str(value)
    elif isinstance(block, wagtail_blocks.StructBlock):
        for name, child in block.child_blocks.items():
            yield from block_text(child, value.get(name))
    elif isinstance(block, wagtail_blocks.ListBlock):
        for item in value:
            yield from block_text(block.child_block, item)
    elif isinstance(block, wagtail_blocks.StreamBlock):
        for child in value:
            yield from block_text(child.block, child.value)


def card_texts(card_type, value):
    """(title, body) of a card: its title, else the first searchable text, else its label."""
    texts = []
    for name in card_type.searchable_fields:
        child = card_type.block.child_blocks.get(name)
        if child is None:
            continue
        texts.extend(
            text for text in (clean(piece) for piece in block_text(child, value.get(name))) if text
        )
    title = clean(value.get("title") or "")
    if title and texts and texts[0] == title:
        texts = texts[1:]
    elif not title:
        title = texts.pop(0) if texts else str(card_type.block.meta.label or card_type.name)
    return title[:MAX_TITLE], " ".join(texts)[:MAX_BODY]


# --- "open now" -----------------------------------------------------------------------------


def open_window(value):
    """(openable, opens_at, closes_at) of a card, as its value declares it (``open_window``).

    A plug-in card value without the method (not built on ``blocks.cards.base.CardValue``) may
    still give ``search_open_window()``; otherwise it is never open.
    """
    for name in ("open_window", "search_open_window"):
        own = getattr(value, name, None)
        if callable(own):
            return own()
    return False, None, None


# --- addresses ------------------------------------------------------------------------------


class SiteRoots:
    """Where pages are served: the most specific site wins, as for canonical links.

    Read from the Sites table (not Wagtail's cache), so a change to a site made in this very
    transaction is already seen.
    """

    def __init__(self):
        sites = Site.objects.select_related("root_page").order_by(
            "-root_page__url_path", "-is_default_site", "hostname"
        )
        self.roots = [(site.root_page.url_path, site) for site in sites]

    def locate(self, page):
        """(site id, absolute URL) of the page on its most specific site."""
        for root_path, site in self.roots:
            if page.url_path.startswith(root_path):
                return site.id, site.root_url + page.url_path[len(root_path) - 1 :]
        return None, page.url_path


# --- documents of a page --------------------------------------------------------------------


def _float(value):
    return None if value is None else float(value)


class DocumentBuilder:
    """Converts initiative pages into documents; one per page plus one per card."""

    def __init__(self, now=None):
        self.now = now or timezone.now()
        self.sites = SiteRoots()
        self.card_types = registry.types

    def documents(self, page):
        site_id, url = self.sites.locate(page)
        ambitions = sorted({tag.name for tag in page.ambitions.all()}, key=str.casefold)
        latitude, longitude = _float(page.latitude), _float(page.longitude)
        if latitude is None or longitude is None:
            latitude = longitude = None
        shared = {
            "page_id": page.pk,
            "path": page.path,
            "site_id": site_id,
            "initiative_title": clean(page.title, MAX_TITLE),
            "municipality": clean(page.municipality, 100),
            "ambitions": ambitions,
            "latitude": latitude,
            "longitude": longitude,
            "language": str(getattr(page, "content_language", "") or "")[:10],
        }
        cards, moments = self.card_documents(page, shared, url)
        refresh_at = min(moments) if moments else None
        for card in cards:
            card.refresh_at = refresh_at
        activities = [card.activity_at for card in cards if card.activity_at]
        initiative = IndexDocument(
            key=initiative_key(page.pk),
            kind=INITIATIVE,
            url=url,
            title=shared["initiative_title"],
            body=" ".join(
                part
                for part in (
                    clean(page.summary),
                    clean(page.search_description),
                    shared["municipality"],
                    " ".join(ambitions),
                )
                if part
            )[:MAX_BODY],
            activity_at=max(activities) if activities else page.last_published_at,
            refresh_at=refresh_at,
            **shared,
        )
        return [initiative, *cards]

    def card_documents(self, page, shared, page_url):
        documents, moments = [], []
        # The cards visitors see, with the page's own activity times (blocks.pipeline): a
        # card the site's card policy hides is not found either. Nothing live: a document
        # is the same for every visitor.
        for card in cards_for_display(page, now=self.now, live=False):
            card_type = self.card_types.get(card.card_type)
            if card_type is None:
                continue
            value = card.child.value
            title, body = card_texts(card_type, value)
            openable, opens_at, closes_at = open_window(value)
            next_moment = value.next_moment(self.now) if hasattr(value, "next_moment") else None
            if next_moment is not None:
                moments.append(next_moment)
            documents.append(
                IndexDocument(
                    key=card_key(page.pk, card.card_id),
                    kind=card_type.name,
                    block_id=card.card_id,
                    url=f"{page_url}#card-{card.card_id}",
                    title=title,
                    body=body,
                    openable=bool(openable),
                    opens_at=opens_at,
                    closes_at=closes_at,
                    activity_at=card.activity or page.last_published_at,
                    **shared,
                )
            )
        return documents, moments
