"""The tender card comes alive: what a tender card shows to each visitor.

The card pipeline (``blocks.pipeline.live_contexts``) asks once per page, through the
``tender_card_context`` hook the tender card's value names (registered in
``wagtail_hooks``), for all its tender cards at once; this answers with one query for the
tenders (with their quote counts and awards) and, for a signed-in visitor, one for their own
quotes, however many cards the page has. Nothing here shows a quote's contents to anyone
but its bidder before the quotes are opened.
"""

from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Count, Q
from django.http import QueryDict
from django.shortcuts import resolve_url
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from .models import AwardVoteState, Quote, QuoteStatus, Tender

OPEN, CLOSED, PASSED, OPENED, AWARDED = "open", "closed", "passed", "opened", "awarded"
NO_QUOTES, VOTING = "no-quotes", "voting"
STATE_LABELS = {
    OPEN: _("Open for quotes"),
    CLOSED: _("Closed"),
    PASSED: _("Deadline passed; the quotes open shortly"),
    OPENED: _("Quotes opened; the award follows"),
    VOTING: _("Quotes opened; the members are voting on the award"),
    AWARDED: _("Awarded"),
    NO_QUOTES: _("Closed; no quotes came in"),
}


@dataclass
class LiveTender:
    """One tender card with its bidding state, as one visitor sees it."""

    page_id: int
    block_id: str
    card: object  # the TenderValue
    tender: Tender | None
    now: object
    login_url: str
    signed_in: bool = False
    own_quote: Quote | None = None
    template: str = field(default="tenders/tender_card.html")

    @property
    def deadline(self):
        return self.tender.deadline if self.tender else self.card.get("deadline")

    @cached_property
    def state(self):
        tender = self.tender
        if tender is not None and tender.is_awarded:
            return AWARDED
        opened_quotes = tender is not None and tender.is_opened and tender.active_quotes > 0
        if self.card.get("status") != "open" and not opened_quotes:
            return CLOSED  # the editor closed it (or marked it awarded by hand, before bidding existed)
        if tender is not None and tender.is_opened:
            if opened_quotes and tender.is_being_voted_on:
                return VOTING
            return OPENED if opened_quotes else NO_QUOTES
        if self.deadline is not None and self.now >= self.deadline:
            return PASSED
        return OPEN

    @property
    def state_label(self):
        if self.state == CLOSED:
            # What the editor set on the card ("Closed", or an "Awarded" set by hand).
            return self.card.status_label
        return STATE_LABELS[self.state]

    @property
    def accepting(self):
        return self.state == OPEN

    @property
    def changes_at(self):
        """When this card's look changes by itself: the deadline while quotes are taken."""
        return self.deadline if self.state == OPEN else None

    @property
    def time_left(self):
        return self.deadline - self.now if self.accepting else None

    @property
    def quote_count(self):
        """The number of active quotes, if the card shows it (or once they are opened)."""
        if self.tender is None:
            return 0 if self.card.get("show_quote_count") else None
        if self.card.get("show_quote_count") or self.state in (OPENED, VOTING, AWARDED):
            return self.tender.active_quotes
        return None

    @property
    def award(self):
        if self.state != AWARDED:
            return None
        winner = self.tender.awarded_quote
        return {
            "winner": winner.public_name,
            "organisation_id": winner.organisation_id,
            "amount": winner.amount,
            "reason": self.tender.award_reason,
            "awarded_at": self.tender.awarded_at,
            # Chosen by the members: the card links their vote instead of repeating the reason.
            "vote_url": self.vote_url if self.tender.award_vote_state == AwardVoteState.DECIDED else "",
        }

    @property
    def vote_url(self):
        """The public page of the members' vote on the award (a path), if there is one."""
        if self.tender is None or not self.tender.award_vote_uuid:
            return ""
        return reverse("governance:proposal", args=[self.tender.award_vote_uuid])

    @cached_property
    def losing_amounts(self):
        """The other opened amounts, lowest first, without names (if the card publishes them)."""
        if self.state != AWARDED or not self.card.get("publish_losing_amounts"):
            return []
        return list(
            self.tender.quotes.filter(status=QuoteStatus.ACTIVE)
            .exclude(pk=self.tender.awarded_quote_id)
            .order_by("amount")
            .values_list("amount", flat=True)
        )

    @property
    def quote_url(self):
        return reverse("tenders:quote", args=[self.page_id, self.block_id])

    @property
    def withdraw_url(self):
        return reverse("tenders:withdraw", args=[self.page_id, self.block_id])

    @property
    def own_quote_url(self):
        return reverse("tenders:my_quote", args=[self.own_quote.uuid]) if self.own_quote else ""

    @property
    def check_url(self):
        return reverse("tenders:check", args=[self.tender.uuid]) if self.tender else ""

    @property
    def decisions_url(self):
        if self.tender is None or not self.tender.award_decision_id:
            return ""
        return reverse("governance:decisions", args=[self.page_id])


def _login_url(next_url):
    query = QueryDict(mutable=True)
    query["next"] = next_url
    return f"{resolve_url(settings.LOGIN_URL)}?{query.urlencode()}"


def tender_card_context(page, request, block_ids):
    """The live tenders among ``block_ids`` (tender cards of ``page``), by block id."""
    cards = {child.id: child.value for child in page.cards if child.id in block_ids}
    tenders = {
        tender.block_id: tender
        for tender in Tender.objects.filter(initiative_id=page.pk, block_id__in=list(cards))
        .select_related("awarded_quote__organisation")
        .annotate(active_quotes=Count("quotes", filter=Q(quotes__status=QuoteStatus.ACTIVE)))
    }
    user = getattr(request, "user", None)
    signed_in = bool(user and user.is_authenticated)
    own = {}
    if signed_in and tenders:
        own = {
            quote.tender_id: quote
            for quote in Quote.objects.filter(
                bidder=user, status=QuoteStatus.ACTIVE, tender__in=list(tenders.values())
            ).only("uuid", "tender_id", "receipt", "submitted_at")
        }
    now = timezone.now()
    contexts = {}
    for block_id, card in cards.items():
        tender = tenders.get(block_id)
        contexts[block_id] = LiveTender(
            page_id=page.pk,
            block_id=block_id,
            card=card,
            tender=tender,
            now=now,
            login_url=_login_url(reverse("tenders:quote", args=[page.pk, block_id])),
            signed_in=signed_in,
            own_quote=own.get(tender.pk) if tender else None,
        )
    return contexts
