from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.components import Component
from wagtail.log_actions import LogFormatter

from ctylab.reachable import has_unpublished_ancestor

from . import domain_request_views, domains
from .domain_panel import FIELD_NAME
from .hostnames import display_hostname
from .models import InitiativePage
from .views import InitiativeDomainViewSet


@hooks.register("register_admin_viewset")
def register_domain_viewset():
    return InitiativeDomainViewSet("initiative_domains")


# --- domains asked for and attached from the initiative's editor page ------------------------


@hooks.register("register_admin_urls")
def domain_request_urls():
    urls = [
        path("", domain_request_views.list_view, name="list"),
        path("<int:pk>/approve/", domain_request_views.approve_view, name="approve"),
        path("<int:pk>/refuse/", domain_request_views.refuse_view, name="refuse"),
    ]
    return [path("domain-requests/", include((urls, "initiative_domain_requests"), namespace="initiative_domain_requests"))]


class SiteAdminMenuItem(MenuItem):
    def is_shown(self, request):
        return domains.is_site_admin(request.user)


@hooks.register("register_settings_menu_item")
def domain_requests_menu_item():
    return SiteAdminMenuItem(
        _("Domain requests"), reverse("initiative_domain_requests:list"), name="domain-requests", icon_name="site", order=610
    )


class PendingDomainsPanel(Component):
    name = "pending_domain_requests"
    order = 50
    template_name = "initiatives/admin/pending_domains_panel.html"

    def __init__(self, pending, next_url):
        self.pending, self.next_url = pending, next_url

    def get_context_data(self, parent_context):
        # A component renders outside the page's context: the approve forms need its CSRF token.
        return {
            "pending": self.pending,
            "next_url": self.next_url,
            "csrf_token": parent_context.get("csrf_token"),
            "request": parent_context.get("request"),
        }


@hooks.register("construct_homepage_panels")
def pending_domains_on_the_dashboard(request, panels):
    if domains.is_site_admin(request.user):
        pending = list(domains.pending_requests())
        if pending:
            panels.append(PendingDomainsPanel(pending, request.path))


@hooks.register("after_edit_page")
def add_domain_from_the_editor(request, page):
    """The Domain panel's field, once Wagtail saved the page (its form checked the name)."""
    hostname = request.POST.get(FIELD_NAME, "").strip()
    if not hostname or not isinstance(page.specific, InitiativePage):
        return None
    try:
        done, added = domains.add_from_editor(page.specific, hostname, request.user)
    except PermissionDenied:
        messages.error(request, _("You may not add a domain to this initiative."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if done == "attached":
            messages.success(request, _("%(domain)s now leads to this initiative.") % {"domain": added.display_name})
        else:
            messages.success(
                request,
                _("%(domain)s has been requested; a site admin decides on it.") % {"domain": added.display_name},
            )
    return None


@hooks.register("register_log_actions")
def domain_log_actions(actions):
    class DomainMessage(LogFormatter):
        message = ""

        def format_message(self, log_entry):
            data = log_entry.data or {}
            text = self.message % {"domain": display_hostname(data.get("hostname", ""))}
            if data.get("reason"):
                text += " — " + data["reason"]
            return text

    for action, label, message in [
        ("initiatives.domain_attached", _("Attach a domain"), _("Attached the domain %(domain)s")),
        ("initiatives.domain_requested", _("Request a domain"), _("Requested the domain %(domain)s")),
        ("initiatives.domain_approved", _("Approve a domain"), _("Approved the domain %(domain)s")),
        ("initiatives.domain_refused", _("Refuse a domain"), _("Refused the domain %(domain)s")),
    ]:
        actions.register_action(action)(type("DomainLogMessage", (DomainMessage,), {"label": label, "message": message}))
@hooks.register("before_serve_page")
def nothing_beneath_a_page_that_is_not_live(page, request, serve_args, serve_kwargs):
    # Wagtail's routing checks only the served page's own live flag: an expired initiative's
    # sub-pages would stay served on its domain (ctylab.reachable has the rule).
    if has_unpublished_ancestor(page):
        raise Http404
