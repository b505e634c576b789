"""Model fields: the one that holds cards, and rich text that is cleaned when stored."""

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.forms.fields import InvalidJSONInput
from django.utils.translation import gettext_lazy as _
from wagtail.fields import RichTextField, StreamField

from . import depth
from .cards.richtext import check_rich_text_depth, clean_rich_text
from .stream import CardStreamBlock


class CardStreamField(StreamField):
    """A StreamField of the registered card types.

    Wagtail's StreamField writes its block definitions into migrations. Cards come from a
    registry that other apps add to, so this field deconstructs to itself with no blocks:
    registering a card type needs no migration, and a migration can never drop a card type
    that stored content still uses.
    """

    def __init__(self, *args, **kwargs):
        kwargs.pop("block_lookup", None)
        super().__init__(CardStreamBlock(), **kwargs)

    def deconstruct(self):
        name, _path, _args, kwargs = super(StreamField, self).deconstruct()
        kwargs.pop("block_lookup", None)
        return name, "blocks.fields.CardStreamField", [], kwargs


class CleanRichTextField(RichTextField):
    """A RichTextField stored through ``clean_rich_text``, like the cards' rich text.

    Wagtail's editor only posts allowed markup, but a page saved by an import or the shell
    stores whatever it is given, and ``|richtext`` renders stored HTML as it is. Cleaning in
    ``pre_save`` covers the database row and the revision alike (django-modelcluster serialises
    a revision from ``pre_save``).
    """

    def pre_save(self, model_instance, add):
        value = getattr(model_instance, self.attname)
        if value:
            value = clean_rich_text(value, self.features)
            setattr(model_instance, self.attname, value)
        return value

    def formfield(self, **kwargs):
        from .widgets import RichTextFormField

        field = super().formfield(**{"form_class": RichTextFormField, **kwargs})
        field.validators.append(check_rich_text_depth)
        return field


class CheckedJSONFormField(forms.JSONField):
    """Django's JSON form field, measuring the text's nesting before parsing it.

    ``json.loads`` recurses per level: deep enough text is a RecursionError (a server error)
    below the recursion limit and a crashed process above it.
    """

    def to_python(self, value):
        if isinstance(value, str) and not self.disabled:
            try:
                depth.check_json_depth(value)
            except depth.TooDeep as error:
                raise ValidationError(
                    _("This JSON is nested more than %(limit)s levels deep."),
                    code="too_deep",
                    params={"limit": error.limit},
                ) from None
        return super().to_python(value)

    def bound_data(self, data, initial):
        # Re-rendering a refused form parses the posted text again; show it as it was typed.
        if isinstance(data, str) and not self.disabled:
            if depth.json_depth(data, stop_after=depth.MAX_JSON_DEPTH) > depth.MAX_JSON_DEPTH:
                return InvalidJSONInput(data)
        return super().bound_data(data, initial)


class CheckedJSONField(models.JSONField):
    """A JSONField whose form measures nesting first (see :class:`CheckedJSONFormField`)."""

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": CheckedJSONFormField, **kwargs})
