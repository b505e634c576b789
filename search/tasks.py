"""Background work of the search app: remote index updates and large re-indexing runs."""

import logging

from django_tasks import task

logger = logging.getLogger(__name__)


@task()
def apply_pending_updates():
    """Copy pages with pending updates to the remote index; what fails stays queued."""
    from .backends import get_backend
    from .backends.base import BackendUnavailable

    try:
        return get_backend().apply_pending()
    except BackendUnavailable as error:
        logger.warning("Search index updates stay queued: %s", error)
        return 0


@task()
def reindex_paths(paths):
    """Re-index every page at or below these tree paths, a chunk at a time."""
    from . import services
    from .conf import app_settings

    ids = sorted(services.pages_under(paths))
    changed = 0
    for chunk in services.chunks(ids, app_settings.REBUILD_CHUNK_SIZE):
        changed += len(services.index_pages(chunk))
    return changed


@task()
def reindex_pages(page_ids):
    from . import services
    from .conf import app_settings

    changed = 0
    for chunk in services.chunks(sorted(page_ids), app_settings.REBUILD_CHUNK_SIZE):
        changed += len(services.index_pages(chunk))
    return changed


@task()
def refresh_due_documents():
    """Re-index pages whose documents changed with the clock (a deadline or an opening
    passed), so "open now" and the activity order stay right between searches."""
    from . import services

    return len(services.refresh_due())


# Enqueued by the platform's clock (``manage.py run_schedule``), in seconds.
PERIODIC_TASKS = [
    (apply_pending_updates, 60),
    (refresh_due_documents, 300),
]
