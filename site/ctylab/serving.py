"""Wagtail's page view, with the site's root page fetched as its specific type in one query.

Wagtail's ``serve`` routes from ``site.root_page.localized.specific``; left to itself that is
the Site, the root page and its specific row. With the Site already resolved from memory
(``ctylab.sites``), ``load_root_page`` fetches the root page once, already specific, and the
rest is Wagtail's own view: hooks, view restrictions and ``Page.serve`` unchanged.
"""

from wagtail import views as wagtail_views

from . import sites


def serve(request, path):
    sites.load_root_page(request)
    return wagtail_views.serve(request, path)
