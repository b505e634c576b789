"""Rich text that is cleaned when stored, whatever path the content came in by."""

from wagtail import blocks as wagtail_blocks
from wagtail.admin.rich_text.converters.editor_html import EditorHTMLConverter
from wagtail.rich_text import RichText

NEWS_FEATURES = ["bold", "italic", "link", "ol", "ul"]


class CleanRichTextBlock(wagtail_blocks.RichTextBlock):
    """The admin editor only produces allowed markup, but content can also arrive through
    imports, the API or the shell. Cleaning on the way into the database means nothing
    outside the allowed features (scripts, event handlers, styles) is ever stored.
    """

    def get_prep_value(self, value):
        source = value.source if isinstance(value, RichText) else (value or "")
        converter = EditorHTMLConverter(features=self.features)
        return converter.whitelister.clean(source)
