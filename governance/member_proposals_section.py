"""The "Proposals from members" section of an initiative page (the ``initiative_page_sections``
hook of ``initiatives``): what members proposed and what became of it, and the form to
propose for members. Two queries: the proposals and, for a signed-in visitor, their membership.
"""

from dataclasses import dataclass, field

from django.urls import reverse

from .cards import login_url
from .models import MemberProposalStatus, ProposalKind
from .services import active_membership
from .services.member_proposals import MAX_TEXT, MAX_TITLE, public_member_proposals

# Where the propose view keeps what a member typed when it was refused, to fill the form again.
DRAFT_SESSION_KEY = "governance_member_proposal_draft"


@dataclass
class MemberProposalsSection:
    page: object
    path: str
    proposals: list
    signed_in: bool
    is_member: bool
    draft: dict = field(default_factory=dict)
    template: str = "governance/member_proposals.html"
    statuses = MemberProposalStatus
    kinds = ProposalKind
    max_title = MAX_TITLE
    max_text = MAX_TEXT

    @property
    def propose_url(self):
        return reverse("governance:propose", args=[self.page.pk])

    @property
    def join_url(self):
        return reverse("governance:join", args=[self.page.pk])

    @property
    def next_url(self):
        return f"{self.path}#member-proposals"

    @property
    def login_url(self):
        return login_url(f"{self.path}#propose")


def member_proposals_section(page, request):
    user = getattr(request, "user", None)
    signed_in = bool(user is not None and user.is_authenticated)
    draft = {}
    session = getattr(request, "session", None)
    # Only members have drafts; an anonymous visit never touches the session (the page stays cacheable).
    if signed_in and session is not None and session.get(DRAFT_SESSION_KEY, {}).get("initiative") == page.pk:
        draft = session.pop(DRAFT_SESSION_KEY)
    return MemberProposalsSection(
        page=page,
        path=request.path if request is not None else "/",
        proposals=public_member_proposals(page.pk),
        signed_in=signed_in,
        is_member=signed_in and active_membership(page.pk, user) is not None,
        draft=draft,
    )
