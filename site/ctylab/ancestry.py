"""What serving a page needs to know of its ancestors, read once: their ``live`` flags (for
``ctylab.reachable``) and ids (for Wagtail's view restrictions).

Wagtail's routing walks from the site's root page down to the served page and leaves each
parent on its child as treebeard's parent cache (``_cached_parent_obj``, set by ``Page.route``),
fetched in this request: their ``live`` and ``alias_of_id`` are in memory already. Only the
ancestors above the site's root page (an initiative domain's site starts at the initiative) are
read, all in one query. The tree's root (depth 1) is never published, aliased or served and is
not read; restrictions on it are still found, by its path.

Used by the page types' ``get_view_restrictions`` (Wagtail's privacy check before serving),
by ``has_unpublished_ancestor`` and by the public listings of a page's children.
"""

from dataclasses import dataclass

from django.db.models import Exists, OuterRef


@dataclass(frozen=True)
class Ancestor:
    id: int
    path: str
    depth: int
    live: bool
    alias_of_id: int | None


ANCESTOR_FIELDS = ("id", "path", "depth", "live", "alias_of_id")


def ancestors(page):
    """The ancestors of ``page`` below the tree's root, shallowest first: a tuple of
    ``Ancestor``. Kept on the page instance; at most one query (none for a page the routing
    reached from a site rooted at depth 2, like the platform's home page)."""
    from wagtail.models import Page

    known = page.__dict__.get("_ctylab_ancestors")
    if known is not None:
        return known
    walked = []
    child, parent = page, page.__dict__.get("_cached_parent_obj")
    while parent is not None and parent.depth == child.depth - 1 and parent.depth > 1:
        walked.append(Ancestor(*(getattr(parent, name) for name in ANCESTOR_FIELDS)))
        child, parent = parent, parent.__dict__.get("_cached_parent_obj")
    shallowest = child.depth
    missing = [page.path[: depth * Page.steplen] for depth in range(2, shallowest)]
    fetched = []
    if missing:
        rows = Page.objects.filter(path__in=missing).order_by("path").values_list(*ANCESTOR_FIELDS)
        fetched = [Ancestor(*row) for row in rows]
    result = (*fetched, *reversed(walked))
    page.__dict__["_ctylab_ancestors"] = result
    return result


def tree_root_path(page):
    from wagtail.models import Page

    return page.path[: Page.steplen]


def view_restrictions(page):
    """The view restrictions that apply to ``page``, as Wagtail's ``Page.get_view_restrictions``
    finds them: its own and its ancestors', an alias's taken from the page it is an alias of;
    a queryset of PageViewRestriction (one query, after ``ancestors``)."""
    from django.db.models import Q
    from wagtail.models import PageViewRestriction

    ids = {page.alias_of_id or page.id}
    ids.update(ancestor.alias_of_id or ancestor.id for ancestor in ancestors(page))
    return PageViewRestriction.objects.filter(Q(page_id__in=ids) | Q(page__path=tree_root_path(page)))


def public_children(page, children):
    """``children`` (a queryset of pages directly below ``page``) narrowed to the public ones,
    as Wagtail's ``.public()`` narrows them — none under a restricted page — in the same query,
    instead of a first query that reads every restriction of the site."""
    from wagtail.models import PageViewRestriction

    paths = [tree_root_path(page), *(ancestor.path for ancestor in ancestors(page)), page.path]
    restricted_above = PageViewRestriction.objects.filter(page__path__in=paths)
    restricted_itself = PageViewRestriction.objects.filter(page_id=OuterRef("pk"))
    return children.exclude(Exists(restricted_above)).exclude(Exists(restricted_itself))
