"""The Elasticsearch backend: the database's documents, copied to a cluster and searched there.

Writes go to the database first (``DatabaseBackend.store``) and a ``PendingUpdate`` row per
changed page is written in the same transaction; a task copies those pages to the cluster
once the transaction has committed. If the cluster is away the rows stay and are applied by
the next task (or ``apply_search_updates``): nothing is lost. Searches that cannot reach the
cluster are answered by the database backend, marked ``degraded``.

Searches read an alias; ``rebuild`` fills a new index behind it and then swaps the alias,
so the site searches the old index until the new one is complete.
"""

import logging
from datetime import datetime, timedelta

from django.core.cache import cache
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from elastic_transport import TransportError
from elasticsearch import ApiError, Elasticsearch, NotFoundError, helpers
from elasticsearch.dsl import Q

from blocks.localtime import EARLIER, SHIFT_FORWARD, make_aware

from ...conf import app_settings
from ...models import PendingUpdate, SearchDocument
from ...query import FACETS, Hit, Results, distance_km
from ..base import BackendUnavailable, BaseSearchBackend
from ..database import DatabaseBackend, preview, top_values
from .mapping import SOURCE_FIELDS, make_index, to_source
from .queries import build_search

logger = logging.getLogger(__name__)

UNREACHABLE = (ApiError, TransportError, helpers.BulkIndexError)
# After a failed search, the cluster is not asked again for this long (each try could cost
# a whole timeout); the database answers meanwhile.
DOWN_FOR = 30
REPLAY_MARGIN = timedelta(minutes=1)


def refused_this_request(error):
    """A 4xx answer: the request was at fault, not the cluster (timeouts and "too many
    requests" excepted: those say the cluster is struggling)."""
    status = getattr(error, "status_code", None) if isinstance(error, ApiError) else None
    return isinstance(status, int) and 400 <= status < 500 and status not in (408, 429)
KEEP_APPLIED = timedelta(days=7)


def _moment(value):
    if not value:
        return None
    # Written with their offset by to_source; one without is read as the clocks would.
    return make_aware(datetime.fromisoformat(value), nonexistent=SHIFT_FORWARD, ambiguous=EARLIER)


