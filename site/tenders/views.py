"""Public tender pages: the quote form, withdrawing, a bidder's own quote and receipt, the
attachment, the inclusion check and organisations.

Views stay thin: they read the request, call ``tenders.services`` and show ``str(error)`` of
a ``TenderError`` (which always means nothing was stored). Every POST is CSRF-protected and
every URL is relative, so bidding works the same on an initiative's own domain.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from wagtail.models import Page

from ctylab.reachable import reachable

from . import services
from .exceptions import TenderError, TenderNotFound
from .forms import OrganisationForm, QuoteForm
from .models import Organisation, Quote, QuoteStatus, Tender
from .services import access, attachments
from .services.bidding import contents, is_verified, new_form_token, refusal
from .services.cards import published_page, tender_card


def _card_url(request, page, block_id):
    return f"{page.get_url(request) or '/'}#card-{block_id}"


def _tender_or_404(page_id, block_id):
    try:
        page = published_page(page_id)
        return page, tender_card(page, block_id)
    except TenderNotFound:
        raise Http404(str(TenderNotFound.default_message)) from None


@login_required
@require_http_methods(["GET", "POST"])
def quote(request, page_id, block_id):
    """The quote form of one tender card (GET), and sending it (POST)."""
    page, card = _tender_or_404(page_id, block_id)
    tender = Tender.objects.filter(initiative_id=page.pk, block_id=block_id).first()
    current = services.my_quote(tender, request.user)
    status = 200
    closed = refusal(tender, card) if request.method == "GET" else None
    if closed is not None:
        form = None
    elif request.method == "POST":
        form = QuoteForm(request.POST, request.FILES, user=request.user)
        if form.is_valid():
            data = form.cleaned_data
            try:
                new = services.submit_quote(
                    page.pk,
                    block_id,
                    request.user,
                    amount=data["amount"],
                    amount_reason=data["amount_reason"],
                    offer=data["offer"],
                    delivery_date=data["delivery_date"],
                    valid_until=data["valid_until"],
                    organisation_id=form.organisation_id,
                    attachment=data.get("attachment"),
                    token=data["token"],
                )
            except TenderError as error:
                form.add_error(None, str(error))
            else:
                messages.success(
                    request,
                    _("Your quote is sealed and stored. Keep your receipt: %(receipt)s")
                    % {"receipt": new.receipt},
                )
                return redirect("tenders:my_quote", new.uuid)
        status = 400
        # A fresh token: the refused form stored nothing, so sending it again is no replay.
        form.data = form.data.copy()
        form.data["token"] = new_form_token()
    else:
        initial = {"token": new_form_token(), "bid_as": "resident"}
        if current is not None:
            data = current.contents
            initial.update(
                amount=data["amount"],
                amount_reason=data.get("amount_reason", ""),
                offer=data["offer"],
                delivery_date=data["delivery_date"],
                valid_until=data["valid_until"],
                bid_as=str((data.get("organisation") or {}).get("id") or "resident"),
            )
        form = QuoteForm(initial=initial, user=request.user)
    context = {
        "page": page,
        "card": card,
        "tender": tender,
        "deadline": tender.deadline if tender else card.get("deadline"),
        "form": form,
        "closed": closed,
        "current": current,
        "verified": is_verified(request.user),
        "card_url": _card_url(request, page, block_id),
    }
    return render(request, "tenders/quote_form.html", context, status=status)


@login_required
@require_POST
def withdraw(request, page_id, block_id):
    page, _card = _tender_or_404(page_id, block_id)
    try:
        services.withdraw_quote(page.pk, block_id, request.user)
    except TenderError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Your quote is withdrawn."))
    return redirect(_card_url(request, page, block_id))


def _visible_quote(request, quote_uuid):
    quote = get_object_or_404(Quote.objects.select_related("tender"), uuid=quote_uuid)
    if not access.may_see_quote(quote, request.user):
        # The same answer as for a quote that does not exist: sealed means not even "it exists".
        raise Http404()
    return quote


@login_required
def my_quote(request, quote_uuid):
    """A quote with its receipt: to its bidder always, to the managers once opened."""
    quote = _visible_quote(request, quote_uuid)
    try:
        page = published_page(quote.tender.initiative_id)
    except TenderNotFound:
        raise Http404() from None
    return render(
        request,
        "tenders/my_quote.html",
        {
            "quote": quote,
            "data": contents(quote),
            "tender": quote.tender,
            "page": page,
            "card_url": _card_url(request, page, quote.tender.block_id),
            "is_active": quote.status == QuoteStatus.ACTIVE,
        },
    )


@login_required
def attachment(request, quote_uuid):
    quote = _visible_quote(request, quote_uuid)
    if not quote.attachment_file:
        raise Http404()
    try:
        data = attachments.load(quote.attachment_file)
    except FileNotFoundError:
        raise Http404() from None
    name = (contents(quote).get("attachment") or {}).get("name") or "quote.pdf"
    response = HttpResponse(data, content_type="application/pdf")
    safe_name = "".join(ch for ch in name if ch.isalnum() or ch in "._- ") or "quote.pdf"
    response["Content-Disposition"] = f'attachment; filename="{safe_name}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@require_http_methods(["GET"])
def check(request, tender_uuid):
    """Anyone with a receipt sees whether its quote was among the quotes opened."""
    tender = get_object_or_404(Tender, uuid=tender_uuid)
    try:
        page = published_page(tender.initiative_id)
    except TenderNotFound:
        raise Http404() from None
    receipt = request.GET.get("receipt", "").strip()
    result = services.inclusion_proof(tender, receipt) if receipt else None
    decision_url = reverse("governance:decisions", args=[page.pk]) if tender.award_decision_id else ""
    return render(
        request,
        "tenders/check.html",
        {
            "tender": tender,
            "page": page,
            "receipt": receipt,
            "result": result,
            "decision_url": decision_url,
            "card_url": _card_url(request, page, tender.block_id),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def organisations(request):
    """The organisations the signed-in account bids for, and adding one."""
    form = OrganisationForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            organisation = form.save(commit=False)
            organisation.representative = request.user
            if Organisation.objects.filter(
                representative=request.user, kvk_number=organisation.kvk_number
            ).exists():
                form.add_error("kvk_number", _("You already added an organisation with this KvK number."))
            else:
                organisation.save()
                messages.success(request, _("%(name)s is added; you can now bid for it.") % {"name": organisation.name})
                next_url = request.POST.get("next", "")
                if next_url.startswith("/") and not next_url.startswith("//"):
                    return redirect(next_url)
                return redirect("tenders:organisations")
        status = 400
    return render(
        request,
        "tenders/organisations.html",
        {
            "form": form,
            "organisations": Organisation.objects.filter(representative=request.user),
            "next": request.GET.get("next") or request.POST.get("next", ""),
        },
        status=status,
    )


def organisation(request, organisation_id):
    """An organisation's public profile: its name, KvK number and the tenders it won."""
    organisation = get_object_or_404(Organisation, pk=organisation_id)
    won = (
        Tender.objects.filter(
            awarded_quote__organisation=organisation,
            initiative__in=reachable(Page.objects.all()).values("pk"),
        )
        .select_related("awarded_quote", "initiative")
        .order_by("-awarded_at")
    )
    return render(request, "tenders/organisation.html", {"organisation": organisation, "won": won})
