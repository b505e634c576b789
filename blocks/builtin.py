"""Ctylab's own five card types, registered like any other app's cards."""

from .cards.election import ElectionCardBlock
from .cards.iot import IoTCardBlock
from .cards.map import MapCardBlock
from .cards.news import NewsCardBlock
from .cards.tender import TenderCardBlock
from .registry import CardType


def builtin_card_types():
    return [
        CardType("news", NewsCardBlock(), searchable_fields=("title", "items")),
        CardType("map", MapCardBlock(), searchable_fields=("title", "places")),
        CardType("iot", IoTCardBlock(), searchable_fields=("title", "device", "metric")),
        CardType("tender", TenderCardBlock(), searchable_fields=("title", "request", "description")),
        CardType("election", ElectionCardBlock(), searchable_fields=("title", "question", "description")),
    ]
