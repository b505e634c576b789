"""Rich text for cards: cleaned when stored, and expanded for display in one batch per page."""

import uuid

from django.template.loader import render_to_string
from wagtail import blocks as wagtail_blocks
from wagtail.admin.rich_text.converters.contentstate import ContentstateConverter
from wagtail.rich_text import RichText, expand_db_html

NEWS_FEATURES = ["bold", "italic", "link", "ol", "ul"]


class CleanRichTextBlock(wagtail_blocks.RichTextBlock):
    """The admin editor only produces allowed markup, but content can also arrive through
    imports, the API or the shell. Storing it through the same conversion the editor uses
    (database HTML → Draftail contentstate → database HTML) keeps exactly what the enabled
    features can express — including links to pages — and drops everything else: scripts,
    event handlers, styles.
    """

    def get_prep_value(self, value):
        source = value.source if isinstance(value, RichText) else (value or "")
        if not source:
            return ""
        converter = ContentstateConverter(features=self.features)
        return converter.to_database_format(converter.from_database_format(source))


class ExpandedRichText(RichText):
    """Rich text whose front-end HTML (page links resolved) was already worked out."""

    def __init__(self, source, expanded):
        super().__init__(source)
        self.expanded = expanded

    def __html__(self):
        return render_to_string("wagtailcore/shared/richtext.html", {"html": self.expanded})


def expand_in_one_batch(texts):
    """Expand many rich texts with one pass of Wagtail's rewriter.

    Rendering each text on its own resolves its page links with queries of its own, so a
    page with 200 news items would cost 200 lookups. Joined with a marker that cleaned rich
    text cannot contain (comments do not survive cleaning), they cost one.
    """
    texts = list(texts)
    if not texts:
        return []
    marker = f"<!--ctylab-richtext-{uuid.uuid4().hex}-->"
    parts = expand_db_html(marker.join(text.source for text in texts)).split(marker)
    if len(parts) != len(texts):  # a text contained the marker after all: expand one by one
        parts = [expand_db_html(text.source) for text in texts]
    return [ExpandedRichText(text.source, html) for text, html in zip(texts, parts, strict=True)]
