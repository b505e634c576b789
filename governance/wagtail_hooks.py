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
def register_proposal_viewsets():
    from wagtail.permissions import register_permission_policy

    from .models import MemberProposal, Proposal
    from .viewsets import FrontrunnerPolicy, MemberProposalViewSet, OfficialViewSet, ProposalViewSet

    # Frontrunners of an initiative (and site admins) see its votes and members' proposals.
    # and change (edit, schedule, cancel) its votes through the services.
    register_permission_policy(Proposal, FrontrunnerPolicy(Proposal, ("view", "change")), exact_class=True)
    register_permission_policy(MemberProposal, FrontrunnerPolicy(MemberProposal), exact_class=True)
    return [
        ProposalViewSet("governance_proposals"),
        MemberProposalViewSet("governance_member_proposals"),
        OfficialViewSet("governance_officials"),
    ]


@hooks.register("initiative_page_sections")
def member_proposals_on_the_page(page, request):
    from .member_proposals_section import member_proposals_section

    return member_proposals_section(page, request)
