"""Proposing, opening and closing votes; closing computes the decision and fills the outbox."""

import json
import logging
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import external_votes, merkle
from ..exceptions import (
    GovernanceError,
    InvalidProposal,
    NotAllowed,
    NotDueYet,
    ProposalNotOpen,
    RulesFrozen,
)
from ..hashing import canonical_json, keccak_hex
from ..models import (
    FOR_AGAINST_OPTIONS,
    Ballot,
    Decision,
    DecisionRule,
    Deployment,
    Membership,
    Proposal,
    ProposalKind,
    ProposalStatus,
    Role,
)
from . import log, tally
from .membership import require_member

logger = logging.getLogger(__name__)

MAX_OPTIONS = 20  # the election card allows 20; the contract holds up to 32
RULE_FIELDS = (
    "title",
    "text",
    "kind",
    "options",
    "eligible_roles",
    "opens_at",
    "closes_at",
    "rule",
    "qualified_percent",
    "quorum_percent",
)


def _percent(value, field):
    if value in (None, ""):
        return None
    try:
        return Decimal(str(value)).quantize(Decimal("0.01"))
    except InvalidOperation:
        raise InvalidProposal(_("%(field)s must be a number.") % {"field": field}) from None


def _clean(fields):
    """Validate and normalise proposal rules; raise InvalidProposal with the first problem."""
    fields = dict(fields)
    fields["title"] = (fields.get("title") or "").strip()
    if not fields["title"]:
        raise InvalidProposal(_("A proposal needs a title."))
    kind = fields.get("kind", ProposalKind.FOR_AGAINST)
    if kind not in ProposalKind.values:
        raise InvalidProposal(_("Unknown kind of proposal."))
    fields["kind"] = kind
    if kind == ProposalKind.FOR_AGAINST:
        fields["options"] = list(FOR_AGAINST_OPTIONS)
    else:
        options = [str(option).strip() for option in fields.get("options") or ()]
        if len(options) < 2 or len(options) > MAX_OPTIONS or not all(options):
            raise InvalidProposal(_("Give between 2 and %(max)s options, none empty.") % {"max": MAX_OPTIONS})
        if len({option.casefold() for option in options}) != len(options):
            raise InvalidProposal(_("Each option must be different."))
        fields["options"] = options
    roles = fields.get("eligible_roles") or [Role.FRONTRUNNER, Role.PARTICIPANT]
    if not set(roles) <= set(Role.values):
        raise InvalidProposal(_("Unknown role among those who may vote."))
    fields["eligible_roles"] = sorted(set(roles))
    opens_at, closes_at = fields.get("opens_at"), fields.get("closes_at")
    if opens_at is None or closes_at is None or timezone.is_naive(opens_at) or timezone.is_naive(closes_at):
        raise InvalidProposal(_("Give an opening and a closing time (with a time zone)."))
    if closes_at <= opens_at:
        raise InvalidProposal(_("Voting must close after it opens."))
    rule = fields.get("rule", DecisionRule.SIMPLE_MAJORITY)
    if rule not in DecisionRule.values:
        raise InvalidProposal(_("Unknown decision rule."))
    fields["rule"] = rule
    qualified = _percent(fields.get("qualified_percent"), _("The qualified majority"))
    if rule == DecisionRule.QUALIFIED_MAJORITY:
        if qualified is None or not Decimal(50) < qualified <= Decimal(100):
            raise InvalidProposal(_("A qualified majority is a percentage above 50 and at most 100."))
    else:
        qualified = None
    fields["qualified_percent"] = qualified
    if rule == DecisionRule.CONSENSUS and kind != ProposalKind.FOR_AGAINST:
        raise InvalidProposal(_("Consensus applies to for/against proposals only."))
    quorum = _percent(fields.get("quorum_percent"), _("The quorum"))
    if quorum is not None and not Decimal(0) < quorum <= Decimal(100):
        raise InvalidProposal(_("The quorum is a percentage above 0 and at most 100."))
    fields["quorum_percent"] = quorum
    fields["text"] = fields.get("text") or ""
    details = [str(detail).strip()[:500] for detail in fields.get("option_details") or ()]
    if details and len(details) != len(fields["options"]):
        raise InvalidProposal(_("Give one detail per option, or none."))
    fields["option_details"] = details
    fields["options_restricted"] = bool(fields.get("options_restricted"))
    return fields


