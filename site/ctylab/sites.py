"""Wagtail's Sites table kept in each process's memory, and the request's Site resolved from it.

Every request asks which Site its Host header names: the host check (``ctylab.middleware``)
and Wagtail's routing (``Site.find_for_request``). Wagtail answers with a query each time; the
table is a handful of rows that change when a site admin attaches or removes a domain, so each
process keeps it and answers from memory. ``site_for_request`` stores the answer as
``request._wagtail_site``, which ``Site.find_for_request`` returns from then on: one
resolution per request, shared by the host check, the routing and the views.

Staying right when the table changes:

- In this process, saving or deleting a Site or an InitiativeDomain (``receivers``) drops the
  table at once; while that change's transaction is open, the table is read again on each use
  and not kept (a rollback must leave nothing behind).
- In the other processes: once the change is committed, a new *generation* token is written to
  Django's default cache (Redis in production, shared by every worker). A process compares its
  token with the cache's at most once per ``CTYLAB_SITES_RECHECK_SECONDS`` (default 1 second;
  0 checks on every request) and reloads when they differ, so another worker follows a new or
  removed domain within that time. With the local-memory cache (no ``REDIS_URL``: development,
  one process) there are no other processes to tell.

A change made without signals (``QuerySet.update`` on Sites, raw SQL) is seen after the next
generation change; call ``sites.changed()`` after such a change.
"""

import threading
import time
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.http.request import split_domain_port

GENERATION_KEY = "ctylab:sites:generation"

# Wagtail's ranking of the Sites a request may match (wagtail.models.sites.get_site_for_hostname).
MATCH_HOSTNAME_PORT, MATCH_HOSTNAME_DEFAULT, MATCH_DEFAULT, MATCH_HOSTNAME = range(4)


@dataclass(frozen=True)
class SiteRow:
    """One Site as loaded: its fields and the content type id of its root page."""

    id: int
    hostname: str
    port: int
    site_name: str
    root_page_id: int
    is_default_site: bool
    root_content_type_id: int | None

    def to_site(self):
        """A new ``Site`` instance (one per request: model instances are not shared)."""
        from wagtail.models import Site

        names = ["id", "hostname", "port", "site_name", "root_page_id", "is_default_site"]
        return Site.from_db("default", names, [getattr(self, name) for name in names])


@dataclass
class SiteTable:
    rows: tuple
    generation: str | None
    checked_at: float  # time.monotonic() of the last generation check

    def match(self, hostname, port):
        """The row Wagtail would pick for ``hostname`` and ``port`` (an int or None), or None."""
        ranked = []
        for row in self.rows:
            if row.hostname == hostname and row.port == port:
                ranked.append((MATCH_HOSTNAME_PORT, row))
            elif row.hostname == hostname and row.is_default_site:
                ranked.append((MATCH_HOSTNAME_DEFAULT, row))
            elif row.is_default_site:
                ranked.append((MATCH_DEFAULT, row))
            elif row.hostname == hostname:
                ranked.append((MATCH_HOSTNAME, row))
        ranked.sort(key=lambda pair: pair[0])
        if not ranked:
            return None
        best = ranked[0][0]
        if len(ranked) == 1 or best in (MATCH_HOSTNAME_PORT, MATCH_HOSTNAME_DEFAULT):
            return ranked[0][1]
        if best == MATCH_DEFAULT:
            # The default, unless exactly one other site has this hostname (on another port).
            return ranked[len(ranked) == 2][1]
        return None  # several sites with this hostname on other ports, and no default


_table = None
_changed_in_transaction = False
_lock = threading.Lock()


def recheck_seconds():
    return float(getattr(settings, "CTYLAB_SITES_RECHECK_SECONDS", 1))


def current_generation():
    """The generation token in the shared cache, written first if the cache has none."""
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        cache.add(GENERATION_KEY, uuid.uuid4().hex, timeout=None)
        generation = cache.get(GENERATION_KEY)
    return generation


def load(generation):
    """Read the Sites table: one query."""
    from wagtail.models import Site

    rows = tuple(
        SiteRow(*values)
        for values in Site.objects.order_by("pk").values_list(
            "id", "hostname", "port", "site_name", "root_page_id", "is_default_site", "root_page__content_type_id"
        )
    )
    return SiteTable(rows, generation, time.monotonic())


def table():
    """The Sites table this process may answer from now (see the module's docstring)."""
    global _table, _changed_in_transaction
    if _changed_in_transaction:
        if connection.in_atomic_block:
            # The change is not committed yet: this transaction sees it, others may not.
            return load(None)
        # Out of the transaction without a commit callback: it was rolled back.
        _changed_in_transaction = False
        _table = None
    known = _table
    now = time.monotonic()
    if known is not None and now - known.checked_at < recheck_seconds():
        return known
    generation = current_generation()
    with _lock:
        if known is not None and known.generation == generation:
            known.checked_at = now
            return known
        _table = load(generation)
        return _table


def site_for_request(request):
    """The Wagtail ``Site`` the request's host names, as ``Site.find_for_request`` would give it.

    Resolved once per request from the in-memory table and kept as ``request._wagtail_site``
    (Wagtail's own per-request attribute), so later calls cost nothing. ``None`` when no site
    matches and there is no default site.
    """
    if not hasattr(request, "_wagtail_site"):
        hostname = split_domain_port(request._get_raw_host())[0]
        try:
            port = int(request.get_port())
        except (TypeError, ValueError):
            port = None
        row = table().match(hostname, port)
        request._wagtail_site = row.to_site() if row else None
        request._ctylab_site_row = row
    return request._wagtail_site


def load_root_page(request):
    """Fetch the request's site root page as its specific type in one query, onto the Site.

    Wagtail's routing starts at ``site.root_page.localized.specific``: fetched lazily, that is
    two queries (the page, then its specific row). The table knows the root page's type, so
    the serving view fetches it once, already specific. Does nothing without a site; when the
    root page is gone (a table older than a deletion) the table is dropped and the request's
    site looked up again.
    """
    from django.contrib.contenttypes.models import ContentType

    site = site_for_request(request)
    row = getattr(request, "_ctylab_site_row", None)
    if site is None or row is None or row.root_content_type_id is None:
        return
    model = ContentType.objects.get_for_id(row.root_content_type_id).model_class()
    page = model._default_manager.filter(pk=row.root_page_id).order_by().first() if model else None
    if page is None:
        forget()
        del request._wagtail_site
        site_for_request(request)
        return
    site.root_page = page


def forget():
    """Drop this process's table; the next use reads it again."""
    global _table
    _table = None


def reset():
    """As at the process's start: no table, no change pending (tests start each test so)."""
    global _changed_in_transaction
    _changed_in_transaction = False
    forget()


def changed():
    """Sites changed: this process drops its table now, every process once the change commits."""
    global _changed_in_transaction
    forget()
    if connection.in_atomic_block:
        _changed_in_transaction = True
    transaction.on_commit(committed)


def committed():
    global _changed_in_transaction
    _changed_in_transaction = False
    cache.set(GENERATION_KEY, uuid.uuid4().hex, timeout=None)
    forget()
