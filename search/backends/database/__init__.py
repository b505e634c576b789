"""The database backend: documents and full-text search in the site's own database.

PostgreSQL (``tsvector`` with Dutch and English configurations) or SQLite (FTS5 with bm25),
chosen by the connection's vendor when a search runs. Filters, facets, ordering and paging
are the same ORM queries on both.
"""

from django.core.exceptions import ImproperlyConfigured
from django.db import DatabaseError, connection, transaction
from django.db.models import BooleanField, Count, ExpressionWrapper, F, FloatField, Q, Value, Window
from django.db.models.functions import ASin, Cos, Least, Power, Radians, Sin, Sqrt
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ...conf import app_settings
from ...models import INITIATIVE, IndexedAmbition, SearchDocument
from ...query import (
    AMBITION,
    EARTH_RADIUS_KM,
    FACETS,
    KIND,
    MUNICIPALITY,
    RELEVANCE,
    FacetCount,
    Hit,
    Results,
)
from ..base import BaseSearchBackend, SearchUnavailable

DOCUMENT_FIELDS = [
    "kind",
    "page_id",
    "block_id",
    "path",
    "site_id",
    "url",
    "title",
    "body",
    "initiative_title",
    "municipality",
    "ambitions",
    "latitude",
    "longitude",
    "openable",
    "opens_at",
    "closes_at",
    "activity_at",
    "refresh_at",
]
WRITTEN_FIELDS = [*DOCUMENT_FIELDS, "stems", "checksum", "indexed_at"]
HIT_FIELDS = [
    "id",
    "key",
    "kind",
    "title",
    "body",
    "url",
    "site_id",
    "initiative_title",
    "municipality",
    "ambitions",
    "activity_at",
    "openable",
    "opens_at",
    "closes_at",
]
SNIPPET_LENGTH = 240


def full_text():
    """The full-text implementation for the database in use."""
    if connection.vendor == "postgresql":
        from .postgres import PostgresFullText

        return PostgresFullText()
    if connection.vendor == "sqlite":
        from .sqlite import SqliteFullText

        return SqliteFullText()
    raise ImproperlyConfigured(
        f"Ctylab's database search needs PostgreSQL or SQLite, not {connection.vendor}."
    )


def open_now_q(now):
    return (
        Q(openable=True)
        & (Q(opens_at__isnull=True) | Q(opens_at__lte=now))
        & (Q(closes_at__isnull=True) | Q(closes_at__gt=now))
    )


def distance_expression(near):
    """Haversine distance in km from ``near`` to a document's location, in SQL."""
    lat = Value(near.latitude, output_field=FloatField())
    lon = Value(near.longitude, output_field=FloatField())
    half_dlat = Radians(F("latitude") - lat) / 2
    half_dlon = Radians(F("longitude") - lon) / 2
    a = Power(Sin(half_dlat), 2) + Cos(Radians(lat)) * Cos(Radians(F("latitude"))) * Power(
        Sin(half_dlon), 2
    )
    return 2 * EARTH_RADIUS_KM * ASin(Sqrt(Least(a, Value(1.0, output_field=FloatField()))))


def top_values(counts, selected, size):
    """Facet values, most documents first (ties by name); selected ones always included."""
    ordered = sorted(counts.items(), key=lambda item: (-item[1], item[0].casefold(), item[0]))
    shown = [FacetCount(value, count) for value, count in ordered[:size]]
    listed = {facet.value for facet in shown}
    shown += [FacetCount(value, counts.get(value, 0)) for value in selected if value not in listed]
    return shown


def preview(body):
    if len(body) <= SNIPPET_LENGTH:
        return body
    return body[:SNIPPET_LENGTH].rsplit(" ", 1)[0] + " …"


