"""The election card is the vote: a published card creates its proposal and keeps it in line.

Each election card on an initiative page stands for exactly one proposal, found by
(initiative, card block id) — a database constraint. A copied page is another initiative and
a copied card gets a new block id, so a copy always gets a vote of its own.

- Publishing a page creates the proposals of its new election cards and updates the ones
  that have not opened yet (:func:`sync_page`); a proposal opens at its opening time (at
  publishing, by the clock, or at the first ballot, whichever comes first).
- From opening on, the rules (:data:`FROZEN`) are frozen: :func:`frozen_changes` names the
  card fields an edit would change, and the page form refuses the edit at those fields.
- A card whose vote is open cannot be removed, nor its page unpublished or deleted, until a
  frontrunner cancels the vote (:func:`cancel_proposal`); removing a card whose vote had not
  opened yet cancels that vote when the page is published.
"""

import logging

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from blocks.cards import election as card

from .. import external_votes
from ..exceptions import GovernanceError, NotAllowed, ProposalNotOpen
from ..models import FOR_AGAINST_OPTIONS, Proposal, ProposalKind, ProposalStatus, Role
from . import log
from .membership import active_membership
from .proposals import _clean, rules_hash, rules_of

logger = logging.getLogger(__name__)

ELECTORATES = {
    "members": [Role.FRONTRUNNER, Role.PARTICIPANT, Role.SUPPORTER],
    "participants": [Role.FRONTRUNNER, Role.PARTICIPANT],
    "frontrunners": [Role.FRONTRUNNER],
}
# Proposal field -> the election card field that sets it.
CARD_FIELDS = {
    "title": "question",
    "text": "description",
    "kind": "kind",
    "options": "options",
    "eligible_roles": "electorate",
    "opens_at": "opens_at",
    "closes_at": "closes_at",
    "rule": "rule",
    "qualified_percent": "qualified_percent",
    "quorum_percent": "quorum_percent",
}
# Everything that goes into the rules hash is frozen once voting opens: changing any of it
# would change what members voted on.
FROZEN = tuple(CARD_FIELDS)
FIELD_LABELS = {
    "question": gettext_lazy("Question"),
    "description": gettext_lazy("Explanation"),
    "kind": gettext_lazy("Members vote"),
    "options": gettext_lazy("Options"),
    "electorate": gettext_lazy("Who may vote"),
    "opens_at": gettext_lazy("Opens at"),
    "closes_at": gettext_lazy("Closes at"),
    "rule": gettext_lazy("Decision rule"),
    "qualified_percent": gettext_lazy("Qualified majority (%)"),
    "quorum_percent": gettext_lazy("Quorum (% of eligible members)"),
}


def is_election(child):
    return isinstance(child.block, card.ElectionCardBlock)


def card_rules(value):
    """The proposal fields an election card value sets (not yet validated)."""
    kind = ProposalKind.FOR_AGAINST if value.get("kind") == card.FOR_AGAINST else ProposalKind.OPTIONS
    return {
        "title": (value.get("question") or "").strip(),
        "text": value.get("description") or "",
        "kind": kind,
        "options": (
            list(FOR_AGAINST_OPTIONS)
            if kind == ProposalKind.FOR_AGAINST
            else [option["label"].strip() for option in value.get("options") or ()]
        ),
        "eligible_roles": sorted(ELECTORATES.get(value.get("electorate"), ELECTORATES["members"])),
        "opens_at": value.get("opens_at"),
        "closes_at": value.get("closes_at"),
        "rule": value.get("rule") or card.SIMPLE,
        "qualified_percent": value.get("qualified_percent"),
        "quorum_percent": value.get("quorum_percent"),
    }


def _minute(moment):
    # The editor's date widget shows minutes only, so a saved form never carries seconds.
    return moment.replace(second=0, microsecond=0) if moment else moment


def _comparable(name, value):
    if name in ("opens_at", "closes_at"):
        return _minute(value)
    if name in ("qualified_percent", "quorum_percent"):
        return None if value in (None, "") else round(float(value), 2)
    if name == "eligible_roles":
        return sorted(value)
    return value