def rules_of(proposal):
    rules = {name: getattr(proposal, name) for name in RULE_FIELDS}
    # Only votes that have them hash these, so the hashes of earlier votes stay as they were.
    if proposal.option_details:
        rules["option_details"] = list(proposal.option_details)
    if proposal.options_restricted:
        rules["options_restricted"] = True
    return rules


def rules_hash(proposal):
    rules = rules_of(proposal)
    rules["uuid"] = str(proposal.uuid)
    rules["initiative"] = proposal.initiative_id
    return keccak_hex(canonical_json(rules))


@transaction.atomic
def propose(initiative, user, *, election_block_id="", now=None, **rules):
    """Any member drafts a proposal; it takes no ballots until a frontrunner opens it."""
    now = now or timezone.now()
    require_member(initiative.pk, user)
    fields = _clean(rules)
    proposal = Proposal.objects.create(
        initiative=initiative,
        proposed_by=user,
        election_block_id=election_block_id,
        created_at=now,
        **fields,
    )
    log.append(
        initiative.pk,
        "proposal.created",
        {"proposal": str(proposal.uuid), "title": proposal.title, "by": user.pk},
        at=now,
    )
    return proposal


@transaction.atomic
def update_proposal(proposal, user, **changes):
    """Change a draft (its proposer or a frontrunner); refused once voting has opened."""
    proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
    if proposal.status != ProposalStatus.DRAFT:
        raise RulesFrozen()
    membership = require_member(proposal.initiative_id, user)
    if proposal.proposed_by_id != user.pk and membership.role != Role.FRONTRUNNER:
        raise NotAllowed(_("Only the proposer or a frontrunner can change this proposal."))
    unknown = set(changes) - set(RULE_FIELDS) - {"election_block_id"}
    if unknown:
        raise InvalidProposal(_("These cannot be changed: %s.") % ", ".join(sorted(unknown)))
    fields = _clean({**rules_of(proposal), **changes})
    for name, value in fields.items():
        setattr(proposal, name, value)
    if "election_block_id" in changes:
        proposal.election_block_id = changes["election_block_id"]
    proposal.save()
    return proposal


@transaction.atomic
def open_proposal(proposal, user, now=None):
    """A frontrunner opens the vote: from now on the rules are frozen."""
    now = now or timezone.now()
    proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
    require_member(proposal.initiative_id, user, roles={Role.FRONTRUNNER})
    if proposal.status != ProposalStatus.DRAFT:
        raise RulesFrozen(_("This proposal is already open or closed."))
    if proposal.closes_at <= now:
        raise InvalidProposal(_("The closing time has already passed; change it first."))
    proposal.status = ProposalStatus.OPEN
    proposal.opened_by, proposal.opened_at = user, now
    proposal.rules_hash = rules_hash(proposal)
    proposal.save(update_fields=["status", "opened_by", "opened_at", "rules_hash"])
    log.append(
        proposal.initiative_id,
        "proposal.opened",
        {"proposal": str(proposal.uuid), "rules_hash": proposal.rules_hash, "by": user.pk},
        at=now,
    )
    return proposal


def eligible_voters(proposal):
    return Membership.objects.filter(
        initiative_id=proposal.initiative_id,
        left_at__isnull=True,
        role__in=proposal.eligible_roles,
    ).values_list("user_id", flat=True)


def decision_record(proposal, outcome, receipts_root, closed_at, log_head):
    return {
        # 2: ``log_head`` is the hash of this proposal's own "proposal.closed" entry.
        "version": 2,
        "initiative_id": proposal.initiative_id,
        "proposal_id": proposal.pk,
        "proposal_uuid": str(proposal.uuid),
        "title": proposal.title,
        "kind": proposal.kind,
        "options": list(proposal.options),
        "rule": proposal.rule,
        "qualified_percent": proposal.qualified_percent,
        "quorum_percent": proposal.quorum_percent,
        "eligible_roles": list(proposal.eligible_roles),
        "opens_at": proposal.opens_at,
        "closes_at": proposal.closes_at,
        "closed_at": closed_at,
        "rules_hash": proposal.rules_hash,
        "eligible_members": outcome.eligible_count,
        "ballots": outcome.ballot_count,
        "tally": list(outcome.tally),
        "passed": outcome.passed,
        "winning_option": outcome.winning_option,
        "quorum_reached": outcome.quorum_reached,
        "receipts_root": receipts_root,
        "log_head": log_head,
    }