class DatabaseBackend(BaseSearchBackend):
    label = "database"

    # --- writing ---------------------------------------------------------------------------

    def store(self, batch, *, force=False):
        if not batch:
            return set()
        engine = full_text()
        page_ids = list(batch)
        existing = {
            key: (page_id, checksum)
            for key, page_id, checksum in SearchDocument.objects.filter(
                page_id__in=page_ids
            ).values_list("key", "page_id", "checksum")
        }
        wanted = {doc.key: doc for docs in batch.values() for doc in docs}
        now = timezone.now()
        rows, changed = [], set()
        for key, doc in wanted.items():
            checksum = doc.checksum
            if not force and existing.get(key, (None, None))[1] == checksum:
                continue
            changed.add(doc.page_id)
            fields = {name: getattr(doc, name) for name in DOCUMENT_FIELDS}
            if engine.stems_dutch:
                fields["stems"] = engine.stems(doc.title, doc.body)
            rows.append(SearchDocument(key=key, checksum=checksum, indexed_at=now, **fields))
        stale = [key for key in existing if key not in wanted]
        changed.update(existing[key][0] for key in stale)
        if not changed:
            return changed
        with transaction.atomic():
            if stale:
                SearchDocument.objects.filter(key__in=stale).delete()
            if rows:
                SearchDocument.objects.bulk_create(
                    rows,
                    update_conflicts=True,
                    unique_fields=["key"],
                    update_fields=WRITTEN_FIELDS,
                    batch_size=500,
                )
            IndexedAmbition.objects.filter(page_id__in=changed).delete()
            IndexedAmbition.objects.bulk_create(
                [
                    IndexedAmbition(page_id=page_id, name=name)
                    for page_id in changed
                    for doc in batch.get(page_id, ())[:1]
                    for name in doc.ambitions
                ],
                batch_size=500,
            )
        return changed

    def forget(self, page_ids):
        SearchDocument.objects.filter(page_id__in=page_ids).delete()
        IndexedAmbition.objects.filter(page_id__in=page_ids).delete()

    def rebuild(self, batches, *, force=False, progress=None):
        started = timezone.now()
        seen, changed = set(), set()
        for batch in batches:
            changed |= self.store(batch, force=force)
            seen.update(page_id for page_id, docs in batch.items() if docs)
            if progress:
                progress(len(batch))
        removed = self.prune(seen, started)
        return {
            "pages": len(seen),
            "changed": len(changed | removed),
            "removed": len(removed),
            "changed_ids": changed | removed,
        }

    def prune(self, seen, started):
        """Remove pages a rebuild did not see, unless they were indexed since it started."""
        indexed = set(
            SearchDocument.objects.filter(kind=INITIATIVE).values_list("page_id", flat=True)
        )
        candidates = indexed - seen
        if not candidates:
            return set()
        fresh = set(
            SearchDocument.objects.filter(
                page_id__in=candidates, indexed_at__gte=started
            ).values_list("page_id", flat=True)
        )
        gone = candidates - fresh
        if gone:
            self.store({page_id: [] for page_id in gone})
        return gone

    # --- searching -------------------------------------------------------------------------

    def search(self, query):
        engine = full_text()
        try:
            with engine.time_limit(app_settings.QUERY_TIMEOUT):
                return self._search(query, engine)
        except DatabaseError as error:
            # A statement stopped by the time limit, or the database away: say so, no 500.
            raise SearchUnavailable(str(error)) from error

    def _search(self, query, engine):
        docs = SearchDocument.objects.all()
        if query.scope:
            docs = docs.filter(path__startswith=query.scope)
        if query.terms:
            docs = engine.match(docs, query.terms)
        if query.open_now:
            docs = docs.filter(open_now_q(query.now))
        if query.near:
            south, north, west, east = query.near.bounding_box()
            docs = docs.filter(latitude__gte=south, latitude__lte=north)
            if west is not None:
                docs = docs.filter(longitude__gte=west, longitude__lte=east)
            docs = docs.annotate(distance_km=distance_expression(query.near)).filter(
                distance_km__lte=query.near.km
            )
        chosen = {
            KIND: Q(kind__in=query.kinds) if query.kinds else None,
            AMBITION: (
                Q(
                    page_id__in=IndexedAmbition.objects.filter(name__in=query.ambitions).values(
                        "page_id"
                    )
                )
                if query.ambitions
                else None
            ),
            MUNICIPALITY: Q(municipality__in=query.municipalities) if query.municipalities else None,
        }
        chosen = {name: q for name, q in chosen.items() if q is not None}
        matching = docs.filter(*chosen.values())

        facets, total = {}, None
        if query.with_facets:
            facets = self._facets(docs, chosen, query)
            # Every document has exactly one kind, so the kind counts add up to the total.
            total = sum(
                facet.count
                for facet in facets[KIND]
                if not query.kinds or facet.value in query.kinds
            )

        order = [F("activity_at").desc(nulls_last=True), "key"]
        if query.effective_sort == RELEVANCE:
            matching, by_rank = engine.rank(matching, query.terms)
            order = [*by_rank, *order]
        fields = [*HIT_FIELDS, "distance_km"] if query.near else HIT_FIELDS
        ordered = matching.order_by(*order)
        if total is None:
            # Counted in the same statement as the page of hits.
            ordered = ordered.annotate(_total=Window(Count("id")))
            fields = [*fields, "_total"]

        page = query.page if total is None else self._clamp(query.page, total, query.page_size)
        rows = self._page(ordered, fields, page, query.page_size)
        if total is None:
            if rows:
                total = rows[0]["_total"]
            else:
                total = matching.count()
                if total and page > 1:  # past the end: show the last page
                    page = self._clamp(page, total, query.page_size)
                    rows = self._page(ordered, fields, page, query.page_size)
        page = self._clamp(page, total, query.page_size)

        marks = engine.marks([row["id"] for row in rows], query.terms) if query.terms else {}
        hits = []
        for row in rows:
            title_marked, snippet_marked = marks.get(row["id"], ("", ""))
            row.pop("id")
            row.pop("_total", None)
            row["body"] = preview(row["body"])
            hits.append(Hit(title_marked=title_marked, snippet_marked=snippet_marked, **row))
        return Results(
            query=query, hits=hits, total=total, page=page, facets=facets, backend=self.label
        )

    @staticmethod
    def _clamp(page, total, page_size):
        return max(1, min(page, -(-total // page_size) or 1))

    @staticmethod
    def _page(ordered, fields, page, page_size):
        offset = (page - 1) * page_size
        return list(ordered.values(*fields)[offset : offset + page_size])

    def _facets(self, docs, chosen, query):
        """Counts of every facet in one statement: the matching documents are collected once
        (a materialised CTE), then each facet counts those that pass every selection but its
        own — so another value of a facet shows what choosing it would add."""
        flags = {
            f"_{name}_ok": ExpressionWrapper(q, output_field=BooleanField())
            for name, q in chosen.items()
        }
        inner = docs.annotate(**flags).values("id", "kind", "municipality", "page_id", *flags)
        inner_sql, params = inner.order_by().query.sql_with_params()

        def passing(facet):
            names = [f'm."_{name}_ok"' for name in chosen if name != facet]
            return " AND ".join(names) or "1 = 1"

        ambitions = connection.ops.quote_name(IndexedAmbition._meta.db_table)
        # Only constants are formatted in; every value is in ``params`` (Django's own SQL).
        sql = (
            f"WITH m AS MATERIALIZED ({inner_sql}) "  # noqa: S608
            f"SELECT 'kind', m.kind, COUNT(*) FROM m WHERE {passing(KIND)} GROUP BY m.kind "
            "UNION ALL "
            "SELECT 'municipality', m.municipality, COUNT(*) FROM m "
            f"WHERE m.municipality <> '' AND {passing(MUNICIPALITY)} GROUP BY m.municipality "
            "UNION ALL "
            f"SELECT 'ambition', a.name, COUNT(*) FROM m INNER JOIN {ambitions} a "
            f"ON a.page_id = m.page_id WHERE {passing(AMBITION)} GROUP BY a.name"
        )
        counts = {facet: {} for facet in FACETS}
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            for facet, value, count in cursor.fetchall():
                counts[facet][value] = count
        return {
            facet: top_values(
                counts[facet],
                query.selected(facet),
                len(counts[facet]) if facet == KIND else app_settings.FACET_SIZE,
            )
            for facet in FACETS
        }

    def check(self):
        from django.core.checks import Error

        if connection.vendor not in ("postgresql", "sqlite"):
            return [
                Error(
                    _("The database search backend needs PostgreSQL or SQLite."),
                    id="ctylab_search.E002",
                )
            ]
        return []
