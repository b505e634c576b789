"""Rich text: cleaned when stored, and expanded for display in one batch per page."""

import uuid
from html import escape
from html.parser import HTMLParser

from bs4 import BeautifulSoup
from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from wagtail import blocks as wagtail_blocks
from wagtail.rich_text import RichText, expand_db_html

from .. import depth

NEWS_FEATURES = ["bold", "italic", "link", "ol", "ul"]

# Elements whose content is not text a reader should see.
_HIDDEN_CONTENT = ("script", "style", "template", "noscript", "iframe", "object", "textarea")
# Elements that end a paragraph when rich text falls back to plain text.
_BLOCK_ELEMENTS = frozenset(
    "address article aside blockquote br dd div dl dt figcaption figure footer h1 h2 h3 h4 h5 h6 "
    "header hr li main nav ol p pre section table td th tr ul".split()
)


class _TextOnly(HTMLParser):
    """The readable text of HTML, in paragraphs; a flat tokenizer, whatever the nesting."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.paragraphs, self.current, self.hidden = [], [], 0

    def _end_paragraph(self):
        text = " ".join("".join(self.current).split())
        if text:
            self.paragraphs.append(text)
        self.current = []

    def handle_starttag(self, tag, attrs):
        if tag in _HIDDEN_CONTENT:
            self.hidden += 1
        elif tag in _BLOCK_ELEMENTS:
            self._end_paragraph()

    def handle_endtag(self, tag):
        if tag in _HIDDEN_CONTENT:
            self.hidden = max(0, self.hidden - 1)
        elif tag in _BLOCK_ELEMENTS:
            self._end_paragraph()

    def handle_data(self, data):
        if not self.hidden:
            self.current.append(data)


def text_only(source):
    """``source`` reduced to its text, as escaped ``<p>`` paragraphs (no markup survives)."""
    parser = _TextOnly()
    parser.feed(source)
    parser.close()
    parser._end_paragraph()
    return "".join(f"<p>{escape(paragraph, quote=False)}</p>" for paragraph in parser.paragraphs)


def clean_rich_text(source, features):
    """Database rich text (HTML) keeping only what ``features`` can express; never raises.

    The editor only produces allowed markup, but content also arrives through imports, the
    catalogue's JSON values, the API or the shell. It is stored through the same conversion the
    editor uses (database HTML → Draftail contentstate → database HTML), which keeps exactly
    what the enabled features express — links to pages included — and drops the rest: scripts,
    event handlers, styles. That converter expects well-formed HTML (unbalanced tags such as
    ``<scr<script>ipt>`` make it fail an assertion), so the text is first re-serialised by an
    HTML parser with hidden elements removed. Where the converter still cannot follow the
    structure (a list item outside a list, a paragraph inside bold) or the text nests deeper
    than ``depth.MAX_HTML_DEPTH``, only the text is kept, in paragraphs.
    """
    if not source:
        return ""
    if depth.html_depth(source, stop_after=depth.MAX_HTML_DEPTH) > depth.MAX_HTML_DEPTH:
        return text_only(source)
    soup = BeautifulSoup(source, "html.parser")
    for element in soup.find_all(_HIDDEN_CONTENT):
        element.decompose()
    balanced = str(soup)
    # Imported here: the converter's module needs the app registry, and model fields use this.
    from wagtail.admin.rich_text.converters.contentstate import ContentstateConverter

    converter = ContentstateConverter(features=features)
    try:
        return converter.to_database_format(converter.from_database_format(balanced))
    except (AssertionError, TypeError, ValueError, KeyError, IndexError, AttributeError):
        # Wagtail's converter asserts rather than recovers on structures Draftail never makes.
        return text_only(balanced)


def check_rich_text_depth(source):
    """Raise ValidationError when rich text nests deeper than ``depth.MAX_HTML_DEPTH``."""
    try:
        depth.check_html_depth(source or "")
    except depth.TooDeep as error:
        raise ValidationError(
            _("This text is nested more than %(limit)s levels deep."), params={"limit": error.limit}
        ) from None


class CleanRichTextBlock(wagtail_blocks.RichTextBlock):
    """Rich text stored through :func:`clean_rich_text`, whatever way it arrives."""

    @cached_property
    def field(self):
        from wagtail.admin.rich_text import get_rich_text_editor_widget

        from ..widgets import RichTextFormField

        return RichTextFormField(
            widget=get_rich_text_editor_widget(self.editor, features=self.features), **self.field_options
        )

    def clean(self, value):
        source = value.source if isinstance(value, RichText) else value
        if isinstance(source, str):
            check_rich_text_depth(source)
        return super().clean(value)

    def get_prep_value(self, value):
        source = value.source if isinstance(value, RichText) else (value or "")
        return clean_rich_text(source, self.features)


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
