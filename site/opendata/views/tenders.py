"""Tender awards as open data: who won, for how much and why, and how to check it.

Only awarded tenders of a public initiative whose page still shows the tender card are
listed, so nothing sealed is ever read: a quote's contents are decrypted only when the tender
opens (``tenders.services.opening``), and an award comes after that. What is given is exactly
what the awarded tender card shows an anonymous visitor (``tenders.live.LiveTender``): the
winner's public name (``tenders.names``: never an e-mail address), the amount, the reason and the moment of the award,
the number of quotes opened, and the other amounts without names only when the card's
``publish_losing_amounts`` is set. Never a non-winning bidder, a quote's text or an
attachment. The Merkle root of the opened quotes' receipts and the award's deployment (what
the site stored; no request here contacts the chain) let anyone check the award.
"""

from collections import defaultdict

from django.db.models import Count, Max, Q
from drf_spectacular.utils import extend_schema

from governance.models import Deployment
from tenders.models import Quote, QuoteStatus, Tender
from tenders.services.cards import tender_cards

from ..http import last_modified
from ..schema import paged
from ..serializers import TenderAwardSerializer
from .base import PAGE_ID, PAGE_PARAMETERS, OpenDataView
from .governance import public_initiative

TENDER_AWARD_LIST = paged(TenderAwardSerializer, "TenderAwardList")


class TenderAwardListView(OpenDataView):
    """The awarded tenders of one public initiative, the most recent award first."""

    serializer_class = TenderAwardSerializer
    known_query_parameters = frozenset(["limit", "offset"])

    @extend_schema(
        operation_id="initiative_tender_awards_list",
        parameters=[PAGE_ID, *PAGE_PARAMETERS],
        responses=TENDER_AWARD_LIST,
    )
    def get(self, request, page_id):
        initiative = public_initiative(request, page_id)
        cards = tender_cards(initiative)
        tenders = (
            Tender.objects.filter(
                initiative=initiative, block_id__in=list(cards), awarded_quote__isnull=False
            )
            .select_related("awarded_quote__organisation")
            .annotate(opened_quotes=Count("quotes", filter=Q(quotes__status=QuoteStatus.ACTIVE)))
            .order_by("-awarded_at", "-pk")
        )
        page = list(self.paginate_queryset(tenders))
        # One query each for the deployments and the published other amounts, however many
        # tenders the page of results holds.
        decision_ids = [tender.award_decision_id for tender in page if tender.award_decision_id]
        deployments = {
            deployment.decision_id: deployment
            for deployment in Deployment.objects.filter(decision_id__in=decision_ids).select_related(
                "decision", "verification"
            )
        } if decision_ids else {}
        publishing = [
            tender.pk for tender in page if cards[tender.block_id].get("publish_losing_amounts")
        ]
        other_amounts = defaultdict(list)
        if publishing:
            rows = (
                Quote.objects.filter(tender_id__in=publishing, status=QuoteStatus.ACTIVE)
                .exclude(pk__in=[tender.awarded_quote_id for tender in page])
                .order_by("amount", "pk")
                .values_list("tender_id", "amount")
            )
            for tender_id, amount in rows:
                other_amounts[tender_id].append(amount)
        for tender in page:
            tender.card = cards[tender.block_id]
            tender.deployment = deployments.get(tender.award_decision_id)
            tender.other_amounts = (
                other_amounts[tender.pk] if tender.card.get("publish_losing_amounts") else None
            )
        response = self.get_paginated_response(
            TenderAwardSerializer(page, many=True, context={"request": request}).data
        )
        stamp = tenders.order_by().aggregate(stamp=Max("awarded_at"))["stamp"]
        return last_modified(response, stamp)
