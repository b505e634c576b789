"""Which pages visitors may reach: live, public, and under no page that is not live.

Wagtail serves a page when its own ``live`` flag is set; its routing walks through the parents
without looking at theirs, so an initiative that expired (the clock's scheduled publishing
unpublished it) or that an editor unpublished left its sub-pages served on its domain. Here a
page with an ancestor that is not live is as unavailable as that ancestor: a 404 where it would
be served (``initiatives.wagtail_hooks``), and absent from search (``search.services``, the
same rule), the open-data API, listings and cards. Nothing is unpublished to get there, so when
the ancestor is published again its subtree is back exactly as it was.

The tree's root (depth 1) is not a page anyone publishes and does not count.
"""

from django.db.models import Exists, F, OuterRef
from django.db.models.functions import Substr


def unpublished_ancestor():
    """An ``Exists`` over Page: the outer page has an ancestor (below the root) that is not live."""
    from wagtail.models import Page

    return Exists(
        Page.objects.filter(
            live=False,
            depth__gt=1,
            depth__lt=OuterRef("depth"),
            path=Substr(OuterRef("path"), 1, F("depth") * Page.steplen),
        )
    )


def reachable(queryset):
    """``queryset`` (of Page or a page type) narrowed to what visitors may reach."""
    return queryset.live().public().exclude(unpublished_ancestor())


def has_unpublished_ancestor(page):
    """Whether an ancestor of ``page`` (below the tree's root) is not live. Reads what the
    routing already fetched (``ctylab.ancestry``): at most one query, none on the platform's
    own site."""
    from .ancestry import ancestors

    return any(not ancestor.live for ancestor in ancestors(page))
