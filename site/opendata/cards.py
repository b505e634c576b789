"""An initiative's cards as the API gives them: what the page shows, in the page's order.

Each card is serialised by its own block (``get_api_representation``, declared beside its
template in the card's module); this module adds what every card has — its id, type, label,
latest activity — and, for a card that charts sensor readings, where to read the series.
The cards are the page's own ``cards_for_display()``: the card policy's hidden types are
left out and the order is the one visitors see.
"""

from django.urls import reverse

from blocks.cards.base import api_moment


def api_cards(page, request=None):
    """The cards of ``page`` (an InitiativePage) as a list of JSON-ready dicts.

    Shape of each: ``{"id": str, "type": str, "label": str, "activity": ISO 8601 | None,
    "value": <the card type's own representation>, "readings": URL | None}``.
    """
    context = {"request": request, "page": page}
    cards = []
    for card in page.cards_for_display():
        block, value = card.child.block, card.child.value
        series = value.reading_series() if hasattr(value, "reading_series") else None
        readings = None
        if series is not None and card.child.id:
            readings = reverse(
                "opendata:card-readings", kwargs={"page_id": page.pk, "card_id": card.child.id}
            )
            if request is not None:
                readings = request.build_absolute_uri(readings)
        cards.append(
            {
                "id": card.card_id,
                "type": card.card_type,
                "label": str(block.meta.label or card.card_type),
                "activity": api_moment(card.activity),
                "value": block.get_api_representation(value, context=context),
                "readings": readings,
            }
        )
    return cards
