"""Members propose, frontrunners decide what is put to the vote.

A member of an initiative proposes an action or sub-project on its public page
(:func:`submit`); it is listed publicly as "proposed". A frontrunner (or a site admin) then
either puts it to the vote in one action (:func:`put_to_vote`: the page gets an election card
with the proposal's question and options and the card's defaults, and is published, so the
card's vote runs as any other) or declines it with a reason that is shown
(:func:`decline`). Every step is appended to the governance log, and the proposer hears of
the decision by e-mail (:func:`notify_proposer`, which the ``notify_proposer`` task runs
after the decision is committed).
"""

import uuid

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from blocks.cards import election as card

from ..exceptions import GovernanceError, InvalidProposal, NotAllowed
from ..models import MemberProposal, MemberProposalStatus, Proposal, ProposalKind
from . import log
from .card_votes import may_manage
from .membership import require_member
from .proposals import MAX_OPTIONS

MAX_TITLE = 200
MAX_TEXT = 4000
MAX_REASON = 2000


def clean_options(kind, options):
    """The options of a proposal of ``kind``: [] for for/against; else 2 to 20 distinct labels.

    ``options`` is a list of labels or one text with a label per line. Raises InvalidProposal.
    """
    if kind not in ProposalKind.values:
        raise InvalidProposal(_("Choose how members vote: for or against, or between options."))
    if kind == ProposalKind.FOR_AGAINST:
        return []
    if isinstance(options, str):
        options = options.splitlines()
    labels = [str(label).strip() for label in options or () if str(label).strip()]
    if not 2 <= len(labels) <= MAX_OPTIONS:
        raise InvalidProposal(_("Give between 2 and %(max)s options, one per line.") % {"max": MAX_OPTIONS})
    if any(len(label) > 200 for label in labels):
        raise InvalidProposal(_("Keep each option under 200 characters."))
    if len({label.casefold() for label in labels}) != len(labels):
        raise InvalidProposal(_("Each option must be different."))
    return labels


def submit(initiative, user, *, title, text, kind=ProposalKind.FOR_AGAINST, options=(), now=None):
    """A member proposes an action or sub-project; returns the ``MemberProposal``.

    Raises ``NotAMember`` for anyone who has not joined, ``InvalidProposal`` for a missing
    or too long title or text, an unknown kind or bad options; nothing is stored then.
    """
    now = now or timezone.now()
    require_member(initiative.pk, user)
    title, text = (title or "").strip(), (text or "").strip()
    if not title:
        raise InvalidProposal(_("Give your proposal a title."))
    if len(title) > MAX_TITLE:
        raise InvalidProposal(_("Keep the title under %(max)s characters.") % {"max": MAX_TITLE})
    if not text:
        raise InvalidProposal(_("Say what you propose and why."))
    if len(text) > MAX_TEXT:
        raise InvalidProposal(_("Keep the text under %(max)s characters.") % {"max": MAX_TEXT})
    options = clean_options(kind, options)
    with transaction.atomic():
        proposal = MemberProposal.objects.create(
            initiative=initiative, author=user, title=title, text=text, kind=kind, options=options, created_at=now
        )
        log.append(
            initiative.pk,
            "member_proposal.submitted",
            {"member_proposal": proposal.pk, "title": title, "text": text, "kind": kind, "options": options, "by": user.pk},
            at=now,
        )
    return proposal


def _decidable(member_proposal, user):
    """The proposal, locked, if ``user`` may decide on it and nobody has yet."""
    locked = MemberProposal.objects.select_for_update().select_related("initiative").get(pk=member_proposal.pk)
    if not may_manage(locked.initiative_id, user):
        raise NotAllowed(_("Only a frontrunner of this initiative can decide on its proposals."))
    if locked.status != MemberProposalStatus.PROPOSED:
        raise GovernanceError(_("This proposal has already been decided on."))
    return locked


def election_card_value(block, member_proposal):
    """An election card's value for ``member_proposal``: its question, text and options, and
    the card's defaults for everything else (opens now, closes in 14 days, simple majority,
    all members vote)."""
    raw = block.get_prep_value(block.get_default())
    raw.update(
        question=member_proposal.title[:300],
        description=member_proposal.text,
        kind=member_proposal.kind,
        options=[
            {"type": "item", "value": {"label": label}, "id": str(uuid.uuid4())}
            for label in member_proposal.options
        ],
    )
    return block.to_python(raw)


def _election_block_name(page):
    for name, block in page.cards.stream_block.child_blocks.items():
        if isinstance(block, card.ElectionCardBlock):
            return name, block
    raise GovernanceError(_("This initiative's page cannot hold an election card."))


def _add_card(page, name, value, block_id):
    page.cards.append((name, value, block_id))
    return page


