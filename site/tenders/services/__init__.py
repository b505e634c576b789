"""What people do with tenders, one module per flow; the public names are re-exported here.

Every function either does all of its work or raises a ``TenderError`` and changes nothing.
"""

from . import award_vote
from .access import may_manage, may_see_quotes
from .award import award, inclusion_proof
from .award_vote import put_to_vote, vote_ended
from .bidding import my_quote, submit_quote, withdraw_quote
from .cards import tender_card, tender_for_card
from .deadlines import extend_deadline, sync_page_tenders
from .opening import open_due_tenders, open_tender

__all__ = [
    "award",
    "award_vote",
    "extend_deadline",
    "inclusion_proof",
    "may_manage",
    "may_see_quotes",
    "my_quote",
    "open_due_tenders",
    "open_tender",
    "put_to_vote",
    "submit_quote",
    "sync_page_tenders",
    "tender_card",
    "tender_for_card",
    "vote_ended",
    "withdraw_quote",
]
