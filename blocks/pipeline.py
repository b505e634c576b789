"""The one card pipeline: from a page's stored card stream to the cards a visitor sees.

Every place that shows or describes a page's cards goes through :func:`cards_for_display` —
the public page (``initiatives.models.InitiativePage.get_context``), the search documents
(``search.documents``), the open-data API and the clock that re-sorts initiatives
(:func:`page_activity`) — so they agree on which cards there are and when each last saw
activity. The steps, in order:

1. **activity** — each card with its latest activity time (``blocks.activity``: the card
   value's ``latest_activity``, else the moment an editor last changed it);
2. **policy** — cards of a type the site's card policy hides are dropped
   (``blocks.registry.CardPolicy.shows``);
3. **additions** — what the policy shows after a card, such as its contract's terms
   (``CardPolicy.additions``);
4. **live** — what another app shows inside a card (an election run by governance, a tender
   taking quotes), asked once per page per hook through the hook its value class names in
   ``live_context_hook`` (:func:`live_contexts`); only for a visitor's request;
5. **order** — most recent activity first, or the editor's order (the page's ``card_order``).

No card type is named here: what a card contributes is declared on its value class
(``blocks.cards.base.CardValue``).
"""

from collections import defaultdict

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from . import activity
from .registry import registry


class CardOrder(models.TextChoices):
    """How a page orders its cards for visitors (the page's ``card_order``)."""

    MANUAL = "manual", _("In the order I put them")
    ACTIVITY = "activity", _("Most recent activity first")


def live_contexts(page, request, children):
    """What other apps show inside the cards ``children`` of ``page``, by block id.

    A card's value names a Wagtail hook in ``live_context_hook`` (None: nothing live). Each
    such hook is asked once, as ``hook(page, request, block_ids)`` with the ids of every card
    on the page that names it, so it can load what it needs in one go, and returns a mapping
    of block id to a context with a ``template``; the card shows that template (with the
    context as ``live``) instead of its own status. Cards without a context keep their own
    display.
    """
    wanted = defaultdict(list)
    for child in children:
        hook_name = getattr(child.value, "live_context_hook", None)
        if hook_name and child.id:
            wanted[hook_name].append(child.id)
    contexts = {}
    for hook_name, block_ids in wanted.items():
        for hook in hooks.get_hooks(hook_name):
            contexts.update(hook(page, request, block_ids) or {})
    return contexts


def cards_for_display(page, request=None, now=None, *, live=None, policy=None):
    """The cards of ``page`` a visitor sees, as :class:`blocks.activity.Card` objects, in the
    page's order, with their additions and (for a request) their live contexts.

    ``page`` has ``cards`` (a card stream), ``card_stamps`` (block id → ISO moment of the
    last edit) and ``card_order`` (a :class:`CardOrder`). ``live`` defaults to whether a
    ``request`` is given: live contexts depend on the visitor and cost queries, which search
    documents and the activity clock do not need. ``policy`` is asked for once otherwise
    (``registry.policy(page)``, one query for the catalogue). Query cost: the policy's, plus
    each live hook's, whatever the number of cards.
    """
    now = now or timezone.now()
    policy = policy if policy is not None else registry.policy(page)
    cards = [
        card
        for card in activity.cards_with_activity(page.cards, getattr(page, "card_stamps", None) or {}, now)
        if policy.shows(card.card_type)
    ]
    for card in cards:
        card.additions = list(policy.additions(card))
    if live if live is not None else request is not None:
        found = live_contexts(page, request, [card.child for card in cards])
        for card in cards:
            card.live = found.get(card.child.id)
    if getattr(page, "card_order", CardOrder.MANUAL) == CardOrder.ACTIVITY:
        return activity.by_activity(cards)
    return cards


def page_activity(cards, now=None):
    """``(latest activity, next moment)`` of a page showing ``cards`` (from
    :func:`cards_for_display`): the latest of their activity times and the earliest moment
    one of them will count as activity (a deadline, an opening), each None when there is none.
    """
    now = now or timezone.now()
    moments = [card.activity for card in cards if card.activity]
    upcoming = [
        moment
        for card in cards
        if hasattr(card.child.value, "next_moment") and (moment := card.child.value.next_moment(now))
    ]
    return (max(moments) if moments else None), (min(upcoming) if upcoming else None)
