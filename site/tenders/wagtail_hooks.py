from wagtail import hooks

from blocks.cards.tender import CONTEXT_HOOK_NAME
from governance.external_votes import HOOK_NAME as VOTE_ENDED_HOOK_NAME

from .live import tender_card_context
from .services.award_vote import vote_ended
from .your_data import tender_data

# The initiative page asks once for all its tender cards; they take quotes through us.
hooks.register(CONTEXT_HOOK_NAME, tender_card_context)
# A members' vote on an award ends: award the chosen quote (or leave it to the frontrunners).
hooks.register(VOTE_ENDED_HOOK_NAME, vote_ended)
# A bidder's quotes, receipts and organisations belong in their "your data" download
# (the hook of accounts.services.your_data, YOUR_DATA_HOOK_NAME).
hooks.register("your_data", tender_data)


@hooks.register("register_admin_viewset")
def register_tender_viewset():
    from .viewsets import TenderAdminViewSet

    return TenderAdminViewSet("tenders")
