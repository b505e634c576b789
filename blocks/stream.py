"""The stream block that holds an initiative's cards."""

from wagtail import blocks as wagtail_blocks

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
