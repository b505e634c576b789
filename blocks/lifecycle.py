"""What happens to cards beyond their content: the ``card_lifecycle`` extension point.

Some cards stand for something another app runs (an election card *is* a vote that the
governance app holds). That app follows the card through its life by contributing a
:class:`CardLifecycle` through the Wagtail hook ``card_lifecycle``:

    from wagtail import hooks
    from blocks.lifecycle import CardLifecycle

    class VoteLifecycle(CardLifecycle):
        def check(self, page, cards): ...
        def published(self, page, user=None): ...
        def refusals(self, page, action): ...

    @hooks.register("card_lifecycle")
    def vote_lifecycle():
        return VoteLifecycle()

``blocks`` never imports such an app: the page form asks :func:`check_cards` before any save,
the page's ``page_published`` receiver calls :func:`cards_published`, and the admin's unpublish
and delete views ask :func:`refusals` (see ``blocks.wagtail_hooks``).
"""

from django.core.exceptions import ValidationError
from django.forms.utils import ErrorList
from wagtail import hooks
from wagtail.blocks.stream_block import StreamBlockValidationError

HOOK_NAME = "card_lifecycle"
UNPUBLISH, DELETE = "unpublish", "delete"


class CardLifecycle:
    """One app's view of the cards of a page. This default has no opinion.

    - ``check(page, cards)``: the page form is about to store ``cards`` (a StreamValue) for
      ``page`` (unsaved pages have no pk). Return ``{index: ValidationError}`` for cards that
      must not be stored as they are (a ``StructBlockValidationError`` puts messages at the
      card's fields) and a list of messages about the page's cards as a whole (for example a
      card that was removed but may not be). Nothing may be written here.
    - ``published(page, user)``: ``page`` was just published (inside the publishing
      transaction) by ``user`` (None for scheduled publishing); bring what the cards stand for
      in line with them.
    - ``refusals(page, action)``: messages saying why ``page`` may not be unpublished
      (``action == "unpublish"``) or deleted (``"delete"``) now; empty when it may.
    """

    def check(self, page, cards):
        return {}, []

    def published(self, page, user=None):
        return None

    def refusals(self, page, action):
        return []


def lifecycles():
    return [hook() for hook in hooks.get_hooks(HOOK_NAME)]


def check_cards(page, cards):
    """Raise a StreamBlockValidationError with every lifecycle's objections to ``cards``."""
    block_errors, page_errors = {}, []
    for lifecycle in lifecycles():
        errors, messages = lifecycle.check(page, cards)
        for index, error in (errors or {}).items():
            block_errors.setdefault(index, error)
        page_errors.extend(messages or ())
    if block_errors or page_errors:
        raise StreamBlockValidationError(
            block_errors=block_errors,
            non_block_errors=ErrorList([ValidationError(message) for message in page_errors]),
        )


def cards_published(page, user=None):
    for lifecycle in lifecycles():
        lifecycle.published(page, user)


def refusals(page, action):
    """Why ``page`` may not be unpublished or deleted now, from every lifecycle (empty: it may)."""
    return [message for lifecycle in lifecycles() for message in lifecycle.refusals(page, action)]
