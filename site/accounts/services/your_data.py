"""Your data: everything Ctylab holds about a resident, as JSON; and deleting the account.

Deleting keeps what belongs to the initiatives: ballots on closed proposals stay counted but
no longer point at anyone, proposals and page revisions stay and are attributed to "former
member". Everything personal (account, addresses, profile and picture, authenticators,
memberships, nominations made and received, editor rights) goes.
"""

import datetime

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from ..exceptions import CannotDelete
from ..models import PERSONAL_FIELDS, InitiativeEditors, Nomination, Profile

# Other apps add what they hold about a person through this Wagtail hook: each registered
# function takes the user and returns ``{section name: JSON-serialisable data}``; the sections
# join the export under those names (a name already taken is kept as it was).
YOUR_DATA_HOOK_NAME = "your_data"


def _time(value):
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    return value


def _rows(queryset, fields):
    return [{name: _time(value) for name, value in row.items()} for row in queryset.values(*fields)]


def export_user_data(user):
    """A JSON-serialisable dict of all data about ``user``: theirs to download."""
    from allauth.account.models import EmailAddress
    from allauth.mfa.models import Authenticator
    from wagtail.models import PageLogEntry, Revision

    from governance.models import Ballot, LogEntry, Membership, Proposal

    data = {
        "format": "ctylab-your-data/1",
        "exported_at": timezone.now().isoformat(),
        "account": {
            "id": user.pk,
            "username": user.get_username(),
            "email": user.email,
            "first_name": user.first_name,
            "last_name": user.last_name,
            "date_joined": _time(user.date_joined),
            "last_login": _time(user.last_login),
            "is_staff": user.is_staff,
        },
        "email_addresses": _rows(
            EmailAddress.objects.filter(user=user).order_by("pk"), ["email", "verified", "primary"]
        ),
        # Kinds and dates only: the secrets of an authenticator never leave the server.
        "two_factor_authenticators": _rows(
            Authenticator.objects.filter(user=user).order_by("pk"), ["type", "created_at", "last_used_at"]
        ),
    }
    profile = Profile.objects.filter(user=user).first()
    if profile is not None:
        data["profile"] = {"display_name": profile.display_name}
        for name in PERSONAL_FIELDS:
            value = getattr(profile, name)
            data["profile"][name] = (value.name if value else "") if name == "avatar" else value
            data["profile"][f"{name}_visibility"] = profile.visibility_of(name)
        data["profile"]["listed_visibility"] = profile.listed_visibility
    data["memberships"] = _rows(
        Membership.objects.filter(user=user).order_by("pk"),
        ["initiative_id", "initiative__title", "role", "joined_at", "left_at"],
    )
    data["ballots"] = _rows(
        Ballot.objects.filter(voter=user).order_by("pk"),
        ["proposal__uuid", "proposal__title", "choice", "revision", "counted", "cast_at"],
    )
    for ballot in data["ballots"]:
        ballot["proposal__uuid"] = str(ballot["proposal__uuid"])
    data["proposals"] = _rows(
        Proposal.objects.filter(proposed_by=user).order_by("pk"),
        ["initiative_id", "title", "text", "status", "created_at"],
    )
    data["nominations_made"] = _rows(
        Nomination.objects.filter(nominator=user).order_by("pk"),
        ["initiative_id", "initiative__title", "nominee__profile__display_name", "kind", "topic", "created_at"],
    )
    # Who nominated you is the nominator's business; what you were nominated for is yours.
    data["nominations_received"] = _rows(
        Nomination.objects.filter(nominee=user).order_by("pk"),
        ["initiative_id", "initiative__title", "kind", "topic", "created_at"],
    )
    data["editor_of"] = _rows(
        InitiativeEditors.objects.filter(group__user=user).order_by("pk"),
        ["initiative_id", "initiative__title"],
    )
    data["page_revisions"] = _rows(
        Revision.objects.filter(user=user).order_by("pk"),
        ["object_id", "object_str", "created_at"],
    )
    data["admin_actions"] = _rows(
        PageLogEntry.objects.filter(user=user).order_by("pk"), ["page_id", "label", "action", "timestamp"]
    )
    # The entries that name you, with what the open-data API withholds from others (payload
    # and salt): with them you can check your entries against the published digests
    # (docs/verify_log.py).
    data["governance_log"] = _rows(
        LogEntry.objects.filter(Q(payload__user=user.pk) | Q(payload__by=user.pk) | Q(payload__bidder=user.pk)).order_by("initiative_id", "seq"),
        ["initiative_id", "seq", "kind", "created_at", "payload", "salt", "payload_digest", "hash"],
    )
    from wagtail import hooks

    for contribute in hooks.get_hooks(YOUR_DATA_HOOK_NAME):
        for name, section in (contribute(user) or {}).items():
            data.setdefault(name, section)
    return data


def _unlink_ballots(user):
    from governance.models import Ballot

    ballots = Ballot.objects.filter(voter=user)
    if not ballots.exists():
        return 0
    if not Ballot._meta.get_field("voter").null:
        # Deleting would cascade to counted ballots and break everyone's receipt proofs.
        raise CannotDelete(
            _("Your account cannot be deleted yet because your votes cannot be kept anonymously. "
              "Please contact the site's administrators.")
        )
    return ballots.update(voter=None)


def delete_account(user):
    """Delete ``user`` and everything personal; keep initiatives' records, unlinked."""
    from wagtail.models import ModelLogEntry, PageLogEntry

    from governance.models import Membership
    from governance.services import leave

    avatar_name = ""
    with transaction.atomic():
        # Leaving ends the member's part in open votes at once, as governance defines it.
        for membership in Membership.objects.filter(user=user, left_at__isnull=True).select_related(
            "initiative"
        ):
            leave(membership.initiative, user)
        _unlink_ballots(user)
        # Admin logs keep the action but not who did it (their FKs are not enforced).
        PageLogEntry.objects.filter(user=user).update(user=None)
        ModelLogEntry.objects.filter(user=user).update(user=None)
        profile = Profile.objects.filter(user=user).first()
        if profile is not None and profile.avatar:
            avatar_name = profile.avatar.name
        # Everything else of theirs goes with the user row (CASCADE), or is attributed to
        # nobody (SET_NULL: proposals, revisions, pages they own, images they uploaded).
        user.delete()
        if avatar_name:
            storage = Profile._meta.get_field("avatar").storage
            transaction.on_commit(lambda: storage.delete(avatar_name))


def display_name_or_former(user):
    """How a contribution's author is named: their display name, or "former member"."""
    if user is None:
        return _("former member")
    try:
        return user.profile.display_name
    except Profile.DoesNotExist:
        return user.get_full_name() or user.get_username()
