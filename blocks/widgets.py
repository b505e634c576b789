"""The editors' widgets for rich text and streams, reading what the browser posts with care.

**Rich text.**
Draftail posts its content as contentstate JSON, which Wagtail's widget parses and converts
to HTML while reading the form data, outside validation: text that is not contentstate (or
nests deep enough to exhaust the recursion limit) is a server error there. This widget measures
the nesting first and turns anything it cannot convert into :data:`UNREADABLE`, which
:class:`RichTextFormField` refuses with a message. It is the default editor
(``WAGTAILADMIN_RICH_TEXT_EDITORS``), so every rich text field and block uses it.

**Streams.** A stream's form data carries management fields (``<name>-count``, each child's
``-type``, ``-order``, ``-deleted``, a list's own ``-count``) that Wagtail's blocks read with
``data[key]`` and ``int()`` while reading the form data: a form posted without them (or with
text where a number goes) was a server error on every page, snippet and model form with a
StreamField. :class:`StreamFormField` turns that into :data:`UNREADABLE_STREAM`, refused with a
message while the form shows the stored content again; ``blocks.apps`` makes it the form field
of every StreamField in Wagtail's admin forms.

**Choosers.** :func:`tolerate_malformed_chooser_values` makes every chooser widget show a posted
value that is no id as an empty choice instead of failing while the form is shown again.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from draftjs_exporter.error import ExporterException
from wagtail.admin.rich_text import DraftailRichTextArea
from wagtail.blocks.base import BlockField, BlockWidget

from . import depth


class Unreadable:
    """Posted rich text that could not be read (a marker, never stored)."""

    def __str__(self):
        return ""

    def __bool__(self):
        return True


UNREADABLE = Unreadable()


class CheckedDraftailRichTextArea(DraftailRichTextArea):
    def value_from_datadict(self, data, files, name):
        posted = data.get(name)
        if posted is None:
            return None
        try:
            depth.check_json_depth(posted)
            return self.converter.to_database_format(posted)
        except (ValueError, TypeError, KeyError, AttributeError, IndexError, AssertionError, ExporterException):
            # json's errors are ValueErrors (TooDeep too); the rest come from the exporter
            # walking a structure Draftail never posts.
            return UNREADABLE

    def format_value(self, value):
        if isinstance(value, Unreadable):
            value = ""
        return super().format_value(value)


class RichTextFormField(forms.CharField):
    """A rich text form field that refuses what the editor widget could not read."""

    default_error_messages = {
        "unreadable": _("This text could not be read. Reload the editor and try again."),
    }

    def to_python(self, value):
        if isinstance(value, Unreadable):
            raise ValidationError(self.error_messages["unreadable"], code="unreadable")
        return super().to_python(value)


class UnreadableStream:
    """Posted stream data that could not be read (a marker, never stored)."""

    def __bool__(self):
        return True


UNREADABLE_STREAM = UnreadableStream()


class CheckedBlockWidget(BlockWidget):
    def value_from_datadict(self, data, files, name):
        count = data.get(f"{name}-count")
        if count is not None and not (count.isascii() and count.isdigit()):
            return UNREADABLE_STREAM  # no browser posts a negative count
        try:
            return super().value_from_datadict(data, files, name)
        except (KeyError, ValueError, TypeError, IndexError, OverflowError):
            # A missing management field is a MultiValueDictKeyError (a KeyError); a count or
            # order that is no number a ValueError.
            return UNREADABLE_STREAM


class StreamFormField(BlockField):
    """Wagtail's BlockField, refusing stream data its widget could not read."""

    default_error_messages = {
        "unreadable": _(
            "This content could not be read: the form was sent incomplete. Reload the page and try again."
        ),
    }

    def __init__(self, block=None, **kwargs):
        kwargs.setdefault("widget", CheckedBlockWidget(block))
        super().__init__(block=block, **kwargs)

    def clean(self, value):
        if isinstance(value, UnreadableStream):
            raise ValidationError(self.error_messages["unreadable"], code="unreadable")
        return super().clean(value)

    def bound_data(self, data, initial):
        # A refused form shows the content as stored: what was posted cannot be shown.
        if isinstance(data, UnreadableStream):
            return initial
        return super().bound_data(data, initial)

    def has_changed(self, initial_value, data_value):
        if isinstance(data_value, UnreadableStream):
            return True
        return super().has_changed(initial_value, data_value)


def tolerate_malformed_chooser_values():
    """Wagtail's chooser widgets show a re-rendered form's posted id as an empty choice when it
    is no id at all.

    ``BaseChooser.get_instance`` looks a posted value up with ``.get(pk=value)`` and catches only
    DoesNotExist: ``"x"`` (a ValueError) or an id beyond the column's range (an OverflowError on
    SQLite) was a server error while re-rendering any refused form with a chooser (moving or
    copying a page, choosing a parent, every model form). Wrapped once, at start-up.
    """
    from wagtail.admin.widgets.chooser import BaseChooser

    original = BaseChooser.get_value_data
    if getattr(original, "tolerates_malformed", False):
        return

    def get_value_data(self, value):
        try:
            return original(self, value)
        except (ValueError, TypeError, OverflowError, ValidationError):
            return None

    get_value_data.tolerates_malformed = True
    BaseChooser.get_value_data = get_value_data
