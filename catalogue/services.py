"""What people do with the catalogue, one function each.

- ``sync_card_types``: give every registered card type its catalogue row (automatic).
- ``add_card``: an editor adds a card, or a preset, to one of their pages as a draft.
- ``usage_by_type``: where each card type is used, for the site admins' overview.
- ``log_changes``: record who changed what in a catalogue entry (Wagtail's log entries).
- ``start_initiative``: an editor creates a new page of cards from a starter, as a draft.
"""

import uuid
from collections import Counter
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Model
from django.utils import translation
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from wagtail.coreutils import find_available_slug
from wagtail.log_actions import LogContext, log
from wagtail.models import Page, Revision, get_page_models
from wagtail.permission_policies.pages import PagePermissionPolicy

from blocks.fields import CardStreamField
from blocks.registry import registry
from blocks.stream import card_keys, new_card_refusal

from .contract import materialise
from .models import CardContract, CardTypeEntry, Starter
from .validators import error_messages

# --- card types ---------------------------------------------------------------------------


def entry_defaults(card_type):
    """A new catalogue row's texts, from the block's own Meta (label, description, group)."""
    meta = card_type.block.meta

    def texts():
        return str(meta.label or ""), str(getattr(meta, "description", None) or "")

    with translation.override("en"):
        name_en, description_en = texts()
        category = str(getattr(meta, "group", None) or "")
    with translation.override("nl"):
        name_nl, description_nl = texts()
    return {
        "display_name_en": name_en[:80],
        "display_name_nl": "" if name_nl == name_en else name_nl[:80],
        "description_en": description_en[:600],
        "description_nl": "" if description_nl == description_en else description_nl[:600],
        "category": category[:60],
        "icon": str(getattr(meta, "icon", "") or "")[:60],
    }


def sync_card_types():
    """Create the catalogue rows of registered card types that have none; return them.

    Rows are never deleted: a card type whose code is gone keeps its row (shown as missing),
    its settings and its history, and picks them up again if the code comes back.
    """
    known = set(CardTypeEntry.objects.values_list("name", flat=True))
    created = []
    for name, card_type in registry.types.items():
        if name in known:
            continue
        entry, is_new = CardTypeEntry.objects.get_or_create(name=name, defaults=entry_defaults(card_type))
        if is_new:
            # Done by the system, whoever's request happened to trigger it.
            with LogContext(user=None):
                log(instance=entry, action="catalogue.register", data={"name": name})
            created.append(entry)
    return created


# --- pages that hold cards ----------------------------------------------------------------


def card_field_name(model):
    """The name of the model's card stream field, or None."""
    for model_field in model._meta.get_fields():
        if isinstance(model_field, CardStreamField):
            return model_field.name
    return None


def card_page_models():
    return [model for model in get_page_models() if card_field_name(model)]


def live_pages_with_card_type(name):
    """Ids of the live pages whose published cards include one of type ``name``."""
    found = []
    for model in card_page_models():
        rows = model.objects.live().values_list("pk", card_field_name(model))
        found.extend(pk for pk, cards in rows if any(kind == name for _id, kind in card_keys(cards)))
    return found


def pages_for_cards(user):
    """The pages that hold cards and that ``user`` may edit, by title."""
    editable = PagePermissionPolicy().instances_user_has_permission_for(user, "change")
    content_types = ContentType.objects.get_for_models(*card_page_models()).values()
    return editable.filter(content_type__in=content_types).order_by("title", "pk")


def new_card_value(entry, preset=None):
    """The raw value of a new card: the block's defaults, then the type's, then the preset's."""
    block = entry.block
    raw = block.get_prep_value(block.get_default())
    raw.update(entry.default_values or {})
    if preset is not None:
        raw.update(preset.values or {})
    return block.get_prep_value(block.to_python(raw))


def add_card(page, user, entry=None, preset=None, today=None):
    """Append a new card of ``entry``'s type (or from ``preset``) to the page's latest draft.

    The card and its contract (from the preset or the type's template) land in a new draft
    revision; the editor reviews and publishes it in the page editor. Returns
    ``(revision, block_id)``. Raises PermissionDenied if ``user`` may not edit the page, and
    ValidationError (with a message for the editor) if the card cannot be added.
    """
    page = page.specific
    if preset is not None:
        if preset.retired:
            raise ValidationError(_("The preset “%(name)s” is retired.") % {"name": preset.name})
        entry = preset.card_type
    if entry.block is None:
        raise ValidationError(
            _("The “%(type)s” card type is no longer installed, so it cannot be added.") % {"type": entry.name}
        )
    field_name = card_field_name(type(page))
    if field_name is None:
        raise ValidationError(_("“%(page)s” cannot hold cards.") % {"page": page.title})
    if not page.permissions_for_user(user).can_edit():
        raise PermissionDenied(_("You may not edit “%(page)s”.") % {"page": page.title})
    lock = page.get_lock()
    if lock and lock.for_user(user):
        raise PermissionDenied(lock.get_message(user))
    if not registry.policy(page).allows_new(entry.name):
        raise ValidationError(new_card_refusal(entry.block))

    value = new_card_value(entry, preset)
    template = preset.contract_terms if preset is not None else entry.contract
    terms = materialise(template.raw_data, today)
    block_id = str(uuid.uuid4())
    with transaction.atomic():
        # Locked, so two cards added at once both land in the draft.
        locked = type(page).objects.select_for_update().get(pk=page.pk)
        draft = locked.get_latest_revision_as_object()
        stream = getattr(draft, field_name)
        setattr(draft, field_name, [*stream.raw_data, {"type": entry.name, "value": value, "id": block_id}])
        revision = draft.save_revision(user=user, log_action=True)
        if terms:
            CardContract.objects.create(page_id=page.pk, block_id=block_id, card_type=entry, terms=terms)
        log(
            instance=locked,
            action="catalogue.add_card",
            user=user,
            revision=revision,
            data={
                "card_type": entry.name,
                "label": str(entry.display_name),
                "preset": preset.name if preset is not None else None,
                "block_id": block_id,
                "contract": bool(terms),
            },
        )
    return revision, block_id


