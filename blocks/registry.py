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

What a site allows of its card types is a :class:`CardPolicy`, contributed through the hook
``card_policy`` (the catalogue app switches types off this way); ``registry.policy(page)``
combines them. A policy decides validation and display only: it never changes the block
definition, so stored cards of a type that is switched off are never lost.
"""

from dataclasses import dataclass, field

from wagtail import hooks

HOOK_NAME = "register_card_types"
POLICY_HOOK_NAME = "card_policy"


@dataclass(frozen=True)
class CardType:
    name: str
    block: object  # a wagtail StructBlock instance whose value class is a CardValue
    searchable_fields: tuple = field(default=())

    def __post_init__(self):
        if not self.name.isidentifier() or self.name.startswith("_"):
            raise ValueError(f"Card type name {self.name!r} must be a Python identifier.")


class CardPolicy:
    """What a site allows of its card types. This default allows and shows everything.

    An app refines it through the ``card_policy`` hook: a function that takes the page being
    validated or shown (or None) and returns a CardPolicy. Each use (one page form, one page
    render) asks for a policy once, so a policy should load what it needs lazily and in one go.

    - ``allows_new(name)``: may an editor add a *new* card of this type? Cards of the type
      that are already stored stay as they are.
    - ``shows(name)``: are stored cards of this type shown to visitors?
    - ``additions(card)``: things shown after a card on the public page (for example the terms
      of its contract); each has a ``template``, included with ``addition`` in its context.
    """

    def allows_new(self, name):
        return True

    def shows(self, name):
        return True

    def additions(self, card):
        return ()


class CombinedPolicy(CardPolicy):
    """The policies of every app at once: a card type must be allowed by all of them."""

    def __init__(self, policies):
        self.policies = list(policies)

    def allows_new(self, name):
        return all(policy.allows_new(name) for policy in self.policies)

    def shows(self, name):
        return all(policy.shows(name) for policy in self.policies)

    def additions(self, card):
        return [addition for policy in self.policies for addition in policy.additions(card)]


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

    def policy(self, page=None) -> CardPolicy:
        """The combined policy of every ``card_policy`` hook, for ``page`` (or no page)."""
        return CombinedPolicy(hook(page) for hook in hooks.get_hooks(POLICY_HOOK_NAME))

    def reset(self):
        """Forget what was loaded (tests that register a card type call this)."""
        self._types = None


registry = CardRegistry()
