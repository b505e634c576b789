"""The catalogue's card policy: which card types may be added, which are shown, and contracts.

Registered for the ``card_policy`` hook (see ``blocks.registry.CardPolicy``). Everything a page
needs from the catalogue — the state of every card type and the contracts of the page's cards —
comes from one query, made the first time the policy is asked, so the catalogue costs a page
at most one query per request whatever the number of cards.
"""

from django.db.models import FilteredRelation, Q
from django.utils.functional import cached_property

from blocks.registry import CardPolicy

from .contract import CardContractTerms
from .models import CardTypeEntry, WhenDisabled


class CataloguePolicy(CardPolicy):
    def __init__(self, page=None):
        self.page_id = getattr(page, "pk", None)

    @cached_property
    def _loaded(self):
        fields = ["name", "enabled", "when_disabled"]
        rows = CardTypeEntry.objects.order_by()
        if self.page_id:
            rows = rows.annotate(
                page_contract=FilteredRelation("contracts", condition=Q(contracts__page_id=self.page_id))
            )
            fields += ["page_contract__block_id", "page_contract__terms"]
        states, contracts = {}, {}
        for row in rows.values_list(*fields):
            name, enabled, when_disabled = row[:3]
            states[name] = (enabled, when_disabled)
            if self.page_id and row[3]:
                contracts[row[3]] = (name, row[4])
        return states, contracts

    def allows_new(self, name):
        enabled, _when_disabled = self._loaded[0].get(name, (True, WhenDisabled.KEEP))
        return enabled

    def shows(self, name):
        return self.shown(*self._loaded[0].get(name, (True, WhenDisabled.KEEP)))

    @staticmethod
    def shown(enabled, when_disabled):
        """Whether visitors see stored cards of a type in this state."""
        return enabled or when_disabled != WhenDisabled.HIDE

    def additions(self, card):
        found = self._loaded[1].get(card.child.id) if card.child.id else None
        if not found:
            return ()
        card_type, terms = found
        if card_type != card.card_type or not len(terms):
            return ()
        return (CardContractTerms(card, terms),)


def catalogue_policy(page=None):
    return CataloguePolicy(page)
