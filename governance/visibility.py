"""Who sees a vote's options, their details and its tally.

Most votes are public: anyone reads the options and, after closing, the tally. A vote that
another app starts with ``options_restricted`` (a tender's award, whose losing quotes are not
public) shows them only to its electorate (active members whose role may vote on it) and the
initiative's frontrunners; everyone else sees the question, the state and the outcome the
starting app publishes. Option details (``Proposal.option_details``) are for the same people
on every vote.
"""

from .models import Membership, Role


def sees_options(proposal, membership):
    """Whether the holder of ``membership`` (an active ``Membership`` of the proposal's
    initiative, or None for a visitor or non-member) may read the options and the tally."""
    if not proposal.options_restricted:
        return True
    return may_read_details(proposal, membership)


def may_read_details(proposal, membership):
    """Whether ``membership`` (or None) belongs to the electorate or is a frontrunner."""
    if membership is None or membership.left_at is not None:
        return False
    return membership.role == Role.FRONTRUNNER or membership.role in (proposal.eligible_roles or ())


def membership_of(initiative_id, user):
    """``user``'s active membership of initiative ``initiative_id``, or None (one query)."""
    if user is None or not user.is_authenticated:
        return None
    return Membership.objects.filter(initiative_id=initiative_id, user=user, left_at__isnull=True).first()
