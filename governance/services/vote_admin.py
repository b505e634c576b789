"""Frontrunners edit and schedule a vote from the admin, before it opens.

The election card is the vote, so an edit of a card's vote is written to the card: the live
page gets a new revision with the card changed, published in the frontrunner's name (the
card is theirs to change, whether or not they edit the rest of the page), and publishing
brings the vote in line as any publication does (``card_votes.sync_page``, which logs
``proposal.updated``). An editor's unpublished draft gets the same change on top, and stays
a draft. A vote without a card (started in code) is changed in place and logged alike.

Fields use the election card's names (``question``, ``description``, ``kind``, ``options``
as a list of labels, ``electorate``, ``opens_at``, ``closes_at``, ``rule``,
``qualified_percent``, ``quorum_percent``). Once voting has opened every one of them is
frozen: an edit that would change any is refused with a message naming them.
"""

import uuid

from django.apps import apps
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from blocks.cards import election as card

from ..exceptions import GovernanceError, NotAllowed, RulesFrozen
from ..models import Proposal, ProposalStatus
from . import log
from .card_votes import ELECTORATES, card_rules, frozen_changes, frozen_message, is_frozen, may_manage
from .proposals import _clean, rules_of

EDITABLE = ("question", "description", "kind", "options", "electorate", "opens_at", "closes_at", "rule",
            "qualified_percent", "quorum_percent")


def electorate_of(proposal):
    """The card's ``electorate`` choice for the proposal's eligible roles ("members" if none fits)."""
    roles = sorted(proposal.eligible_roles)
    for name, wanted in ELECTORATES.items():
        if sorted(wanted) == roles:
            return name
    return "members"


def card_value_of(proposal):
    """The proposal's rules as an election card value (plain dict, card field names)."""
    return {
        "question": proposal.title,
        "description": proposal.text,
        "kind": card.FOR_AGAINST if proposal.kind == "for_against" else card.OPTIONS,
        "options": [{"label": label} for label in proposal.options] if proposal.kind != "for_against" else [],
        "electorate": electorate_of(proposal),
        "opens_at": proposal.opens_at,
        "closes_at": proposal.closes_at,
        "rule": proposal.rule,
        "qualified_percent": proposal.qualified_percent,
        "quorum_percent": proposal.quorum_percent,
    }


def _write_card(page, block_id, changes):
    """Set ``changes`` on election card ``block_id`` of ``page`` (stored JSON form, other cards
    untouched); False when the page has no such card."""
    raw = [dict(item) for item in page.cards.raw_data]
    for item in raw:
        if item.get("id") != block_id:
            continue
        block = page.cards.stream_block.child_blocks.get(item.get("type"))
        if not isinstance(block, card.ElectionCardBlock):
            return False
        value = dict(item["value"])
        for name, new in changes.items():
            if name == "options":
                value["options"] = [
                    {"type": "item", "value": {"label": label}, "id": str(uuid.uuid4())} for label in new
                ]
            else:
                value[name] = block.child_blocks[name].get_prep_value(new)
        item["value"] = value
        page.cards = raw
        return True
    return False


def edit_vote(proposal, user, changes, now=None):
    """Change a vote that has not opened; ``changes`` maps card field names to new values.

    Returns the fresh proposal. Raises ``NotAllowed`` for anyone but a frontrunner of the
    initiative or a site admin, ``RulesFrozen`` (naming the fields) once voting has opened,
    ``InvalidProposal`` for rules that do not hold (closing before opening, fewer than two
    options...), ``GovernanceError`` for a cancelled vote or an unpublished page; nothing is
    stored then.
    """
    now = now or timezone.now()
    changes = {name: value for name, value in changes.items() if name in EDITABLE}
    with transaction.atomic():
        # Publishing below locks the page's votes in primary-key order (``sync_page``); take
        # them all in that order now, so an edit and a publication never deadlock.
        locked = Proposal.objects.select_for_update().filter(initiative_id=proposal.initiative_id).order_by("pk")
        proposal = {row.pk: row for row in locked}.get(proposal.pk) or Proposal.objects.get(pk=proposal.pk)
        if not may_manage(proposal, user):
            raise NotAllowed(_("Only a frontrunner of this initiative can change its votes."))
        if proposal.status == ProposalStatus.CANCELLED:
            raise GovernanceError(_("This vote was cancelled; it can no longer change."))
        wanted = {**card_value_of(proposal), **changes}
        if "options" in changes:
            wanted["options"] = [{"label": str(label)} for label in changes["options"]]
        if is_frozen(proposal, now):
            changed = frozen_changes(proposal, wanted)
            if changed:
                raise RulesFrozen(frozen_message(proposal, changed))
            return proposal
        fields = _clean({**rules_of(proposal), **card_rules(wanted)})
        if fields["opens_at"] < now.replace(second=0, microsecond=0):
            raise GovernanceError(_("Choose an opening time from now on: a vote cannot open in the past."))
        changed = sorted(name for name, value in fields.items() if getattr(proposal, name) != value)
        if not changed:
            return proposal
        if proposal.election_block_id:
            _publish_card_change(proposal, user, changes)
            proposal.refresh_from_db()
        else:
            for name in changed:
                setattr(proposal, name, fields[name])
            proposal.save(update_fields=changed)
            log.append(
                proposal.initiative_id,
                "proposal.updated",
                {"proposal": str(proposal.uuid), "card": "", "by": getattr(user, "pk", None), "fields": changed},
                at=now,
            )
    return proposal


def _publish_card_change(proposal, user, changes):
    InitiativePage = apps.get_model("initiatives", "InitiativePage")
    page = InitiativePage.objects.get(pk=proposal.initiative_id)
    if not page.live:
        raise GovernanceError(_("Publish the initiative's page first: its election card is the vote."))
    draft = page.get_latest_revision_as_object() if page.has_unpublished_changes else None
    if not _write_card(page, proposal.election_block_id, changes):
        raise GovernanceError(_("The election card of this vote is no longer on the published page."))
    # clean=False: only this card changes; the rest of the page is the editors' business.
    revision = page.save_revision(user=user, clean=False, log_action=True)
    # Publishing runs the card lifecycle, which updates the vote and logs it.
    revision.publish(user=user, skip_permission_checks=True)
    if draft is not None and _write_card(draft, proposal.election_block_id, changes):
        draft.save_revision(user=user, clean=False, log_action=True)
