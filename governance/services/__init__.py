"""What people do in governance, one module per flow; the public names are re-exported here.

Every function either does all of its work or raises a ``GovernanceError`` and changes
nothing. None of them talks to the chain inside a web request: closing only fills the outbox,
and ``anchoring`` runs in tasks and commands.
"""

from . import anchoring, log
from .anchoring import anchor, anchor_due, requeue, verify_deployment, verify_deployments
from .ballots import cast_ballot, check_receipt, my_ballot
from .membership import active_membership, join, leave, set_role
from .proposals import (
    close_due_proposals,
    close_proposal,
    open_proposal,
    propose,
    update_proposal,
)
from .public import decision_summary

__all__ = [
    "active_membership",
    "anchor",
    "anchor_due",
    "anchoring",
    "cast_ballot",
    "check_receipt",
    "close_due_proposals",
    "close_proposal",
    "decision_summary",
    "join",
    "leave",
    "log",
    "my_ballot",
    "open_proposal",
    "propose",
    "requeue",
    "set_role",
    "update_proposal",
    "verify_deployment",
    "verify_deployments",
]