# --- where card types are used -------------------------------------------------------------


@dataclass
class Usage:
    cards: int = 0
    pages: list = field(default_factory=list)  # (page id, title), by title


def usage_by_type():
    """Map each card type name to its Usage: cards and pages, published or in a draft.

    Two queries in all: the pages' stored cards, and the latest revisions of pages that have
    unpublished changes.
    """
    found = {}  # name -> {page id: (title, count)}
    for model in card_page_models():
        name = card_field_name(model)
        rows = list(
            model.objects.values_list("pk", "title", name, "latest_revision_id", "has_unpublished_changes")
        )
        drafts = dict(
            Revision.objects.filter(
                pk__in=[row[3] for row in rows if row[4] and row[3]]
            ).values_list("pk", "content")
        )
        for pk, title, cards, latest_revision_id, has_drafts in rows:
            keys = card_keys(cards)
            if has_drafts and latest_revision_id in drafts:
                keys |= card_keys((drafts[latest_revision_id] or {}).get(name) or [])
            for type_name, count in Counter(kind for _id, kind in keys).items():
                found.setdefault(type_name, {})[pk] = (title, count)
    usage = {}
    for type_name, pages in found.items():
        ordered = sorted(pages.items(), key=lambda item: (item[1][0].casefold(), item[0]))
        usage[type_name] = Usage(
            cards=sum(count for _title, count in pages.values()),
            pages=[(pk, title) for pk, (title, _count) in ordered],
        )
    return usage


# --- history --------------------------------------------------------------------------------


def _loggable(value):
    if isinstance(value, Model):
        return value.pk
    if hasattr(value, "raw_data"):
        return list(value.raw_data)
    return value


TOGGLES = {"enabled": ("catalogue.enable", "catalogue.disable"), "retired": ("catalogue.retire", "catalogue.reinstate")}


def log_changes(instance, form, user=None):
    """Record which fields of ``instance`` a form changed, before and after, and by whom."""
    changes = {
        name: {"before": _loggable(form.initial.get(name)), "after": _loggable(form.cleaned_data.get(name))}
        for name in form.changed_data
    }
    if not changes:
        return
    log(instance=instance, action="catalogue.edit", user=user, data={"changes": changes})
    for name, (when_true, when_false) in TOGGLES.items():
        if name in changes:
            log(instance=instance, action=when_true if getattr(instance, name) else when_false, user=user)


def editable_page(user, page_id):
    """The page ``page_id`` if it holds cards and ``user`` may edit it; else PermissionDenied."""
    page = Page.objects.filter(pk=page_id).first()
    if page is None or page.specific_class is None or not card_field_name(page.specific_class):
        raise PermissionDenied
    page = page.specific
    if not page.permissions_for_user(user).can_edit():
        raise PermissionDenied
    return page


# --- starters: a new initiative in one step -------------------------------------------------


def starter_page_model(parent):
    """The page type a starter creates under ``parent``: the first card page it allows, or None.

    The catalogue knows page types only as "pages that hold cards" (``card_page_models``), so
    any app's card page works; on Ctylab that is the initiative.
    """
    specific_class = parent.specific_class
    if specific_class is None:
        return None
    for model in card_page_models():
        if model.can_create_at(parent) and model in specific_class.creatable_subpage_models():
            return model
    return None


def starter_parents(user):
    """The pages under which ``user`` may create a page from a starter, in tree order.

    Wagtail's own rule for "Add child page": the user's add permission on the parent, and a
    card page type the parent accepts.
    """
    addable = PagePermissionPolicy().instances_user_has_permission_for(user, "add")
    parent_models = [
        model
        for model in get_page_models()
        if any(card_model in model.creatable_subpage_models() for card_model in card_page_models())
    ]
    content_types = ContentType.objects.get_for_models(*parent_models).values()
    return addable.filter(content_type__in=content_types).order_by("path")


