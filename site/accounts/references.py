"""What an admin form may newly refer to, and what a refused form shows again.

An editor of initiative A can hand-write any id into a form's chooser field, stream block or
rich-text link. Two rules close that, for every Wagtail admin form built on
:class:`ReferencesInScopeMixin` (the initiative and home page forms, the sensor devices' form:
every admin form of the project with a chooser, rich text or chooser blocks, as
tests/accounts/test_editor_permissions.py checks; a new snippet or viewset form mixes it in):

1. **Newly stored references must be in scope.** Every image, document, page (or other
   chooser model) the cleaned form refers to — foreign keys, chooser blocks at any depth of a
   stream, links and embeds in rich text, as Wagtail's reference index finds them — that was not
   already in the stored content (the draft the form started from, or the published row) must
   be one the user may refer to (:func:`may_refer_to`), else the field gets an error. Stored
   references stay, whoever put them there, so an edit never loses them.
2. **A refused form never shows what it refused.** Wagtail's chooser widgets, chooser blocks
   and the rich-text editor look up whatever id they are given to show its title, thumbnail or
   URL. Once a reference is refused, the form reads its posted data through :func:`scrub`, which
   empties refused choosers, drops refused chooser values inside streams and unlinks refused
   rich-text links and embeds; so nothing of initiative B is rendered back to A's editor.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

REFUSED = _("An image, document or page chosen here is not available to you. Choose again with the chooser.")


def reference_key(model, pk):
    """(model label, id as text), with every page type counted as a page."""
    from wagtail.models import Page

    model = Page if issubclass(model, Page) else model._meta.concrete_model
    return (model._meta.label_lower, str(pk))


def may_refer_to(user, model, pk):
    """Whether ``user`` may newly put a reference to this object in a form: what the admin's
    choosers offer them (images and documents they may choose: their initiative's collection;
    pages they may explore), and any page visitors may reach (``ctylab.reachable``).

    A model without a permission policy has nothing of an initiative's to show: allowed (its
    form field or chooser block still refuses ids that do not exist).
    """
    from wagtail.models import Page
    from wagtail.permissions import policy_registry

    from ctylab.reachable import reachable

    if user is None or user.is_superuser:
        return True
    if issubclass(model, Page):
        policy = policy_registry.get_by_type(Page)
        return (
            reachable(Page.objects.filter(pk=pk)).exists()
            or policy.explorable_instances(user).filter(pk=pk).exists()
        )
    instance = model._default_manager.filter(pk=pk).first()
    policy = policy_registry.get_by_type(model, fallback=False)
    if instance is None or policy is None:
        return True
    return policy.user_has_permission_for_instance(user, "choose", instance)


def field_references(field, value):
    """{(model, id as text)} the value of model ``field`` refers to (Wagtail's extraction)."""
    if value is None or value == "":
        return set()
    if isinstance(field, models.ForeignKey):
        pk = value.pk if isinstance(value, models.Model) else value
        return {(field.related_model, str(pk))}
    if hasattr(field, "extract_references"):
        return {(model, str(pk)) for model, pk, _path, _content_path in field.extract_references(value)}
    return set()


# --- what a refused form shows ---------------------------------------------------------------


def scrub(widget, value, refused):
    """``value`` as ``widget`` read it from the posted data, without the ``refused`` keys."""
    from wagtail.admin.rich_text import DraftailRichTextArea
    from wagtail.admin.widgets.chooser import BaseChooser
    from wagtail.blocks.base import BlockWidget

    if value is None:
        return value
    if isinstance(widget, BaseChooser):
        return None if reference_key(widget.model_class, value) in refused else value
    if isinstance(widget, BlockWidget):
        return scrub_block_value(widget.block_def, value, refused)
    if isinstance(widget, DraftailRichTextArea) and isinstance(value, str):
        return scrub_rich_text(value, refused)
    return value


def scrub_block_value(block, value, refused):
    """A block's value (as read from a form) with refused chooser values emptied, at any depth."""
    from wagtail import blocks as wagtail_blocks
    from wagtail.rich_text import RichText

    if value is None:
        return value
    if isinstance(block, wagtail_blocks.ChooserBlock):
        pk = getattr(value, "pk", value)
        return None if reference_key(block.model_class, pk) in refused else value
    if isinstance(block, wagtail_blocks.RichTextBlock) and isinstance(value, RichText):
        return RichText(scrub_rich_text(value.source, refused))
    if isinstance(block, wagtail_blocks.StructBlock) and hasattr(value, "keys"):
        for name, child in block.child_blocks.items():
            if name in value:
                value[name] = scrub_block_value(child, value[name], refused)
    elif isinstance(block, wagtail_blocks.ListBlock) and hasattr(value, "bound_blocks"):
        for child in value.bound_blocks:
            child.value = scrub_block_value(block.child_block, child.value, refused)
    elif isinstance(block, wagtail_blocks.BaseStreamBlock) and hasattr(value, "_bound_blocks"):
        for child in value:
            child.value = scrub_block_value(child.block, child.value, refused)
    return value


def scrub_rich_text(html, refused):
    """Rich text (database format) with refused links unlinked and refused embeds removed."""
    from wagtail.rich_text import features
    from wagtail.rich_text.rewriters import FIND_A_TAG, FIND_EMBED_TAG, extract_attrs

    def refused_by(handlers, attrs, kind):
        handler = handlers.get(attrs.get(kind))
        if handler is None or "id" not in attrs:
            return False
        try:
            model = handler.get_model()
        except (NotImplementedError, AttributeError):
            return False
        return reference_key(model, attrs["id"]) in refused

    links, embeds = features.get_link_types(), features.get_embed_types()
    html = FIND_A_TAG.sub(
        lambda m: "<a>" if refused_by(links, extract_attrs(m.group(1)), "linktype") else m.group(0), html
    )
    return FIND_EMBED_TAG.sub(
        lambda m: "" if refused_by(embeds, extract_attrs(m.group(1)), "embedtype") else m.group(0), html
    )


class ReferencesInScopeMixin:
    """For a ``WagtailAdminModelForm``: refuse new references outside the user's scope, and
    never show them again (see the module's docstring)."""

    refused_message = REFUSED

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.refused_references = set()
        # The values the form starts from (for a page: its latest draft), before the form
        # writes the posted ones into the instance.
        self._values_before = {
            field.name: getattr(self.instance, field.attname, None) for field in self._reference_fields()
        }

    def _reference_fields(self):
        names = set(self.fields)
        return [
            field
            for field in self._meta.model._meta.concrete_fields
            if field.name in names and (isinstance(field, models.ForeignKey) or hasattr(field, "extract_references"))
        ]

    def _stored_references(self, field):
        stored = set()
        for value in (self._values_before.get(field.name),):
            stored |= field_references(field, value)
        if self.instance.pk:
            row = type(self.instance)._default_manager.filter(pk=self.instance.pk).only(field.attname).first()
            if row is not None:
                stored |= field_references(field, getattr(row, field.attname))
        return {reference_key(model, pk) for model, pk in stored}

    def clean(self):
        cleaned_data = super().clean()
        user = getattr(self, "for_user", None)
        if user is None or user.is_superuser:
            return cleaned_data
        for field in self._reference_fields():
            if field.name not in cleaned_data or field.name in self.errors:
                continue
            new = field_references(field, cleaned_data[field.name])
            if not new:
                continue
            stored = self._stored_references(field)
            refused = {
                reference_key(model, pk)
                for model, pk in new
                if reference_key(model, pk) not in stored and not may_refer_to(user, model, pk)
            }
            if refused:
                self.refused_references |= refused
                self.add_error(field.name, ValidationError(self.refused_message, code="not_in_scope"))
        return cleaned_data

    def _widget_data_value(self, widget, html_name):
        value = super()._widget_data_value(widget, html_name)
        if self.refused_references:
            value = scrub(widget, value, self.refused_references)
        return value

