"""What the search app does: decide what may be indexed, keep the index in step, search.

Only pages of the searched page type (``CTYLAB_SEARCH_PAGE_MODEL``) that are live, public (no
view restriction on them or above them), not aliases and not under an unpublished page are
indexed. Everything else — drafts, private sections, anything not a page of that type
(members, ballots, profiles) — never reaches any backend.
"""

import logging

from django.apps import apps
from django.db import transaction
from django.utils import timezone
from wagtail.models import Page

from .backends import get_backend
from .backends.base import SearchUnavailable
from .conf import app_settings
from .documents import DocumentBuilder
from .models import SearchDocument

logger = logging.getLogger(__name__)


def page_model():
    return apps.get_model(app_settings.PAGE_MODEL)


def indexable(queryset=None):
    """Pages that may be searched (before the check on unpublished ancestors)."""
    if queryset is None:
        queryset = page_model().objects.all()
    return queryset.live().public().filter(alias_of__isnull=True)


def hidden_by_ancestor(pages):
    """Ids of the pages below an unpublished page (other than the tree's root)."""
    steplen = Page.steplen
    prefixes = {
        page.path[:length]
        for page in pages
        for length in range(2 * steplen, len(page.path), steplen)
    }
    if not prefixes:
        return set()
    unpublished = set(Page.objects.filter(path__in=prefixes, live=False).values_list("path", flat=True))
    return {
        page.pk
        for page in pages
        if any(page.path.startswith(path) for path in unpublished)
    }


def build_batch(page_ids, builder=None):
    """{page id: documents} for these ids; [] for each page that may not (or no longer) be
    searched, so storing the batch removes it."""
    page_ids = set(page_ids)
    builder = builder or DocumentBuilder()
    pages = list(
        indexable(page_model().objects.filter(pk__in=page_ids)).prefetch_related("ambitions")
    )
    hidden = hidden_by_ancestor(pages)
    batch = {page_id: [] for page_id in page_ids}
    for page in pages:
        if page.pk not in hidden:
            batch[page.pk] = builder.documents(page)
    return batch


def _lock(page_ids):
    # Serialises indexing of a page with its publication: a rebuild reading a page waits for
    # an editor's publish to commit (and the other way round), so it never stores stale
    # documents over fresh ones. A no-op on SQLite, where writers are serialised anyway.
    list(Page.objects.select_for_update().filter(pk__in=page_ids).values_list("pk", flat=True))


def index_pages(page_ids, *, force=False, now=None):
    """Bring the index in step with these pages; returns the ids whose documents changed."""
    page_ids = set(page_ids)
    if not page_ids:
        return set()
    with transaction.atomic():
        _lock(page_ids)
        return get_backend().store(build_batch(page_ids, DocumentBuilder(now)), force=force)


def pages_under(paths):
    """Ids of the searched page type at or below any of these tree paths."""
    ids = set()
    model = page_model()
    for path in set(paths):
        ids.update(model.objects.filter(path__startswith=path).values_list("pk", flat=True))
        # Pages indexed there before (moved away since) are found by their indexed path.
        ids.update(
            SearchDocument.objects.filter(path__startswith=path).values_list("page_id", flat=True)
        )
    return ids


def reindex_below(paths):
    """Re-index everything at or below these tree paths: in the request when few pages are
    affected, else in a task once the transaction has committed."""
    paths = sorted({path for path in paths if path})
    if not paths:
        return
    ids = pages_under(paths)
    if len(ids) <= app_settings.INLINE_REINDEX_LIMIT:
        index_pages(ids)
        return
    # Too many to re-index in the request. Some may just have become hidden (unpublished,
    # restricted, moved under a hidden page): everything here leaves the index at once, in
    # this transaction, so nothing hidden can be found while the task has not yet run; the
    # task puts back what may be found.
    forget_pages(ids)
    from .tasks import reindex_paths

    transaction.on_commit(lambda: reindex_paths.enqueue(paths))


def reindex_everything_later():
    """Re-index every page in a task once the transaction has committed (the card policy
    changed: which cards visitors see, and so may find, is decided at indexing time)."""
    from .tasks import reindex_paths

    transaction.on_commit(lambda: reindex_paths.enqueue([""]))


def forget_pages(page_ids):
    """Pages were deleted (their rows cascade away): tell the backend."""
    if page_ids:
        get_backend().forget(set(page_ids))


def refresh_due(now=None, limit=50):
    """Re-index pages whose documents time has changed (a deadline or opening has passed)."""
    now = now or timezone.now()
    due = list(
        SearchDocument.objects.filter(refresh_at__lte=now)
        .values_list("page_id", flat=True)
        .distinct()[:limit]
    )
    if due:
        index_pages(due, now=now)
    return due


def chunks(items, size):
    for start in range(0, len(items), size):
        yield items[start : start + size]


def rebuild(*, force=False, progress=None, chunk_size=None):
    """Rebuild the whole index, streaming: pages are read, converted and written a chunk at a
    time, each chunk in its own short transaction, so the site keeps serving (and searching)
    throughout. ``progress(total=…)`` is called once, then ``progress(n)`` per chunk."""
    chunk_size = chunk_size or app_settings.REBUILD_CHUNK_SIZE
    ids = list(indexable().order_by("path").values_list("pk", flat=True))
    if progress:
        progress(0, total=len(ids))
    builder = DocumentBuilder()

    def batches():
        for chunk in chunks(ids, chunk_size):
            # Yielded inside the transaction: the backend stores the chunk while its pages are
            # still locked, and the chunk commits when the next one is asked for.
            with transaction.atomic():
                _lock(chunk)
                yield build_batch(chunk, builder)

    return get_backend().rebuild(batches(), force=force, progress=progress)


def search(query):
    """Answer a query from the configured backend.

    A backend with a remote index answers from the database itself while that index is away
    (the results then say ``degraded``). ``SearchUnavailable`` means nothing could answer.
    """
    try:
        return get_backend().search(query)
    except SearchUnavailable:
        logger.exception("Search could not be answered")
        raise
