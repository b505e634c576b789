"""What a public request may reach: the initiatives, pages and people of the request's site.

Each initiative domain is a Wagtail ``Site`` rooted at its initiative; the platform's own
hosts are the default site, rooted at the home page above every initiative. A view that takes
an initiative, proposal, page, member or document id from the URL answers only for objects
*of this site*: on initiative A's domain, initiative B's id is a 404, exactly like a path
that does not exist there (never a 403, which would confirm that B exists).

Views call ``initiative_or_404(request, page_id)`` or filter with ``site_initiatives`` /
``site_pages``; ``page_of_this_site`` wraps views that take a ``page_id`` keyword.
"""

from functools import wraps

from django.http import Http404
from django.shortcuts import get_object_or_404


def site_root(request):
    """The root page of the request's Wagtail site; 404 if the request matches no site."""
    from wagtail.models import Site

    site = Site.find_for_request(request)
    if site is None:
        raise Http404
    return site.root_page


def site_pages(request, queryset=None):
    """``queryset`` (default: all pages) narrowed to the request's site: its root and below."""
    from wagtail.models import Page

    queryset = Page.objects.all() if queryset is None else queryset
    return queryset.filter(path__startswith=site_root(request).path)


def site_initiatives(request):
    """The initiatives of the request's site that visitors may reach: live, public, and under
    no unpublished page (``ctylab.reachable``); a queryset of InitiativePage."""
    from ctylab.reachable import reachable

    from .models import InitiativePage

    return site_pages(request, reachable(InitiativePage.objects.all()))


def initiative_or_404(request, page_id):
    """The reachable initiative ``page_id`` if it belongs to the request's site; else 404."""
    return get_object_or_404(site_initiatives(request), pk=page_id)


def on_initiative_domain(request):
    """True when the request's site is an initiative's own domain (not the platform's)."""
    from .models import InitiativePage

    return issubclass(site_root(request).specific_class or object, InitiativePage)


def page_of_this_site(view):
    """Wrap a view taking ``page_id``: 404 unless that page belongs to the request's site."""

    @wraps(view)
    def guarded(request, *args, page_id, **kwargs):
        if not site_pages(request).filter(pk=page_id).exists():
            raise Http404
        return view(request, *args, page_id=page_id, **kwargs)

    return guarded
