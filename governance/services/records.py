"""Decisions taken outside a vote (a frontrunner's award of a tender), anchored as usual.

Another app records a decision here: it becomes a closed proposal of the initiative with the
choices that were on the table, a ``Decision`` whose canonical record carries the app's own
facts, and a ``Deployment`` in the outbox, so it is deployed as a ``DecisionRecord`` contract,
listed on the decisions page and verified like any vote. The tally names the one choice the
decision-maker made (one "ballot"); no ballot rows exist, so the receipts root is empty.
"""

import datetime
import json

from django.db import transaction
from django.utils import timezone

from .. import merkle
from ..exceptions import InvalidProposal
from ..hashing import canonical_json, keccak_hex
from ..models import Decision, DecisionRule, Deployment, Proposal, ProposalKind, ProposalStatus, Role
from . import log

# DecisionRecord.vy holds at most this many options.
MAX_CHOICES = 32


def record_decision(initiative_id, *, title, choices, chosen, facts, by=None, now=None):
    """Record and queue for anchoring a decision between ``choices`` (2 to 32 labels) that
    chose ``chosen`` (an index), taken by ``by`` (a user, or None). ``facts`` (JSON-able,
    datetimes and decimals allowed) go into the decision record under ``"facts"``; the record's
    keccak256 is what the contract holds. Returns the ``Decision``. Raises InvalidProposal for
    a wrong number of choices or a chosen index outside them.
    """
    now = now or timezone.now()
    choices = [str(choice)[:200] for choice in choices]
    if not 2 <= len(choices) <= MAX_CHOICES or not 0 <= chosen < len(choices):
        raise InvalidProposal()
    tally = [1 if index == chosen else 0 for index in range(len(choices))]
    with transaction.atomic():
        proposal = Proposal.objects.create(
            initiative_id=initiative_id,
            title=title[:200],
            kind=ProposalKind.OPTIONS,
            options=choices,
            eligible_roles=[Role.FRONTRUNNER],
            opens_at=now - datetime.timedelta(microseconds=1),
            closes_at=now,
            rule=DecisionRule.SIMPLE_MAJORITY,
            status=ProposalStatus.CLOSED,
            proposed_by=by,
            opened_by=by,
            opened_at=now,
        )
        record = {
            # 2: no "by". The record is published as open data and cannot be withheld (its
            # hash is on the chain), and who decided is no more public than on the site: the
            # site keeps it (``proposed_by``, the log entry's withheld payload).
            "version": 2,
            "kind": "recorded",
            "initiative_id": initiative_id,
            "proposal_id": proposal.pk,
            "proposal_uuid": str(proposal.uuid),
            "title": proposal.title,
            "options": choices,
            "closed_at": now,
            "tally": tally,
            "passed": True,
            "winning_option": chosen,
            "quorum_reached": True,
            "ballots": 1,
            "receipts_root": merkle.EMPTY_ROOT,
            "facts": facts,
            "log_head": log.head(initiative_id),
        }
        record = json.loads(canonical_json(record))
        decision = Decision.objects.create(
            proposal=proposal,
            tally=tally,
            passed=True,
            winning_option=chosen,
            rule=DecisionRule.SIMPLE_MAJORITY,
            quorum_reached=True,
            eligible_count=1,
            ballot_count=1,
            receipts_root=merkle.EMPTY_ROOT,
            record=record,
            record_hash=keccak_hex(canonical_json(record)),
            closed_at=now,
        )
        Deployment.objects.create(decision=decision, next_attempt_at=now)
        log.append(
            initiative_id,
            "decision.recorded",
            {"proposal": str(proposal.uuid), "decision_hash": decision.record_hash, "by": getattr(by, "pk", None)},
            at=now,
        )
        transaction.on_commit(lambda: _enqueue_anchoring(decision.pk))
    return decision


def _enqueue_anchoring(decision_id):
    from ..tasks import anchor_decision

    anchor_decision.enqueue(decision_id)