def frozen_changes(proposal, value):
    """The card fields whose new ``value`` differs from the proposal's frozen rules."""
    wanted = card_rules(value)
    current = rules_of(proposal)
    changed = []
    for name in FROZEN:
        if _comparable(name, wanted[name]) != _comparable(name, current[name]):
            changed.append(CARD_FIELDS[name])
    return changed


def is_frozen(proposal, now=None):
    """True once voting has opened (or its opening time has passed), or the vote ended."""
    now = now or timezone.now()
    return proposal.status != ProposalStatus.DRAFT or proposal.opens_at <= now


def is_running(proposal, now=None):
    """True while ballots may be cast or are waiting to be counted: such a card must stay."""
    now = now or timezone.now()
    return proposal.status == ProposalStatus.OPEN or (
        proposal.status == ProposalStatus.DRAFT and proposal.opens_at <= now
    )


def frozen_message(proposal, fields):
    names = ", ".join(f"“{FIELD_LABELS[name]}”" for name in fields)
    if proposal.status == ProposalStatus.CLOSED:
        text = _("This vote has closed, so %(fields)s can no longer change.")
    else:
        text = _("Voting has opened, so %(fields)s can no longer change.")
    return text % {"fields": names}


def removal_message(proposal):
    return _(
        "The election card “%(question)s” has a vote that is open. It stays until a frontrunner "
        "cancels the vote (with “Cancel this vote” on the card of the public page)."
    ) % {"question": proposal.title}


def card_proposals(page_id):
    """The page's votes by card block id."""
    if not page_id:
        return {}
    return {
        proposal.election_block_id: proposal
        for proposal in Proposal.objects.filter(initiative_id=page_id).exclude(election_block_id="")
    }


def _open(proposal, by, now):
    proposal.status = ProposalStatus.OPEN
    proposal.opened_by = by if by is not None and by.is_authenticated else None
    proposal.opened_at = now
    proposal.rules_hash = rules_hash(proposal)
    proposal.save(update_fields=["status", "opened_by", "opened_at", "rules_hash"])
    log.append(
        proposal.initiative_id,
        "proposal.opened",
        {"proposal": str(proposal.uuid), "rules_hash": proposal.rules_hash, "by": getattr(proposal.opened_by, "pk", None)},
        at=now,
    )
    return proposal


def open_if_due(proposal, now=None):
    """Open a card's vote whose opening time has passed; returns the fresh proposal."""
    now = now or timezone.now()
    if proposal.status != ProposalStatus.DRAFT or not proposal.election_block_id or proposal.opens_at > now:
        return proposal
    with transaction.atomic():
        proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
        if proposal.status == ProposalStatus.DRAFT and proposal.opens_at <= now:
            _open(proposal, None, now)
    return proposal


def open_due_proposals(now=None):
    """Open every card's vote whose opening time has passed (the clock runs this)."""
    now = now or timezone.now()
    due = Proposal.objects.filter(status=ProposalStatus.DRAFT, opens_at__lte=now).exclude(election_block_id="")
    return [open_if_due(proposal, now) for proposal in due.order_by("opens_at", "pk")]


def _log_payload(proposal, user, **extra):
    return {"proposal": str(proposal.uuid), "card": proposal.election_block_id, "by": getattr(user, "pk", None), **extra}


def sync_page(page, user=None, now=None):
    """Bring the votes of ``page`` (just published) in line with its election cards.

    New cards get a proposal; cards whose vote has not opened update it; a frozen vote is
    never changed (the page form refused such edits; a scheduled publication of an old
    revision is logged and ignored). Drafts of removed cards are cancelled. Returns the
    proposals of the page's cards.
    """
    now = now or timezone.now()
    user = user if user is not None and getattr(user, "is_authenticated", False) else None
    synced = []
    with transaction.atomic():
        existing = {
            proposal.election_block_id: proposal
            # In primary-key order, as every other locker of proposals, so none deadlock.
            for proposal in Proposal.objects.select_for_update()
            .filter(initiative_id=page.pk)
            .exclude(election_block_id="")
            .order_by("pk")
        }
        # Follow the page as it is published now, read once the votes are locked: the instance
        # handed in may be older than a publication that committed while this one waited for
        # the locks (an admin edit writing back to the card), and syncing from it would put the
        # votes back while the page keeps the newer card.
        current = type(page).objects.filter(pk=page.pk, live=True).first()
        if current is not None:
            page = current
        seen = set()
        for child in page.cards:
            if not is_election(child) or not child.id or child.id in seen:
                continue
            seen.add(child.id)
            proposal = existing.get(child.id)
            try:
                proposal = _sync_card(page, child, proposal, user, now)
            except GovernanceError as error:
                logger.warning("Election card %s on page %s is not a vote: %s", child.id, page.pk, error)
                continue
            if proposal is not None:
                synced.append(proposal)
        for block_id, proposal in existing.items():
            if block_id not in seen and proposal.status == ProposalStatus.DRAFT:
                _cancel(proposal, user, _("The election card was removed before voting opened."), now)
    return synced


