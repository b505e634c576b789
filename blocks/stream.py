"""The stream block that holds an initiative's cards."""

import json

from django.core.exceptions import ValidationError
from django.forms.utils import ErrorList
from django.utils.translation import gettext_lazy as _
from wagtail import blocks as wagtail_blocks
from wagtail.blocks.stream_block import StreamBlockValidationError

from .registry import registry


class CardStreamBlock(wagtail_blocks.StreamBlock):
    """A StreamBlock whose children are the registered card types.

    The children are looked up in the registry when first needed rather than fixed in the
    class, and the block deconstructs to this class with no children, so migrations do not
    freeze the list of card types: a new card type (from any app) needs no migration, and a
    card type is never removed from the definition by accident, which would make Wagtail drop
    stored content of that type on the next save.
    """

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    @property
    def child_blocks(self):
        return registry.child_blocks()

    @child_blocks.setter
    def child_blocks(self, value):
        # BaseStreamBlock.__init__ assigns the declared children; ours come from the registry.
        pass

    def deconstruct(self):
        return ("blocks.stream.CardStreamBlock", [], self._constructor_kwargs)

    def deconstruct_with_lookup(self, lookup):
        return self.deconstruct()

    @classmethod
    def construct_from_lookup(cls, lookup, *args, **kwargs):
        return cls(**kwargs)

    class Meta:
        icon = "table"


def card_keys(stream):
    """The (block id, type) of every card in a stream: a StreamValue, its raw list or JSON text.

    Raw data is read as stored, so stored cards are never converted (nor their data loaded).
    """
    raw = getattr(stream, "raw_data", stream)
    if isinstance(raw, str):
        raw = json.loads(raw or "[]")
    return {
        (item["id"], item.get("type"))
        for item in raw or ()
        if isinstance(item, dict) and item.get("id")
    }


def new_card_refusal(block):
    return _("New “%(type)s” cards cannot be added: this card type is switched off. Cards of this type that are already on the page stay.") % {
        "type": block.meta.label or block.name
    }


def refuse_new_cards(stream, stored_keys, policy):
    """Raise a StreamBlockValidationError for each new card of a type ``policy`` refuses.

    A card is new when its (block id, type) is not among ``stored_keys()``, the cards stored
    before this edit; those stay whatever the policy says, so switching a type off never loses
    content. ``stored_keys`` is only called when a refused type is present.
    """
    suspects = [
        (index, child) for index, child in enumerate(stream) if not policy.allows_new(child.block_type)
    ]
    if not suspects:
        return
    stored = stored_keys()
    errors = {
        index: ValidationError(new_card_refusal(child.block))
        for index, child in suspects
        if (child.id, child.block_type) not in stored
    }
    if errors:
        summary = sorted({str(error.message) for error in errors.values()})
        raise StreamBlockValidationError(
            block_errors=errors, non_block_errors=ErrorList([ValidationError(summary)])
        )
