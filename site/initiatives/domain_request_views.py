"""Site admins decide on domain requests: a list with one-click approval, and a refusal form.

Every view answers only to site admins (``domains.is_site_admin``; others get 403), and the
operations check it again. Approving and refusing are POSTs; a decided or missing request is
a message, never an error page.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django.views.generic import FormView, TemplateView
from wagtail.admin.utils import get_valid_next_url_from_request
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from . import domains
from .models import DomainRequest


def site_admins_only(view):
    def guarded(request, *args, **kwargs):
        if not domains.is_site_admin(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    guarded.__name__ = getattr(view, "__name__", "view")
    return guarded


def back(request):
    return redirect(get_valid_next_url_from_request(request) or "initiative_domain_requests:list")


class RequestListView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "initiatives/admin/domain_requests.html"
    page_title = gettext_lazy("Domain requests")
    header_icon = "site"

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.page_title}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["pending"] = domains.pending_requests()
        context["decided"] = (
            DomainRequest.objects.exclude(status=DomainRequest.Status.PENDING)
            .select_related("initiative", "requested_by", "decided_by")
            .order_by("-decided_at")[:20]
        )
        return context


@require_POST
def approve(request, pk):
    domain_request = get_object_or_404(DomainRequest, pk=pk)
    try:
        domain = domains.approve(domain_request, request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("%(domain)s now leads to “%(title)s”.")
            % {"domain": domain.display_name, "title": domain_request.initiative.title},
        )
    return back(request)


class RefuseForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=domains.REASON_MAX_LENGTH,
        help_text=gettext_lazy("The editor reads this on the initiative's editor page and in an e-mail."),
    )


class RefuseView(WagtailAdminTemplateMixin, FormView):
    template_name = "initiatives/admin/refuse_domain.html"
    form_class = RefuseForm
    page_title = gettext_lazy("Refuse a domain request")
    header_icon = "site"

    def dispatch(self, request, *args, pk, **kwargs):
        self.domain_request = get_object_or_404(DomainRequest.objects.select_related("initiative"), pk=pk)
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        from django.urls import reverse

        return [
            *self.breadcrumbs_items,
            {"url": reverse("initiative_domain_requests:list"), "label": _("Domain requests")},
            {"url": "", "label": self.page_title},
        ]

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "domain_request": self.domain_request}

    def form_valid(self, form):
        try:
            domains.refuse(self.domain_request, self.request.user, form.cleaned_data["reason"])
        except ValidationError as error:
            form.add_error("reason", error)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("The request for %(domain)s was refused; the editor has been told.")
            % {"domain": self.domain_request.display_name},
        )
        return redirect("initiative_domain_requests:list")


list_view = site_admins_only(RequestListView.as_view())
approve_view = site_admins_only(approve)
refuse_view = site_admins_only(RefuseView.as_view())
