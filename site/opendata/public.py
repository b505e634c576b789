"""What the API may publish at all: the same pages an anonymous visitor can read.

An initiative is public when it is live, has no view restriction on it or above it (Wagtail's
``public()``), is not an alias, and no page above it is unpublished — the rule search uses for
what may be found. On an initiative's own domain only that initiative and its sub-initiatives
are public there (``Site.find_for_request``), as on its search page.
"""

from wagtail.models import Page, Site

from ctylab.reachable import reachable
from initiatives.models import InitiativePage


def public_initiatives(request=None):
    """Initiatives anyone may read, scoped to the request's site when it is an initiative's."""
    pages = reachable(InitiativePage.objects.filter(alias_of__isnull=True))
    root = scope_root(request)
    if root is not None:
        pages = pages.filter(path__startswith=root.path)
    return pages


# Page ids are 64-bit integers; a longer number names nothing (and SQLite cannot compare it).
MAX_ID = 10**18 - 1


def public_initiative(request, page_id):
    """The public initiative with this id on the request's site, or None."""
    if not 0 <= int(page_id) <= MAX_ID:
        return None
    return public_initiatives(request).filter(pk=page_id).first()


def scope_root(request):
    """The initiative whose own domain was asked, or None on the platform's hosts."""
    if request is None:
        return None
    site = Site.find_for_request(request)
    if site is None:
        return None
    root = site.root_page
    if not issubclass(root.specific_class or Page, InitiativePage):
        return None
    return root
