"""What happens to cards beyond their content: the ``card_lifecycle`` extension point.

Some cards stand for something another app runs (an election card *is* a vote that the
governance app holds). That app follows the card through its life by contributing a
:class:`CardLifecycle` through the Wagtail hook ``card_lifecycle``:

    from wagtail import hooks
    from blocks.lifecycle import CardLifecycle

    class VoteLifecycle(CardLifecycle):
        def check(self, page, cards): ...
        def published(self, page, user=None): ...
        def refusals(self, pages, action): ...   # pages: the page and the descendants reached

    @hooks.register("card_lifecycle")
    def vote_lifecycle():
        return VoteLifecycle()

``blocks`` never imports such an app: the page form asks :func:`check_cards` before any save,
the page's ``page_published`` receiver calls :func:`cards_published`, and every way a page
can leave the site asks :func:`refusals` first: the admin's unpublish, delete and move views,
Wagtail's bulk actions (see ``blocks.wagtail_hooks``) and scheduled expiry (the
``publish_scheduled`` command of ``initiatives``). Unpublishing with descendants, deleting and
moving reach a page's whole subtree, so the descendants are asked too.
"""

from django.core.exceptions import ValidationError
from django.forms.utils import ErrorList
from wagtail import hooks
from wagtail.blocks.stream_block import StreamBlockValidationError

HOOK_NAME = "card_lifecycle"
UNPUBLISH, DELETE, MOVE = "unpublish", "delete", "move"


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
    - ``refusals(pages, action)``: messages saying why the pages of ``pages`` (a queryset of
      ``wagtail.models.Page``: the page acted on and the descendants the action reaches) may
      not be unpublished (``action == "unpublish"``), deleted (``"delete"``) or moved
      (``"move"``) now; empty when they may. One query for the lot, however large the subtree.
    """

    def check(self, page, cards):
        return {}, []

    def published(self, page, user=None):
        return None

    def refusals(self, pages, action):
        return []

    def expiry_refusals(self, page, cards, expire_at):
        """Messages saying why ``page`` with ``cards`` may not expire at ``expire_at`` (an
        aware datetime); empty when it may. Nothing may be written here."""
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


def affected_pages(pages, with_descendants):
    """A queryset of ``pages`` (pages or ids) and, if ``with_descendants``, their subtrees."""
    from wagtail.models import Page

    pages = list(pages)
    ids = [getattr(page, "pk", page) for page in pages]
    affected = Page.objects.filter(pk__in=ids)
    if with_descendants:
        for page in Page.objects.filter(pk__in=ids).only("path", "depth"):
            affected = affected | Page.objects.descendant_of(page)
    return affected


def expiry_refusals(page, cards, expire_at):
    """Why ``page`` with ``cards`` may not expire at ``expire_at``, from every lifecycle."""
    return [message for lifecycle in lifecycles() for message in lifecycle.expiry_refusals(page, cards, expire_at)]


def refusals(pages, action, with_descendants=False):
    """Why ``pages`` (and their descendants if the action reaches them) may not be
    unpublished, deleted or moved now, from every lifecycle (empty: they may)."""
    affected = affected_pages(pages, with_descendants)
    return [message for lifecycle in lifecycles() for message in lifecycle.refusals(affected, action)]
