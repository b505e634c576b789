"""When did something last happen on a page of cards, card by card; and until when does it
look the same.

The one place a card gets its activity time, for the page, its search documents and the
clock alike (all through the card pipeline, ``blocks.pipeline``). A card's own content gives some moments (news dates, sensor readings,
deadlines: its value's ``latest_activity`` and ``next_moment``, see ``blocks.cards.base``);
for the rest, the page stamps each card with the moment an editor last changed it. Stamps
are kept by block id (``InitiativePage.card_stamps``) and recomputed on every save of the
cards.
"""

import json
from dataclasses import dataclass, field
from datetime import datetime

from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone

from .localtime import EARLIER, SHIFT_FORWARD, make_aware


@dataclass
class Card:
    """A card as the public page shows it: the stream child and its latest activity."""

    child: object
    activity: datetime | None
    position: int
    # Shown after the card, from the card policies (blocks.registry.CardPolicy.additions).
    additions: list = field(default_factory=list)
    # What another app shows inside the card (an election run by governance), or None.
    live: object = None

    @property
    def card_id(self):
        return self.child.id or f"position-{self.position}"

    @property
    def card_type(self):
        return self.child.block_type


def _canonical(raw_value):
    return json.dumps(raw_value, cls=DjangoJSONEncoder, sort_keys=True)


def stamp_changes(old_raw, new_raw, old_stamps, now=None):
    """Stamps for the cards in ``new_raw``: kept where a card is unchanged, ``now`` otherwise."""
    now_iso = (now or timezone.now()).isoformat()
    before = {item.get("id"): _canonical(item.get("value")) for item in old_raw or [] if item.get("id")}
    stamps = {}
    for item in new_raw:
        block_id = item.get("id")
        if not block_id:
            continue
        unchanged = before.get(block_id) == _canonical(item.get("value"))
        stamps[block_id] = old_stamps.get(block_id, now_iso) if unchanged else now_iso
    return stamps


def parse_stamp(value):
    """A stored stamp as an aware datetime, or None when missing or unreadable."""
    if not value:
        return None
    try:
        stamp = datetime.fromisoformat(value)
    except (TypeError, ValueError):
        return None
    # Stamps are written with their offset; one without is read as the clocks would.
    return make_aware(stamp, nonexistent=SHIFT_FORWARD, ambiguous=EARLIER)


def cards_with_activity(stream, stamps, now=None):
    now = now or timezone.now()
    cards = []
    for position, child in enumerate(stream):
        changed_at = parse_stamp(stamps.get(child.id)) if child.id else None
        value = child.value
        activity = (
            value.latest_activity(changed_at, now) if hasattr(value, "latest_activity") else changed_at
        )
        cards.append(Card(child=child, activity=activity, position=position))
    return cards


def by_activity(cards):
    """Latest activity first; cards without any activity last; ties keep the editor's order."""
    return sorted(
        cards,
        key=lambda card: (card.activity is None, -(card.activity.timestamp()) if card.activity else 0),
    )


def seconds_fresh(cards, now=None):
    """How long a rendering of ``cards`` (as shown, with their ``live`` contexts) stays what a
    fresh render would show, in whole seconds; None when only an announced change alters it.

    The earliest of each card's next moment (a deadline, a vote opening), the moment its live
    context changes by itself (``changes_at``) and the card's ``live_for`` (sensor readings).
    """
    now = now or timezone.now()
    limits = []
    for card in cards:
        value = card.child.value
        moments = [getattr(card.live, "changes_at", None)]
        if hasattr(value, "next_moment"):
            moments.append(value.next_moment(now))
        limits.extend((moment - now).total_seconds() for moment in moments if moment is not None)
        if getattr(value, "live_for", None) is not None:
            limits.append(value.live_for)
    return max(0, int(min(limits))) if limits else None

