"""Public governance pages: voting from the election card, decisions, receipt checks.

Views stay thin: they read the request, call ``governance.services`` and show
``str(error)`` of a ``GovernanceError`` (which always means nothing changed). Every POST is
CSRF-protected and redirects back to a relative URL on the host it came from, so voting
works the same on an initiative's own domain. Every initiative and proposal in a URL must
belong to the request's site (``initiatives.scope``): another domain's is a 404. No view
waits on the chain.
"""

from urllib.parse import urlsplit

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from initiatives.scope import initiative_or_404, site_initiatives

from . import services, visibility
from .cards import RECEIPT_SESSION_KEY, live_proposal, login_url
from .exceptions import GovernanceError, ReplayedRequest
from .hashing import canonical_json
from .member_proposals_section import DRAFT_SESSION_KEY
from .models import Decision, FollowUpStatus, Proposal, ProposalStatus, Role

# What the propose form posts, cut to a length beyond which the service refuses it anyway.
PROPOSAL_FIELDS = {"title": 1000, "text": 20000, "kind": 20, "options": 20000}


def _proposal(request, proposal_uuid):
    """A proposal of a public initiative of this request's site, else 404. A card's vote is
    public from publishing on; other drafts are not."""
    return get_object_or_404(
        Proposal.objects.exclude(status=ProposalStatus.DRAFT, election_block_id="").filter(
            initiative__in=site_initiatives(request)
        ),
        uuid=proposal_uuid,
    )


def _relative_on_this_host(request, target):
    """``target`` if it is a path on this host (no scheme, no other host), else None."""
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/"):
        return None
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return None
    return target


def _back(request, initiative, block_id=""):
    """Where a POST returns to: the posted ``next`` if it stays here, else the initiative."""
    target = _relative_on_this_host(request, request.POST.get("next"))
    if target:
        return target
    url = _relative_on_this_host(request, initiative.get_url(request)) or "/"
    return f"{url}#card-{block_id}" if block_id else url


def _login_first(request, back):
    messages.info(request, _("Log in to vote."))
    return redirect(login_url(back))


@require_POST
def vote(request, proposal_uuid):
    proposal = _proposal(request, proposal_uuid)
    back = _back(request, proposal.initiative, proposal.election_block_id)
    if not request.user.is_authenticated:
        return _login_first(request, back)
    option = request.POST.get("option", "")
    if option == "":
        messages.error(request, _("Choose one of the options to vote."))
        return redirect(back)
    try:
        revision = int(request.POST.get("revision", ""))
    except ValueError:
        messages.error(request, ReplayedRequest.default_message)
        return redirect(back)
    try:
        receipt = services.cast_ballot(proposal, request.user, option, revision=revision)
    except GovernanceError as error:
        messages.error(request, str(error))
        return redirect(back)
    # The receipt is shown once, inside the card the voter came from (see cards.py).
    request.session[RECEIPT_SESSION_KEY] = {
        "proposal": str(proposal.uuid),
        "code": receipt.code,
        "changed": receipt.revision > 1,
    }
    messages.success(request, _("Your vote counted. Your receipt code is shown with the vote."))
    return redirect(back)


@require_http_methods(["GET", "HEAD"])
def proposal(request, proposal_uuid):
    """A vote's own public page: its text, rules, voting form and, once closed, its result.

    Votes that another app starts (``external_votes``) have no election card: members vote
    here. A card's vote can be seen here too; its card stays the usual place.
    """
    proposal = _proposal(request, proposal_uuid)
    return render(
        request,
        "governance/proposal.html",
        {"initiative": proposal.initiative, "proposal": proposal, "live": live_proposal(proposal, request)},
    )


@require_POST
def cancel(request, proposal_uuid):
    """A frontrunner cancels a vote from its card, giving the reason members will see."""
    proposal = _proposal(request, proposal_uuid)
    back = _back(request, proposal.initiative, proposal.election_block_id)
    if not request.user.is_authenticated:
        return redirect(login_url(back))
    try:
        services.cancel_proposal(proposal, request.user, request.POST.get("reason", "")[:1000])
    except GovernanceError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The vote was cancelled. The card now shows it as cancelled, with your reason."))
    return redirect(back)


@require_POST
def join(request, page_id):
    initiative = initiative_or_404(request, page_id)
    back = _back(request, initiative)
    if not request.user.is_authenticated:
        messages.info(request, _("Log in to join this initiative."))
        return redirect(login_url(back))
    try:
        services.join(initiative, request.user, Role.PARTICIPANT)
    except GovernanceError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("Welcome! You are now a participant of %(initiative)s.") % {"initiative": initiative.title},
        )
    return redirect(back)