def offered_starters():
    return Starter.objects.filter(retired=False).order_by("position", "name")


def _place(page_fields):
    latitude, longitude = page_fields.get("latitude"), page_fields.get("longitude")
    if latitude is None or longitude is None:
        return None
    return {
        "label": page_fields.get("title") or "",
        "description": "",
        "latitude": float(latitude),
        "longitude": float(longitude),
    }


def _named_problems(block, error):
    """A card's validation messages, each after the label of the field it is about."""
    nested = getattr(error, "block_errors", None)
    if not isinstance(nested, dict):
        return error_messages(error)
    problems = []
    for name, sub in nested.items():
        child = block.child_blocks.get(name)
        label = child.label if child is not None else name
        problems += [f"{label}: {message}" for message in error_messages(sub)]
    non_block = getattr(error, "non_block_errors", None)
    for sub in non_block.as_data() if hasattr(non_block, "as_data") else non_block or ():
        problems += error_messages(sub)
    return problems


def starter_cards(starter, policy, place=None):
    """The cards of a new page from ``starter``: ``[(preset, raw card)]``, each one validated.

    A map card without places starts at ``place`` (the initiative's own). Raises
    ValidationError, with a message naming the preset, when a preset is retired, its card type
    is not installed or switched off, or its values do not make a card that can be published.
    """
    cards = []
    rows = starter.cards.select_related("preset__card_type").order_by("sort_order", "pk")
    for row in rows:
        preset = row.preset
        entry = preset.card_type
        if preset.retired:
            raise ValidationError(_("The preset “%(name)s” is retired.") % {"name": preset.name})
        if entry.block is None:
            raise ValidationError(
                _("The “%(type)s” card type of the preset “%(name)s” is no longer installed.")
                % {"type": entry.name, "name": preset.name}
            )
        if not policy.allows_new(entry.name):
            raise ValidationError(
                _("The preset “%(name)s” cannot be used: %(reason)s")
                % {"name": preset.name, "reason": new_card_refusal(entry.block)}
            )
        block = entry.block
        value = new_card_value(entry, preset)
        if place is not None and "places" in block.child_blocks and not value.get("places"):
            value["places"] = [place]
        try:
            block.clean(block.to_python(value))
        except ValidationError as error:
            raise ValidationError(
                _("The preset “%(name)s” does not make a card that can be published: %(problems)s")
                % {"name": preset.name, "problems": " ".join(_named_problems(block, error))}
            ) from None
        cards.append((preset, {"type": entry.name, "value": block.get_prep_value(block.to_python(value)),
                               "id": str(uuid.uuid4())}))
    return cards


def start_initiative(user, parent, starter, page_fields, today=None):
    """Create a page under ``parent`` with the cards of ``starter``, as a draft; return it.

    ``page_fields`` are the new page's fields by name (``title`` required; on an initiative
    also ``summary``, ``municipality``, ``latitude`` and ``longitude``); fields the page type
    does not have are ignored. Each card is a copy of its preset (values and, as adding a
    preset to a page does, its own copy of the contract). The editor lands in the page editor
    and publishes from there. Raises PermissionDenied where ``user`` may not add the page (as
    Wagtail's "Add child page" decides), and ValidationError, with a message for the editor,
    when the starter cannot be used or the fields are invalid; then nothing is created.
    """
    parent = parent.specific
    model = starter_page_model(parent)
    if model is None or not parent.permissions_for_user(user).can_add_subpage():
        raise PermissionDenied(_("You may not add an initiative under “%(page)s”.") % {"page": parent.title})
    if starter.retired:
        raise ValidationError(_("The starter “%(name)s” is retired.") % {"name": starter.name})
    title = (page_fields.get("title") or "").strip()
    if not title:
        raise ValidationError(_("Give the initiative a title."))
    cards = starter_cards(starter, registry.policy(None), _place(page_fields))
    if not cards:
        raise ValidationError(_("The starter “%(name)s” has no cards.") % {"name": starter.name})

    field_names = {model_field.name for model_field in model._meta.get_fields()}
    page = model(
        **{name: value for name, value in page_fields.items() if name in field_names},
        slug=find_available_slug(parent, slugify(title) or "initiative"),
        live=False,
        owner=user,
    )
    setattr(page, card_field_name(model), [raw for _preset, raw in cards])
    with transaction.atomic():
        parent.add_child(instance=page)  # validates the page (Page.full_clean) before saving
        revision = page.save_revision(user=user, log_action=False)
        log(instance=page, action="wagtail.create", user=user, revision=revision, content_changed=True)
        for preset, raw in cards:
            terms = materialise(preset.contract_terms.raw_data, today)
            if terms:
                CardContract.objects.create(
                    page_id=page.pk, block_id=raw["id"], card_type=preset.card_type, terms=terms
                )
        log(
            instance=page,
            action="catalogue.start",
            user=user,
            revision=revision,
            data={"starter": starter.name, "presets": [preset.name for preset, _raw in cards]},
        )
    return page
