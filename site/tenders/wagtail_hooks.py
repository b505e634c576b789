from wagtail import hooks

from blocks.cards.tender import CONTEXT_HOOK_NAME

from .live import tender_card_context

# The initiative page asks once for all its tender cards; they take quotes through us.
hooks.register(CONTEXT_HOOK_NAME, tender_card_context)


@hooks.register("register_admin_viewset")
def register_tender_viewset():
    from .viewsets import TenderAdminViewSet

    return TenderAdminViewSet("tenders")
