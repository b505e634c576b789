"""Joining and leaving an initiative, and changing a member's role."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..exceptions import AlreadyAMember, NotAllowed, NotAMember
from ..models import Ballot, Membership, ProposalStatus, Role
from . import log


def active_membership(initiative_id, user):
    """The user's current membership of the initiative, or None."""
    if user is None or not user.is_authenticated:
        return None
    return Membership.objects.filter(initiative_id=initiative_id, user=user, left_at__isnull=True).first()


def require_member(initiative_id, user, roles=None):
    membership = active_membership(initiative_id, user)
    if membership is None:
        raise NotAMember()
    if roles is not None and membership.role not in roles:
        raise NotAllowed()
    return membership


def _has_frontrunner(initiative_id):
    return Membership.objects.filter(
        initiative_id=initiative_id, role=Role.FRONTRUNNER, left_at__isnull=True
    ).exists()


@transaction.atomic
def join(initiative, user, role=Role.PARTICIPANT, now=None):
    """Make ``user`` a member. Anyone may join as participant or supporter; the first member
    of an initiative without a frontrunner may take that role, later ones get it from one."""
    now = now or timezone.now()
    if role not in Role.values:
        raise NotAllowed(_("Unknown role."))
    if role == Role.FRONTRUNNER and _has_frontrunner(initiative.pk):
        raise NotAllowed(_("Ask a frontrunner of this initiative to make you a frontrunner."))
    membership = Membership.objects.select_for_update().filter(initiative=initiative, user=user).first()
    if membership and membership.is_active:
        raise AlreadyAMember()
    if membership:
        membership.role, membership.joined_at, membership.left_at = role, now, None
        membership.save(update_fields=["role", "joined_at", "left_at"])
    else:
        # The unique constraint settles two simultaneous first joins: the loser gets an
        # IntegrityError and its transaction rolls back.
        membership = Membership.objects.create(initiative=initiative, user=user, role=role, joined_at=now)
    log.append(initiative.pk, "member.joined", {"user": user.pk, "role": role}, at=now)
    return membership


@transaction.atomic
def leave(initiative, user, now=None):
    """End the membership at once: ballots on proposals still open are withdrawn and the
    member no longer counts towards any quorum."""
    now = now or timezone.now()
    membership = (
        Membership.objects.select_for_update()
        .filter(initiative=initiative, user=user, left_at__isnull=True)
        .first()
    )
    if membership is None:
        raise NotAMember(_("You are not a member of this initiative."))
    membership.left_at = now
    membership.save(update_fields=["left_at"])
    withdrawn, _details = Ballot.objects.filter(
        voter=user, proposal__initiative=initiative, proposal__status=ProposalStatus.OPEN
    ).delete()
    log.append(
        initiative.pk,
        "member.left",
        {"user": user.pk, "role": membership.role, "ballots_withdrawn": withdrawn},
        at=now,
    )
    return membership


@transaction.atomic
def set_role(initiative, user, role, by, now=None):
    """A frontrunner changes another member's role (for example makes them frontrunner)."""
    now = now or timezone.now()
    require_member(initiative.pk, by, roles={Role.FRONTRUNNER})
    if role not in Role.values:
        raise NotAllowed(_("Unknown role."))
    membership = (
        Membership.objects.select_for_update()
        .filter(initiative=initiative, user=user, left_at__isnull=True)
        .first()
    )
    if membership is None:
        raise NotAMember(_("That person is not a member of this initiative."))
    if membership.role == role:
        return membership
    old = membership.role
    membership.role = role
    membership.save(update_fields=["role"])
    log.append(
        initiative.pk,
        "member.role_changed",
        {"user": user.pk, "from": old, "to": role, "by": by.pk},
        at=now,
    )
    return membership
