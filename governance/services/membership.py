"""Joining and leaving an initiative, and changing a member's role.

Every change to the electorate takes the lock that closing takes (FOR UPDATE on the
initiative's open proposals), so it waits for a close in progress and a close waits for it;
voters hold FOR SHARE on the same rows, so a member never leaves half-way through a ballot.
A vote whose closing time has passed is closed *before* the change, so a decision always
counts the electorate and ballots as they stood at its closing time, however late the clock.
"""

import logging

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..exceptions import AlreadyAMember, GovernanceError, NotAllowed, NotAMember
from ..models import Ballot, Membership, Proposal, ProposalStatus, Role
from . import log

logger = logging.getLogger(__name__)


def lock_electorate(initiative_id, now):
    """Take the voting lock on the initiative's open votes and close those that are due.

    Call inside the transaction that changes a membership, before changing it.
    """
    from .proposals import close_proposal  # proposals imports this module

    open_votes = list(
        Proposal.objects.select_for_update()
        .filter(initiative_id=initiative_id, status=ProposalStatus.OPEN)
        .order_by("pk")
    )
    for proposal in open_votes:
        if proposal.closes_at <= now:
            try:
                close_proposal(proposal, now=now)
            except GovernanceError as error:
                logger.error("Proposal %s cannot close: %s", proposal.pk, error)


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
    lock_electorate(initiative.pk, now)
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
    # Who joins, leaves or changes role is the members' own business; under the neutral kind
    # these entries are also the cover of other withheld ones (a sealed tender's quotes).
    log.append(initiative.pk, "member.joined", {"user": user.pk, "role": role}, at=now, withhold=True)
    return membership


@transaction.atomic
def leave(initiative, user, now=None):
    """End the membership at once: ballots on proposals still open are withdrawn and the
    member no longer counts towards any quorum."""
    now = now or timezone.now()
    lock_electorate(initiative.pk, now)
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
        withhold=True,
    )
    return membership


@transaction.atomic
def set_role(initiative, user, role, by, now=None):
    """A frontrunner changes another member's role (for example makes them frontrunner)."""
    now = now or timezone.now()
    require_member(initiative.pk, by, roles={Role.FRONTRUNNER})
    if role not in Role.values:
        raise NotAllowed(_("Unknown role."))
    lock_electorate(initiative.pk, now)
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
        withhold=True,
    )
    return membership
