"""What residents do with their accounts, one module per flow; public names re-exported here.

Each function does all of its work or raises ``AccountsError`` (with a message for the
person) and changes nothing.
"""

from .editors import ensure_editor_group, initiative_of_collection, invite_editor, is_editor, remove_editor
from .joining import appoint_frontrunner, join_initiative, leave_initiative
from .nominations import NominationCounts, counts_for_initiative, counts_for_user, nominate, withdraw
from .profiles import create_profile, profile_for
from .your_data import delete_account, export_user_data

__all__ = [
    "NominationCounts",
    "appoint_frontrunner",
    "counts_for_initiative",
    "counts_for_user",
    "create_profile",
    "delete_account",
    "ensure_editor_group",
    "export_user_data",
    "initiative_of_collection",
    "invite_editor",
    "is_editor",
    "join_initiative",
    "leave_initiative",
    "nominate",
    "profile_for",
    "remove_editor",
    "withdraw",
]
