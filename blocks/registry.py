"""The registry of card types.

Card types are contributed through the Wagtail hook ``register_card_types``: each hook
function returns an iterable of :class:`CardType`. Ctylab's five built-in cards register
this way too (see ``blocks.apps``), so a card from another app is a peer of ours:

    from wagtail import hooks
    from blocks.registry import CardType

    @hooks.register("register_card_types")
    def my_cards():
        return [CardType("petition", PetitionCardBlock())]

The registry is read lazily, after all apps are ready, and the stream block of every
initiative page asks it for its children, so adding a card needs no migration.
"""

from dataclasses import dataclass, field

from wagtail import hooks

HOOK_NAME = "register_card_types"


@dataclass(frozen=True)
class CardType:
    name: str
    block: object  # a wagtail StructBlock instance whose value class is a CardValue
    searchable_fields: tuple = field(default=())

    def __post_init__(self):
        if not self.name.isidentifier() or self.name.startswith("_"):
            raise ValueError(f"Card type name {self.name!r} must be a Python identifier.")


class CardRegistry:
    def __init__(self):
        self._types = None

    def _load(self):
        types = {}
        for hook in hooks.get_hooks(HOOK_NAME):
            for card_type in hook():
                if card_type.name in types:
                    raise ValueError(f"Card type {card_type.name!r} is registered twice.")
                card_type.block.set_name(card_type.name)
                types[card_type.name] = card_type
        return types

    @property
    def types(self) -> dict:
        if self._types is None:
            self._types = self._load()
        return self._types

    def get(self, name):
        return self.types.get(name)

    def names(self):
        return list(self.types)

    def child_blocks(self) -> dict:
        return {name: card_type.block for name, card_type in self.types.items()}

    def reset(self):
        """Forget what was loaded (tests that register a card type call this)."""
        self._types = None


registry = CardRegistry()
