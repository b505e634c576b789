"""News card: dated items, newest first.

Value shape::

    {"title": str, "items": [{"headline": str, "date": "YYYY-MM-DD", "body": "<p>…</p>",
                              "image": image id or None, "link": url or ""}]}
"""

import datetime

from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail import blocks as wagtail_blocks

from .base import (
    API_IMAGE,
    API_STRING,
    CardBlock,
    CardImageBlock,
    CardValue,
    api_image,
    api_moment,
    api_nullable,
    safe_link,
    start_of_day,
)
from .richtext import NEWS_FEATURES, CleanRichTextBlock, expand_in_one_batch


class NewsItemValue(wagtail_blocks.StructValue):
    @property
    def safe_link(self):
        return safe_link(self.get("link"))


class NewsItemBlock(wagtail_blocks.StructBlock):
    headline = wagtail_blocks.CharBlock(
        label=_("Headline"), max_length=200, help_text=_("One line that says what happened.")
    )
    # A callable: evaluated each time an item is added, so a new item is dated today.
    date = wagtail_blocks.DateBlock(
        label=_("Date"),
        default=timezone.localdate,
        help_text=_("When it happened; items are shown newest first."),
    )
    body = CleanRichTextBlock(
        label=_("Text"), features=NEWS_FEATURES, required=False, help_text=_("Optional: the story itself.")
    )
    image = CardImageBlock(label=_("Image"), required=False, help_text=_("Optional: shown above the text."))
    link = wagtail_blocks.URLBlock(
        label=_("Link"), required=False, help_text=_("Optional: a web address to read more.")
    )

    class Meta:
        icon = "doc-full"
        label = _("News item")
        value_class = NewsItemValue


class NewsValue(CardValue):
    @cached_property
    def items_newest_first(self):
        # sorted() is stable: items of the same day keep the editor's order.
        return sorted(self["items"], key=lambda item: item["date"], reverse=True)

    @cached_property
    def newest_date(self):
        dates = [item["date"] for item in self["items"] if item["date"]]
        return max(dates) if dates else None

    def latest_activity(self, changed_at, now=None):
        if self.newest_date is None:
            return changed_at
        return start_of_day(self.newest_date)


class NewsCardBlock(CardBlock):
    items = wagtail_blocks.ListBlock(
        NewsItemBlock(),
        label=_("News items"),
        # Wagtail's default is one blank item, made once at start-up: invalid (no headline)
        # and dated the day the server started. A new card starts empty; each item added is
        # dated the day it is added.
        default=list,
        help_text=_("Add an item for each piece of news."),
    )

    def bulk_to_python(self, values):
        cards = super().bulk_to_python(values)
        items = [item for card in cards for item in card["items"] if item.get("body")]
        for item, body in zip(items, expand_in_one_batch(item["body"] for item in items), strict=True):
            item["body"] = body
        return cards

    def get_api_representation(self, value, context=None):
        """Items newest first, as the page lists them; rich text as the page's HTML."""
        return {
            "title": value.get("title") or "",
            "items": [
                {
                    "headline": item["headline"],
                    "date": api_moment(item["date"]),
                    "body": getattr(item["body"], "expanded", None) or str(item["body"] or ""),
                    "image": api_image(item.get("image")),
                    "link": item.safe_link or None,
                }
                for item in value.items_newest_first
            ],
        }

    api_schema = {
        "type": "object",
        "properties": {
            "title": API_STRING,
            "items": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {
                        "headline": API_STRING,
                        "date": api_nullable({"type": "string", "format": "date"}),
                        "body": {"type": "string", "description": "HTML"},
                        "image": api_nullable(API_IMAGE),
                        "link": api_nullable({"type": "string", "format": "uri"}),
                    },
                    "required": ["headline", "date", "body", "image", "link"],
                },
            },
        },
        "required": ["title", "items"],
    }

    class Meta:
        value_class = NewsValue
        icon = "doc-full-inverse"
        label = _("News")
        group = _("Publish")
        template = "blocks/news.html"
        description = _("Dated news items, shown newest first.")
        preview_value = {
            "title": "Nieuws",
            "items": [
                {
                    "headline": "Panels are on the roof",
                    "date": datetime.date(2026, 5, 2),
                    "body": "<p>All 120 panels were installed this week.</p>",
                    "image": None,
                    "link": "",
                }
            ],
        }