@require_POST
def propose(request, page_id):
    """A member proposes an action or sub-project from the initiative's page. When it is
    refused, what they typed fills the form again (kept once in the session)."""
    initiative = initiative_or_404(request, page_id)
    back = _back(request, initiative)
    if not request.user.is_authenticated:
        messages.info(request, _("Log in to propose."))
        return redirect(login_url(back))
    fields = {name: request.POST.get(name, "")[:limit] for name, limit in PROPOSAL_FIELDS.items()}
    try:
        proposal = services.member_proposals.submit(initiative, request.user, **fields)
    except GovernanceError as error:
        messages.error(request, str(error))
        request.session[DRAFT_SESSION_KEY] = {"initiative": initiative.pk, **fields}
        return redirect(back)
    messages.success(request, _("Thank you! Your proposal is listed as proposed; a frontrunner decides on it."))
    return redirect(f"{back.split('#')[0]}#member-proposal-{proposal.pk}")


def decisions(request, page_id):
    """Every closed proposal of an initiative, its decision, where it is on the chain and how
    its last check against the chain went (as stored by the verification task: this view
    never contacts the chain)."""
    initiative = initiative_or_404(request, page_id)
    closed = (
        Decision.objects.filter(proposal__initiative=initiative)
        .select_related("proposal", "deployment__verification")
        .prefetch_related("updates", "official_responses")
        .order_by("-closed_at", "-pk")
    )
    membership = visibility.membership_of(initiative.pk, request.user)
    rows = [_decision_row(decision, visibility.sees_options(decision.proposal, membership)) for decision in closed]
    open_proposals = Proposal.objects.filter(initiative=initiative, status=ProposalStatus.OPEN).order_by(
        "closes_at", "pk"
    )
    return render(
        request,
        "governance/decisions.html",
        {
            "initiative": initiative,
            "decisions": rows,
            "open_proposals": open_proposals,
            # Frontrunners post what became of each decision (the follow-up).
            "may_post_updates": services.may_manage(initiative.pk, request.user),
            # Accounts a site admin marked as officials respond to decisions, marked as official.
            "official": services.official_of(request.user),
            "follow_up_statuses": FollowUpStatus.choices,
            "today": timezone.localdate(),
        },
    )


def _decision_row(decision, sees_options):
    summary = services.decision_summary(decision.proposal, decision, sees_options=sees_options)
    return {
        "proposal": decision.proposal,
        "summary": summary,
        # Exactly the bytes that were hashed: keccak256 of this text is the decision hash.
        # Left out where the options are not this viewer's to read (the hash stays).
        "record_json": canonical_json(decision.record).decode() if summary["record"] is not None else "",
        "verification": services.latest_verification(decision),
        "updates": list(decision.updates.all()),
        "official_responses": list(decision.official_responses.all()),
    }


def _decision_to_answer(request, proposal_uuid):
    """``(decision, back, None)`` for a POST about a decision, or ``(None, back, response)``
    when the visitor must sign in first or the vote has no decision yet."""
    proposal = _proposal(request, proposal_uuid)
    back = _relative_on_this_host(request, request.POST.get("next")) or (
        reverse("governance:decisions", args=[proposal.initiative_id]) + f"#proposal-{proposal.uuid}"
    )
    if not request.user.is_authenticated:
        return None, back, redirect(login_url(back))
    decision = Decision.objects.filter(proposal=proposal).select_related("proposal").first()
    if decision is None:
        messages.error(request, _("This vote has no decision yet."))
        return None, back, redirect(back)
    return decision, back, None


@require_POST
def follow_up(request, proposal_uuid):
    """A frontrunner posts a status update on a decision; it is shown and logged."""
    decision, back, answered = _decision_to_answer(request, proposal_uuid)
    if answered:
        return answered
    try:
        services.post_update(
            decision,
            request.user,
            status=request.POST.get("status", ""),
            date=request.POST.get("date", ""),
            text=request.POST.get("text", ""),
            link=request.POST.get("link", ""),
        )
    except GovernanceError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Your update is posted and added to the governance log."))
    return redirect(back)


@require_POST
def official_response(request, proposal_uuid):
    """An official of a municipality or organisation responds to a decision; shown and logged."""
    decision, back, answered = _decision_to_answer(request, proposal_uuid)
    if answered:
        return answered
    try:
        services.post_official_response(
            decision, request.user, text=request.POST.get("text", "")[:20000], link=request.POST.get("link", "")[:2000]
        )
    except GovernanceError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Your official response is posted and added to the governance log."))
    return redirect(back)


@require_http_methods(["GET", "POST"])
def receipt(request, proposal_uuid):
    """A voter checks, with their receipt code, that their ballot is in the anchored root.

    The code is POSTed (never put in a URL, where logs would keep it) and never shown back.
    """
    proposal = _proposal(request, proposal_uuid)
    check = error = None
    if request.method == "POST":
        code = request.POST.get("code", "").strip()
        if not code:
            error = _("Enter the receipt code you got when you voted.")
        else:
            try:
                check = services.check_receipt(proposal, code)
            except GovernanceError as failure:
                error = str(failure)
    return render(
        request,
        "governance/receipt.html",
        {"initiative": proposal.initiative, "proposal": proposal, "check": check, "error": error},
    )