def _publish_with_card(initiative, member_proposal, user):
    """Publish the initiative with a new election card for ``member_proposal``; the card's
    block id. The published content is the live one plus the card, so an editor's unpublished
    draft is not published with it; that draft gets the same card, and stays a draft."""
    page = type(initiative).objects.get(pk=initiative.pk)
    if not page.live:
        raise GovernanceError(_("Publish the initiative's page first: its members vote on it."))
    name, block = _election_block_name(page)
    block_id = str(uuid.uuid4())
    value = election_card_value(block, member_proposal)
    draft = page.get_latest_revision_as_object() if page.has_unpublished_changes else None
    revision = _add_card(page, name, value, block_id).save_revision(user=user, log_action=True)
    # A frontrunner decides what is put to the vote (``may_manage`` was checked), whether or
    # not they also edit the page: the card is theirs to add, nothing else changes.
    revision.publish(user=user, skip_permission_checks=True)
    if draft is not None:
        _add_card(draft, name, value, block_id).save_revision(user=user, log_action=True)
    return block_id


def put_to_vote(member_proposal, user, now=None):
    """A frontrunner puts a member's proposal to the vote; returns the vote (``Proposal``).

    The initiative page gets an election card (published at once) and the card's vote opens
    as any other. Raises ``NotAllowed`` for anyone but a frontrunner or site admin and
    ``GovernanceError`` when the proposal was already decided on; nothing changes then.
    """
    now = now or timezone.now()
    with transaction.atomic():
        locked = _decidable(member_proposal, user)
        block_id = _publish_with_card(locked.initiative, locked, user)
        vote = Proposal.objects.filter(initiative_id=locked.initiative_id, election_block_id=block_id).first()
        if vote is None:
            raise GovernanceError(_("The vote could not be created from this proposal."))
        locked.status, locked.vote = MemberProposalStatus.PUT_TO_VOTE, vote
        locked.decided_at, locked.decided_by = now, user
        locked.save(update_fields=["status", "vote", "decided_at", "decided_by"])
        log.append(
            locked.initiative_id,
            "member_proposal.put_to_vote",
            {"member_proposal": locked.pk, "proposal": str(vote.uuid), "card": block_id, "by": user.pk},
            at=now,
        )
    return vote


def decline(member_proposal, user, reason, now=None):
    """A frontrunner declines a member's proposal; the reason is shown with it and mailed to
    the proposer. Raises ``GovernanceError`` without a reason; nothing changes then."""
    now = now or timezone.now()
    reason = (reason or "").strip()
    if not reason:
        raise GovernanceError(_("Say why the proposal is declined: the proposer and everyone else see it."))
    if len(reason) > MAX_REASON:
        raise GovernanceError(_("Keep the reason under %(max)s characters.") % {"max": MAX_REASON})
    with transaction.atomic():
        locked = _decidable(member_proposal, user)
        locked.status, locked.decline_reason = MemberProposalStatus.DECLINED, reason
        locked.decided_at, locked.decided_by = now, user
        locked.save(update_fields=["status", "decline_reason", "decided_at", "decided_by"])
        log.append(
            locked.initiative_id,
            "member_proposal.declined",
            {"member_proposal": locked.pk, "reason": reason, "by": user.pk},
            at=now,
        )
    return locked


def notify_proposer(member_proposal_id):
    """E-mail the proposer what became of their proposal (the task ``notify_proposer`` runs
    this after the decision is committed). Returns whether a message was sent: not when the
    proposer has no address or left, nor before a decision."""
    member_proposal = (
        MemberProposal.objects.select_related("initiative", "author", "vote").filter(pk=member_proposal_id).first()
    )
    if member_proposal is None or member_proposal.status == MemberProposalStatus.PROPOSED:
        return False
    author = member_proposal.author
    if author is None or not author.email:
        return False
    initiative = member_proposal.initiative
    with translation.override(initiative.content_language or settings.LANGUAGE_CODE):
        context = {"proposal": member_proposal, "initiative": initiative, "page_url": initiative.full_url or ""}
        subject = render_to_string("governance/email/member_proposal_subject.txt", context).strip()
        body = render_to_string("governance/email/member_proposal_decided.txt", context)
    send_mail(" ".join(subject.split()), body, None, [author.email])
    return True


def public_member_proposals(initiative_id):
    """The initiative's member proposals as everyone sees them, newest first (one query)."""
    return list(
        MemberProposal.objects.filter(initiative_id=initiative_id)
        .select_related("vote")
        .only("title", "text", "kind", "options", "status", "created_at", "decided_at", "decline_reason",
              "initiative_id", "vote__uuid", "vote__election_block_id", "vote__status")
    )
