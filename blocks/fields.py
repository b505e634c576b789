"""The model field that holds cards."""

from wagtail.fields import StreamField

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
