"""The tenders' admin: frontrunners (and site admins) see their tenders, extend a deadline
before it passes, and — once the quotes are opened, never before — compare and award them.

Every view asks ``services.access``; a quote's contents appear on no admin screen before its
tender is opened (the quotes view then shows only that they are sealed, not even how many).
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.menu import MenuItem
from wagtail.admin.viewsets.base import ViewSet

from . import services
from .exceptions import TenderError
from .forms import AwardForm, ExtendDeadlineForm, PutToVoteForm
from .models import QuoteStatus
from .services import access

ORDERINGS = {
    "amount": ("amount", "submitted_at"),
    "-amount": ("-amount", "submitted_at"),
    "submitted_at": ("submitted_at", "pk"),
    "-submitted_at": ("-submitted_at", "-pk"),
    "delivery_date": ("delivery_date", "amount"),
}


def _managed_tender(request, tender_id):
    tender = get_object_or_404(access.managed_tenders(request.user).select_related("initiative"), pk=tender_id)
    return tender


def index(request):
    tenders = (
        access.managed_tenders(request.user)
        .select_related("initiative", "awarded_quote")
        .annotate(active_quotes=Count("quotes", filter=Q(quotes__status=QuoteStatus.ACTIVE)))
        .order_by("-deadline")
    )
    return TemplateResponse(
        request,
        "tenders/admin/index.html",
        {"tenders": tenders, "now": timezone.now(), "header_title": _("Tenders")},
    )


def quotes(request, tender_id):
    tender = _managed_tender(request, tender_id)
    ordering = request.GET.get("ordering", "amount")
    if ordering not in ORDERINGS:
        ordering = "amount"
    rows = []
    if access.may_see_quotes(tender, request.user):
        rows = list(
            tender.quotes.filter(status=QuoteStatus.ACTIVE)
            .select_related("organisation")
            .order_by(*ORDERINGS[ordering])
        )
        # The letter each quote has in the members' vote, for frontrunners to match them.
        letters = services.award_vote.letters_of(tender)
        for quote in rows:
            quote.vote_letter = letters.get(quote.pk, "")
    form = None
    if tender.is_opened and not tender.is_awarded and not tender.is_being_voted_on and rows:
        form = AwardForm(request.POST or None, quotes=rows)
        if request.method == "POST":
            if form.is_valid():
                try:
                    services.award(tender, form.cleaned_data["quote"], request.user, form.cleaned_data["reason"])
                except TenderError as error:
                    form.add_error(None, str(error))
                else:
                    messages.success(request, _("The tender is awarded; the award is published and anchored."))
                    return redirect("tenders_admin:quotes", tender.pk)
    elif request.method == "POST":
        messages.error(request, _("This tender cannot be awarded now."))
        return redirect("tenders_admin:quotes", tender.pk)
    return TemplateResponse(
        request,
        "tenders/admin/quotes.html",
        {
            "tender": tender,
            "quotes": rows,
            "ordering": ordering,
            "form": form,
            "may_put_to_vote": tender.is_opened and not tender.is_awarded and not tender.is_being_voted_on and len(rows) > 1,
            "vote_url": reverse("governance:proposal", args=[tender.award_vote_uuid]) if tender.award_vote_uuid else "",
            "header_title": _("Quotes: %(request)s") % {"request": tender.request},
        },
        status=400 if form is not None and form.errors else 200,
    )


def put_to_vote(request, tender_id):
    """A frontrunner puts the award to the members' vote, with governance's rules."""
    tender = _managed_tender(request, tender_id)
    if not tender.is_opened or tender.is_awarded or tender.is_being_voted_on:
        messages.error(request, _("This award cannot be put to a vote now."))
        return redirect("tenders_admin:quotes", tender.pk)
    rules = services.award_vote.default_rules()
    form = PutToVoteForm(
        request.POST or None,
        initial={**rules, "opens_at": timezone.localtime(rules["opens_at"]), "closes_at": timezone.localtime(rules["closes_at"])},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.put_to_vote(tender, request.user, form.cleaned_data)
        except TenderError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The award is put to the members' vote. When it closes, the chosen quote is awarded."))
            return redirect("tenders_admin:quotes", tender.pk)
    return TemplateResponse(
        request,
        "tenders/admin/put_to_vote.html",
        {
            "tender": tender,
            "form": form,
            "publishes_losing_amounts": services.award_vote.publishes_losing_amounts(tender),
            "header_title": _("Put the award to a vote"),
        },
        status=400 if form.errors else 200,
    )


def extend(request, tender_id):
    tender = _managed_tender(request, tender_id)
    form = ExtendDeadlineForm(request.POST or None, initial={"deadline": tender.deadline})
    if request.method == "POST" and form.is_valid():
        try:
            services.extend_deadline(tender, form.cleaned_data["deadline"], user=request.user)
        except TenderError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The deadline is extended; the bidders are told by e-mail."))
            return redirect("tenders_admin:index")
    return TemplateResponse(
        request,
        "tenders/admin/extend.html",
        {"tender": tender, "form": form, "header_title": _("Extend the deadline")},
        status=400 if form.errors else 200,
    )


class TendersMenuItem(MenuItem):
    def is_shown(self, request):
        return access.managed_tenders(request.user).exists()


def _require_manager(view):
    def wrapped(request, *args, **kwargs):
        if not (request.user.is_superuser or access.managed_tenders(request.user).exists()):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


class TenderAdminViewSet(ViewSet):
    icon = "tasks"
    menu_label = gettext_lazy("Tenders")
    menu_order = 310
    add_to_admin_menu = True
    url_namespace = "tenders_admin"
    url_prefix = "tenders"

    @property
    def menu_url(self):
        return reverse("tenders_admin:index")

    def get_menu_item(self, order=None):
        return TendersMenuItem(
            self.menu_label, self.menu_url, name=self.menu_name, icon_name=self.menu_icon, order=order or self.menu_order
        )

    def get_urlpatterns(self):
        return [
            path("", _require_manager(index), name="index"),
            path("<int:tender_id>/quotes/", _require_manager(quotes), name="quotes"),
            path("<int:tender_id>/extend/", _require_manager(extend), name="extend"),
            path("<int:tender_id>/vote/", _require_manager(put_to_vote), name="put_to_vote"),
        ]