def _sync_card(page, child, proposal, user, now):
    rules = card_rules(child.value)
    if proposal is None:
        if rules["closes_at"] is None or rules["closes_at"] <= now:
            return None  # nothing left to vote on
        fields = _clean(rules)
        try:
            with transaction.atomic():
                proposal = Proposal.objects.create(
                    initiative_id=page.pk,
                    election_block_id=child.id,
                    proposed_by=user,
                    created_at=now,
                    **fields,
                )
        except IntegrityError:
            # Published twice at once: the other publication created it.
            return Proposal.objects.get(initiative_id=page.pk, election_block_id=child.id)
        log.append(page.pk, "proposal.created", _log_payload(proposal, user, title=proposal.title), at=now)
    elif proposal.status == ProposalStatus.DRAFT and not is_frozen(proposal, now):
        fields = _clean(rules)
        changed = {name: value for name, value in fields.items() if getattr(proposal, name) != value}
        if changed:
            for name, value in changed.items():
                setattr(proposal, name, value)
            proposal.save(update_fields=list(changed))
            log.append(
                page.pk, "proposal.updated", _log_payload(proposal, user, fields=sorted(changed)), at=now
            )
    elif is_frozen(proposal, now) and proposal.status != ProposalStatus.CANCELLED:
        changed = frozen_changes(proposal, child.value)
        if changed:
            logger.warning("Published card %s differs from its frozen vote in %s", child.id, changed)
    if proposal.status == ProposalStatus.DRAFT and proposal.opens_at <= now:
        _open(proposal, user, now)
    return proposal


def may_manage(proposal_or_initiative_id, user):
    """Frontrunners of the initiative and site admins manage its votes."""
    if user is None or not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    initiative_id = getattr(proposal_or_initiative_id, "initiative_id", proposal_or_initiative_id)
    membership = active_membership(initiative_id, user)
    return membership is not None and membership.role == Role.FRONTRUNNER


def _cancel(proposal, user, reason, now):
    proposal.status = ProposalStatus.CANCELLED
    proposal.cancelled_at, proposal.cancelled_by, proposal.cancel_reason = now, user, reason
    proposal.save(update_fields=["status", "cancelled_at", "cancelled_by", "cancel_reason"])
    log.append(
        proposal.initiative_id, "proposal.cancelled", _log_payload(proposal, user, reason=reason), at=now
    )
    external_votes.announce(proposal)
    return proposal


def cancel_proposal(proposal, user, reason, now=None):
    """A frontrunner (or site admin) cancels a vote that has not closed; it is logged and
    shown as cancelled. Ballots already cast are never counted."""
    now = now or timezone.now()
    reason = (reason or "").strip()
    if not reason:
        raise GovernanceError(_("Say why the vote is cancelled: members see the reason."))
    with transaction.atomic():
        # FOR UPDATE waits for ballots being written, as closing does.
        proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
        if not may_manage(proposal, user):
            raise NotAllowed(_("Only a frontrunner of this initiative can cancel its votes."))
        if proposal.status not in (ProposalStatus.DRAFT, ProposalStatus.OPEN):
            raise ProposalNotOpen(_("Only a vote that has not closed can be cancelled."))
        if proposal.status == ProposalStatus.OPEN and proposal.closes_at <= now:
            raise ProposalNotOpen(_("Voting has ended; the vote is being counted and cannot be cancelled."))
        return _cancel(proposal, user, reason, now)

