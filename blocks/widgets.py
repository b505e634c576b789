"""The rich text editor's widget: Draftail, reading what it posts with care.

Draftail posts its content as contentstate JSON, which Wagtail's widget parses and converts
to HTML while reading the form data, outside validation: text that is not contentstate (or
nests deep enough to exhaust the recursion limit) is a server error there. This widget measures
the nesting first and turns anything it cannot convert into :data:`UNREADABLE`, which
:class:`RichTextFormField` refuses with a message. It is the default editor
(``WAGTAILADMIN_RICH_TEXT_EDITORS``), so every rich text field and block uses it.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from draftjs_exporter.error import ExporterException
from wagtail.admin.rich_text import DraftailRichTextArea

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
