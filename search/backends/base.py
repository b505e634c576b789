"""The interface every search backend offers; the one in use is chosen by ``CTYLAB_SEARCH``.

The documents themselves always live in the database (``models.SearchDocument``): they are
written in the same transaction as the change that caused them, and they are what the
database backend searches. A backend with an index elsewhere (Elasticsearch) copies them
there, queues what it could not copy yet, and answers from the database while it is away.
"""

from abc import ABC, abstractmethod


class SearchUnavailable(Exception):
    """No backend could answer (not even the database fallback)."""


class BackendUnavailable(Exception):
    """A remote index could not be reached; the work is kept and retried."""


class BaseSearchBackend(ABC):
    #: shown in the admin and the rebuild command
    label = ""

    def __init__(self, **options):
        self.options = options

    @abstractmethod
    def search(self, query):
        """Answer a ``search.query.Query`` with ``search.query.Results``."""

    @abstractmethod
    def store(self, batch, *, force=False):
        """Make the index hold exactly ``batch[page_id]`` (a list of ``IndexDocument``) for
        each page in ``batch``; an empty list removes the page. Returns the ids of the pages
        whose documents changed. ``force`` rewrites documents even when unchanged."""

    @abstractmethod
    def forget(self, page_ids):
        """Pages were deleted: their documents must go (rows cascade in the database)."""

    @abstractmethod
    def rebuild(self, batches, *, force=False, progress=None):
        """Rebuild the whole index from ``batches`` (an iterable of ``store`` batches) while
        searches keep being answered; returns a dict of counts."""

    def pending(self):
        """How many updates wait for a remote index (none where there is no remote index)."""
        return 0

    def apply_pending(self):
        """Apply waiting updates to a remote index; returns how many were applied."""
        return 0

    def check(self):
        """Django system-check messages about this backend's configuration."""
        return []
