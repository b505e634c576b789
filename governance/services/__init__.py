"""What people do in governance, one module per flow; the public names are re-exported here.

Every function either does all of its work or raises a ``GovernanceError`` and changes
nothing. None of them talks to the chain inside a web request: closing only fills the outbox,
and ``anchoring`` and ``verification`` run in tasks and commands.
"""

from . import anchoring, card_votes, log, member_proposals, verification, vote_admin
from .anchoring import anchor, anchor_due, requeue
from .ballots import cast_ballot, check_receipt, my_ballot
from .card_votes import cancel_proposal, may_manage, open_due_proposals, sync_page
from .follow_up import official_of, post_official_response, post_update
from .membership import active_membership, join, leave, set_role
from .proposals import (
    close_due_proposals,
    close_proposal,
    open_proposal,
    propose,
    update_proposal,
)
from .public import decision_summary, latest_verification
from .records import record_decision
from .verification import (
    record_verification,
    record_verifications,
    verify_deployment,
    verify_deployments,
)

__all__ = [
    "active_membership",
    "anchor",
    "anchor_due",
    "anchoring",
    "cancel_proposal",
    "card_votes",
    "cast_ballot",
    "check_receipt",
    "close_due_proposals",
    "close_proposal",
    "decision_summary",
    "join",
    "latest_verification",
    "leave",
    "log",
    "may_manage",
    "member_proposals",
    "vote_admin",
    "my_ballot",
    "open_due_proposals",
    "official_of",
    "post_official_response",
    "post_update",
    "open_proposal",
    "propose",
    "record_decision",
    "record_verification",
    "record_verifications",
    "requeue",
    "set_role",
    "sync_page",
    "update_proposal",
    "verification",
    "verify_deployment",
    "verify_deployments",
]
