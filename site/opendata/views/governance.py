"""Decisions, their deployments on the chain, and each initiative's hash-chained log.

Only decisions of public initiatives (``opendata.public``) are given, and only once closed
(there are no early tallies). Nothing here contacts the chain: the deployment and its latest
verification are what the site stored; ``docs/verify_decision.py`` shows how anyone checks a
decision against a node of their own.
"""

import uuid

from django.db.models import Max
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework.response import Response

from governance import contracts
from governance.models import Decision, LogEntry, Proposal, ProposalStatus
from governance.services.log import GENESIS

from .. import public
from ..http import last_modified
from ..public import public_initiatives
from ..schema import paged
from ..serializers import (
    ContractSerializer,
    DecisionSerializer,
    GovernanceLogSerializer,
    LogEntrySerializer,
)
from .base import PAGE_ID, PAGE_PARAMETERS, OpenDataView

DECISION_LIST = paged(DecisionSerializer, "DecisionList")


def public_decisions(request):
    return (
        Decision.objects.filter(proposal__initiative__in=public_initiatives(request))
        .select_related("proposal", "deployment__verification")
        .prefetch_related("updates")
        .order_by("-closed_at", "-pk")
    )


def public_initiative(request, page_id):
    initiative = public.public_initiative(request, page_id)
    if initiative is None:
        raise Http404(_("No public initiative has this id."))
    return initiative


def public_proposal_ids(initiative, entries):
    """The ids of proposals named in ``entries`` that are no longer drafts (so public)."""
    named = set()
    for entry in entries:
        value = entry.payload.get("proposal") if isinstance(entry.payload, dict) else None
        try:
            named.add(uuid.UUID(str(value)))
        except ValueError:
            continue
    if not named:
        return set()
    return {
        str(value)
        for value in Proposal.objects.filter(initiative=initiative, uuid__in=named)
        .exclude(status=ProposalStatus.DRAFT)
        .values_list("uuid", flat=True)
    }


def decisions_stamp(decisions):
    stamps = decisions.order_by().aggregate(
        closed=Max("closed_at"),
        confirmed=Max("deployment__confirmed_at"),
        checked=Max("deployment__verification__checked_at"),
        followed_up=Max("updates__created_at"),
    )
    return max(filter(None, stamps.values()), default=None)


class DecisionListView(OpenDataView):
    """Decisions of public initiatives, the most recently closed first."""

    serializer_class = DecisionSerializer
    known_query_parameters = frozenset(["limit", "offset"])

    def get_queryset(self):
        return public_decisions(self.request)

    @extend_schema(
        operation_id="decisions_list",
        parameters=PAGE_PARAMETERS,
        responses=DECISION_LIST,
    )
    def get(self, request):
        decisions = self.get_queryset()
        page = self.paginate_queryset(decisions)
        response = self.get_paginated_response(self.get_serializer(page, many=True).data)
        return last_modified(response, decisions_stamp(decisions))


class InitiativeDecisionListView(DecisionListView):
    """The decisions of one public initiative, the most recently closed first."""

    def get_queryset(self):
        initiative = public_initiative(self.request, self.kwargs["page_id"])
        return public_decisions(self.request).filter(proposal__initiative=initiative)

    @extend_schema(
        operation_id="initiative_decisions_list",
        parameters=[PAGE_ID, *PAGE_PARAMETERS],
        responses=DECISION_LIST,
    )
    def get(self, request, page_id):
        return super().get(request)


class DecisionDetailView(OpenDataView):
    """One decision, by its proposal's id: rule, tally, outcome, hashes and deployment."""

    serializer_class = DecisionSerializer

    def get(self, request, proposal_uuid):
        decision = public_decisions(request).filter(proposal__uuid=proposal_uuid).first()
        if decision is None:
            raise Http404(_("No closed proposal of a public initiative has this id."))
        response = Response(self.get_serializer(decision).data)
        return last_modified(response, decisions_stamp(public_decisions(request).filter(pk=decision.pk)))


class GovernanceLogView(OpenDataView):
    """The initiative's governance log, oldest entry first, and its head hash.

    Recompute it: for each entry, ``sha256(canonical JSON of {"at", "initiative", "kind",
    "payload_digest", "prev", "seq"})`` (keys sorted, no whitespace, UTF-8) must be its
    ``hash``, and its ``prev_hash`` the ``hash`` before it (64 zeros for the first); where the
    payload is published, ``sha256(salt bytes || canonical JSON of payload)`` must be its
    ``payload_digest``. The head goes into every decision record (``record.log_head``), so the
    anchored contracts pin the log; records made before payload digests hold a format-1 hash,
    which the ``log.rechained`` entry maps to its entry (``payload.v1_heads``).
    """

    serializer_class = GovernanceLogSerializer
    known_query_parameters = frozenset(["limit", "offset"])

    @extend_schema(parameters=[PAGE_ID, *PAGE_PARAMETERS])
    def get(self, request, page_id):
        initiative = public_initiative(request, page_id)
        entries = LogEntry.objects.filter(initiative=initiative).order_by("seq")
        page = list(self.paginate_queryset(entries))
        public_proposals = public_proposal_ids(initiative, page)
        last = entries.order_by("-seq").values_list("hash", "created_at").first()
        items = LogEntrySerializer(
            page, many=True, context={"public_proposals": public_proposals}
        ).data
        body = {
            "initiative": initiative.pk,
            "head": last[0] if last else GENESIS,
            "genesis": GENESIS,
            "meta": {"total_count": self.paginator.total_count},
            "items": items,
        }
        return last_modified(Response(body), last[1] if last else None)


class ContractView(OpenDataView):
    """The decision-record contract every decision is deployed as: ABI and runtime code.

    Compare ``bytecode_runtime`` with the code at a decision's address, and read its getters
    with ``abi``. The source is ``governance/contracts/DecisionRecord.vy`` in the site's code.
    """

    serializer_class = ContractSerializer

    def get(self, request):
        return Response(ContractSerializer(contracts.artifact()).data)