def close_proposal(proposal, user=None, now=None):
    """Close a proposal whose voting time is over and record its decision.

    ``user`` is the frontrunner closing it, or None for the scheduler. The decision and its
    outbox row are committed together; anchoring happens afterwards in a task.
    """
    now = now or timezone.now()
    with transaction.atomic():
        # FOR UPDATE waits for ballots being written (they hold FOR SHARE on the proposal).
        proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
        if user is not None:
            require_member(proposal.initiative_id, user, roles={Role.FRONTRUNNER})
        if proposal.status != ProposalStatus.OPEN:
            raise ProposalNotOpen(_("Only an open proposal can be closed."))
        if now < proposal.closes_at:
            raise NotDueYet()
        if rules_hash(proposal) != proposal.rules_hash:
            raise RulesFrozen(_("The rules changed after voting opened; the vote cannot close."))
        electorate = set(eligible_voters(proposal))
        ballots = list(
            Ballot.objects.filter(proposal=proposal, voter_id__in=electorate)
            .order_by("pk")
            .values_list("pk", "choice", "leaf")
        )
        outcome = tally.decide(
            kind=proposal.kind,
            rule=proposal.rule,
            qualified_percent=proposal.qualified_percent,
            quorum_percent=proposal.quorum_percent,
            tally=tally.count((choice for _pk, choice, _leaf in ballots), len(proposal.options)),
            eligible_count=len(electorate),
        )
        receipts_root = merkle.root(leaf for _pk, _choice, leaf in ballots)
        Ballot.objects.filter(pk__in=[pk for pk, _choice, _leaf in ballots]).update(counted=True)
        proposal.status = ProposalStatus.CLOSED
        proposal.save(update_fields=["status"])
        # The closing entry comes first and the record anchors the log head *including* it, so
        # removing it (or anything before it) is detected against the chain.
        closed_entry = log.append(
            proposal.initiative_id,
            "proposal.closed",
            {
                "proposal": str(proposal.uuid),
                "passed": outcome.passed,
                "tally": list(outcome.tally),
                "receipts_root": receipts_root,
                "by": user.pk if user else None,
            },
            at=now,
        )
        record = decision_record(proposal, outcome, receipts_root, now, closed_entry.hash)
        # Store the record exactly as it was hashed (datetimes and decimals as strings).
        record = _json_roundtrip(record)
        decision = Decision.objects.create(
            proposal=proposal,
            tally=list(outcome.tally),
            passed=outcome.passed,
            winning_option=outcome.winning_option,
            rule=proposal.rule,
            quorum_reached=outcome.quorum_reached,
            eligible_count=outcome.eligible_count,
            ballot_count=outcome.ballot_count,
            receipts_root=receipts_root,
            record=record,
            record_hash=keccak_hex(canonical_json(record)),
            closed_at=now,
        )
        Deployment.objects.create(decision=decision, next_attempt_at=now)
        # Apps that started this vote act on its outcome in this same transaction.
        external_votes.announce(proposal, decision)
        transaction.on_commit(lambda: _enqueue_anchoring(decision.pk))
    return decision


def _json_roundtrip(record):
    return json.loads(canonical_json(record))


def _enqueue_anchoring(decision_id):
    from ..tasks import anchor_decision

    anchor_decision.enqueue(decision_id)


def close_due_proposals(now=None):
    """Close every open proposal whose closing time has passed; returns the decisions."""
    now = now or timezone.now()
    decisions = []
    due = Proposal.objects.filter(status=ProposalStatus.OPEN, closes_at__lte=now)
    for proposal in due.order_by("closes_at", "pk"):
        try:
            decisions.append(close_proposal(proposal, now=now))
        except ProposalNotOpen:
            continue  # closed meanwhile by a frontrunner or another scheduler
        except GovernanceError as error:
            logger.error("Proposal %s cannot close: %s", proposal.pk, error)
    return decisions
