from wagtail import hooks

from blocks.cards.election import CONTEXT_HOOK_NAME
from blocks.lifecycle import HOOK_NAME as LIFECYCLE_HOOK_NAME

from .cards import election_card_context
from .lifecycle import VoteLifecycle

# The initiative page asks once for all its election cards; linked ones come alive.
hooks.register(CONTEXT_HOOK_NAME, election_card_context)
# The election card is the vote: publishing it creates or updates the vote.
hooks.register(LIFECYCLE_HOOK_NAME, VoteLifecycle)


@hooks.register("register_admin_viewset")
def register_proposal_viewset():
    from wagtail.permissions import register_permission_policy

    from .models import Proposal
    from .viewsets import ProposalViewSet, ViewOnlyPolicy

    register_permission_policy(Proposal, ViewOnlyPolicy(Proposal), exact_class=True)
    return ProposalViewSet("governance_proposals")