class ElasticsearchBackend(BaseSearchBackend):
    label = "elasticsearch"

    def __init__(self, URL, INDEX="ctylab", TIMEOUT=2.0, SHARDS=1, REPLICAS=0, REFRESH=False,
                 **options):
        super().__init__(**options)
        self.url = URL
        self.alias = INDEX
        self.timeout = TIMEOUT
        self.shards = SHARDS
        self.replicas = REPLICAS
        # True in tests: written documents are searchable at once (slow; never in production).
        self.refresh = REFRESH
        self.database = DatabaseBackend()

    @cached_property
    def client(self):
        return Elasticsearch(
            self.url, request_timeout=self.timeout, max_retries=0, retry_on_timeout=False
        )

    @property
    def _down_key(self):
        return f"ctylab_search:elasticsearch_down:{self.url}:{self.alias}"

    # --- writing ---------------------------------------------------------------------------

    def store(self, batch, *, force=False):
        changed = self.database.store(batch, force=force)
        self.queue(changed)
        return changed

    def forget(self, page_ids):
        self.database.forget(page_ids)
        self.queue(page_ids)

    def queue(self, page_ids):
        """Record pages the cluster must catch up with, and ask for that after commit."""
        if not page_ids:
            return
        now = timezone.now()
        PendingUpdate.objects.bulk_create(
            [PendingUpdate(page_id=page_id, queued_at=now) for page_id in sorted(page_ids)]
        )
        from ...tasks import apply_pending_updates

        transaction.on_commit(apply_pending_updates.enqueue)

    def pending(self):
        return PendingUpdate.objects.filter(applied_at__isnull=True).count()

    def apply_pending(self, batch_size=200):
        """Copy waiting pages to the cluster, oldest first; stops at the first failure (the
        rows stay, with the error), raising ``BackendUnavailable``."""
        applied = 0
        while True:
            rows = list(
                PendingUpdate.objects.filter(applied_at__isnull=True)
                .order_by("id")
                .values_list("id", "page_id")[:batch_size]
            )
            if not rows:
                break
            ids = [row_id for row_id, _page_id in rows]
            page_ids = {page_id for _row_id, page_id in rows}
            try:
                self.sync(page_ids)
            except UNREACHABLE as error:
                PendingUpdate.objects.filter(id__in=ids).update(
                    attempts=F("attempts") + 1, last_error=str(error)[:1000]
                )
                raise BackendUnavailable(str(error)) from error
            PendingUpdate.objects.filter(id__in=ids).update(applied_at=timezone.now())
            applied += len(ids)
        PendingUpdate.objects.filter(applied_at__lt=timezone.now() - KEEP_APPLIED).delete()
        return applied

    def ensure_index(self):
        """Create the first index behind the alias if there is none yet."""
        if not self.client.indices.exists_alias(name=self.alias):
            name = self.new_index_name()
            make_index(name, shards=self.shards, replicas=self.replicas).create(using=self.client)
            self.client.indices.put_alias(index=name, name=self.alias)

    def new_index_name(self):
        return f"{self.alias}-{timezone.now():%Y%m%d%H%M%S%f}"

    def sync(self, page_ids, index=None):
        """Make the cluster hold exactly the database's documents of these pages."""
        index = index or self.alias
        if index == self.alias:
            self.ensure_index()
        page_ids = sorted(page_ids)
        rows = SearchDocument.objects.filter(page_id__in=page_ids).values(*SOURCE_FIELDS)
        keys = []

        def actions():
            for row in rows.iterator(chunk_size=1000):
                keys.append(row["key"])
                yield {"_index": index, "_id": row["key"], "_source": to_source(row)}

        helpers.bulk(self.client, actions(), refresh=self.refresh, chunk_size=500)
        self.client.delete_by_query(
            index=index,
            query=Q(
                "bool", filter=[Q("terms", page_id=page_ids)], must_not=[Q("terms", key=keys)]
            ).to_dict(),
            refresh=self.refresh,
            conflicts="proceed",
        )

    def rebuild(self, batches, *, force=False, progress=None):
        """Rebuild the database's documents, then copy all of them into a new index and swap
        the alias to it. Pages changed meanwhile are replayed onto the new index."""
        started = timezone.now()
        report = self.database.rebuild(batches, force=force, progress=progress)
        try:
            report["copied"] = self._copy_all(started)
        except UNREACHABLE as error:
            # The database is rebuilt; the cluster catches up with what changed later.
            self.queue(report.get("changed_ids", set()))
            raise BackendUnavailable(str(error)) from error
        return report

    def _copy_all(self, started):
        name = self.new_index_name()
        make_index(name, shards=self.shards, replicas=self.replicas).create(using=self.client)
        rows = SearchDocument.objects.order_by("id").values(*SOURCE_FIELDS)
        actions = (
            {"_index": name, "_id": row["key"], "_source": to_source(row)}
            for row in rows.iterator(chunk_size=2000)
        )
        copied, _errors = helpers.bulk(
            self.client.options(request_timeout=120), actions, chunk_size=1000
        )
        self.client.indices.refresh(index=name)
        old = []
        if self.client.indices.exists_alias(name=self.alias):
            old = list(self.client.indices.get_alias(name=self.alias))
        self.client.indices.update_aliases(
            actions=[
                *({"remove": {"index": index, "alias": self.alias}} for index in old),
                {"add": {"index": name, "alias": self.alias}},
            ]
        )
        for index in old:
            self.client.indices.delete(index=index, ignore_unavailable=True)
        # Changes made while copying may have gone to the old index: apply them again.
        replay = set(
            PendingUpdate.objects.filter(queued_at__gte=started - REPLAY_MARGIN).values_list(
                "page_id", flat=True
            )
        )
        if replay:
            self.sync(replay)
        PendingUpdate.objects.filter(
            applied_at__isnull=True, queued_at__lt=started - REPLAY_MARGIN
        ).update(applied_at=timezone.now())
        return copied

    def drop(self):
        """Delete the alias and every index behind it (tests, decommissioning)."""
        try:
            indices = list(self.client.indices.get_alias(name=self.alias))
        except NotFoundError:
            return
        for index in indices:
            self.client.indices.delete(index=index, ignore_unavailable=True)

    # --- searching -------------------------------------------------------------------------

    def search(self, query):
        if cache.get(self._down_key):
            return self._fallback(query)
        try:
            return self._search(query)
        except UNREACHABLE as error:
            if refused_this_request(error):
                # The cluster is up but refused this one search (a 4xx): answer it from the
                # database, and let the next search ask the cluster again.
                logger.error("Elasticsearch refused a search, answering from the database: %s", error)
            else:
                logger.warning("Elasticsearch unavailable, answering from the database: %s", error)
                cache.set(self._down_key, True, DOWN_FOR)
            return self._fallback(query)

    def _fallback(self, query):
        results = self.database.search(query)  # SearchUnavailable if that fails too
        results.degraded = True
        return results

    def _search(self, query):
        response = build_search(query, self.alias).using(self.client).execute()
        total = response.hits.total.value
        last_page = max(1, -(-total // query.page_size))
        page = min(query.page, last_page)
        if page != query.page:
            response = build_search(query, self.alias, page=page).using(self.client).execute()
        facets = {}
        if query.with_facets:
            for facet in FACETS:
                buckets = response.aggregations[facet]["values"]["buckets"]
                counts = {bucket["key"]: bucket["doc_count"] for bucket in buckets}
                size = len(counts) if facet == "kind" else app_settings.FACET_SIZE
                facets[facet] = top_values(counts, query.selected(facet), size)
        hits = [self._hit(hit, query) for hit in response.hits]
        return Results(
            query=query, hits=hits, total=total, page=page, facets=facets, backend=self.label
        )

    @staticmethod
    def _hit(hit, query):
        source = hit.to_dict()
        highlight = getattr(hit.meta, "highlight", None)
        marks = highlight.to_dict() if highlight is not None else {}

        def marked(base, joiner):
            for field in (base, f"{base}.nl", f"{base}.en"):
                if marks.get(field):
                    return joiner.join(marks[field])
            return ""

        location = source.get("location")
        distance = None
        if query.near and location:
            distance = distance_km(
                query.near.latitude, query.near.longitude, location["lat"], location["lon"]
            )
        return Hit(
            key=source["key"],
            kind=source["kind"],
            title=source.get("title", ""),
            body=preview(source.get("body", "")),
            url=source["url"],
            site_id=source.get("site_id"),
            initiative_title=source.get("initiative_title", ""),
            municipality=source.get("municipality", ""),
            ambitions=list(source.get("ambitions", [])),
            activity_at=_moment(source.get("activity_at")),
            openable=source.get("openable", False),
            opens_at=_moment(source.get("opens_at")),
            closes_at=_moment(source.get("closes_at")),
            language=source.get("language", ""),
            title_marked=marked("title", ""),
            snippet_marked=marked("body", " … "),
            distance_km=distance,
        )

    def check(self):
        from django.conf import settings
        from django.core.checks import Warning

        admin = getattr(settings, "WAGTAILSEARCH_BACKENDS", {}).get("default", {})
        if "elasticsearch" not in admin.get("BACKEND", ""):
            return [
                Warning(
                    _("Ctylab searches with Elasticsearch but Wagtail's admin search does not."),
                    hint=_("Point WAGTAILSEARCH_BACKENDS['default'] at an Elasticsearch backend."),
                    id="ctylab_search.W001",
                )
            ]
        return []

