"""The database backend: documents and full-text search in the site's own database.

PostgreSQL (``tsvector`` with Dutch and English configurations) or SQLite (FTS5 with bm25),
chosen by the connection's vendor when a search runs. Filters, facets, ordering and paging
are the same ORM queries on both.
"""

from django.core.exceptions import ImproperlyConfigured
from django.db import DatabaseError, connection, transaction
from django.db.models import BooleanField, ExpressionWrapper, F, FloatField, Q, Value
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
    distance_km,
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
    "language",
]
WRITTEN_FIELDS = [*DOCUMENT_FIELDS, "stems", "checksum", "indexed_at"]
HIT_FIELDS = [
    "id",
    "key",
    "language",
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
            docs = docs.alias(distance_km=distance_expression(query.near)).filter(
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

        page = query.page
        counts, total, positions = self._run(docs, chosen, query, engine, page)
        last_page = self._clamp(page, total, query.page_size)
        if total and last_page != page:
            # Asked past the end: show the last page (the counts stay as they are).
            page = last_page
            _counts, _total, positions = self._run(docs, chosen, query, engine, page)
        page = last_page

        facets = {}
        if query.with_facets:
            facets = {
                facet: top_values(
                    counts[facet],
                    query.selected(facet),
                    len(counts[facet]) if facet == KIND else app_settings.FACET_SIZE,
                )
                for facet in FACETS
            }
        ids = [hit_id for hit_id, _position in sorted(positions.items(), key=lambda item: item[1])]
        rows = engine.hit_rows(ids, query.terms, [*HIT_FIELDS, "latitude", "longitude"])
        hits = []
        for hit_id in ids:
            row = rows[hit_id]
            latitude, longitude = row.pop("latitude"), row.pop("longitude")
            if query.near and latitude is not None and longitude is not None:
                row["distance_km"] = distance_km(
                    query.near.latitude, query.near.longitude, latitude, longitude
                )
            row.pop("id")
            row["body"] = preview(row["body"])
            hits.append(Hit(**row))
        return Results(
            query=query, hits=hits, total=total, page=page, facets=facets, backend=self.label
        )

    @staticmethod
    def _clamp(page, total, page_size):
        return max(1, min(page, -(-total // page_size) or 1))

    def _run(self, docs, chosen, query, engine, page):
        """One statement for a whole search: the matching documents are collected once (a
        materialised CTE) and the facet counts, the total and the page of hits are all taken
        from that set. Facets are disjunctive: each counts the documents that pass every
        selection but its own, so another value of a facet shows what choosing it adds.

        Returns (facet counts, total, {hit id: position}).
        """
        flags = {
            f"_{name}_ok": ExpressionWrapper(q, output_field=BooleanField())
            for name, q in chosen.items()
        }
        inner = docs.annotate(**flags).values(
            "id", "kind", "municipality", "page_id", "activity_at", "key", *flags
        )
        inner_sql, params = inner.order_by().query.sql_with_params()
        params = list(params)

        def passing(*facets):
            names = [f'm."_{name}_ok"' for name in chosen if name not in facets]
            return " AND ".join(names) or "1 = 1"

        parts = []
        if query.with_facets:
            parts += [
                f"SELECT 'kind', m.kind, COUNT(*) FROM m WHERE {passing(KIND)} GROUP BY m.kind",  # noqa: S608
                "SELECT 'municipality', m.municipality, COUNT(*) FROM m "  # noqa: S608
                f"WHERE m.municipality <> '' AND {passing(MUNICIPALITY)} GROUP BY m.municipality",
                # Per page first (a few thousand rows), then over the pages' ambitions.
                f"SELECT 'ambition', a.name, SUM(p.n) FROM (SELECT m.page_id, COUNT(*) AS n "  # noqa: S608
                f"FROM m WHERE {passing(AMBITION)} GROUP BY m.page_id) p "
                f"INNER JOIN {connection.ops.quote_name(IndexedAmbition._meta.db_table)} a "
                "ON a.page_id = p.page_id GROUP BY a.name",
            ]
        else:
            parts.append("SELECT 'total', NULL, COUNT(*) FROM s")

        offset = (page - 1) * query.page_size
        recent = f"activity_at DESC NULLS LAST, {engine.key_order}"
        if (
            query.effective_sort == RELEVANCE
            and offset + query.page_size <= app_settings.RANK_LIMIT
        ):
            # Relevance among the RANK_LIMIT most recently active matches (all of them, for
            # all but the broadest searches): ranking costs per ranked document.
            rank_sql, rank_params, direction = engine.rank_sql("d", query.terms)
            order = f"r {direction}, c.activity_at DESC NULLS LAST, c.{engine.key_order}"
            parts.append(
                f"SELECT 'hit', CAST(h.id AS TEXT), ROW_NUMBER() OVER (ORDER BY h.r {direction}, "  # noqa: S608
                f"h.activity_at DESC NULLS LAST, h.{engine.key_order}) FROM ("
                f"SELECT c.id, c.activity_at, c.key, {rank_sql} AS r FROM "
                f"(SELECT id, activity_at, key FROM s ORDER BY {recent} LIMIT %s) c "
                f"INNER JOIN {connection.ops.quote_name(SearchDocument._meta.db_table)} d "
                f"ON d.id = c.id ORDER BY {order} LIMIT %s OFFSET %s) h"
            )
            params += [*rank_params, app_settings.RANK_LIMIT, query.page_size, offset]
        else:
            # Most recent first; also the order past the ranked documents (the ranked ones
            # are exactly the most recent RANK_LIMIT, so positions carry on).
            parts.append(
                f"SELECT 'hit', CAST(h.id AS TEXT), ROW_NUMBER() OVER (ORDER BY "  # noqa: S608
                f"h.activity_at DESC NULLS LAST, h.{engine.key_order}) FROM ("
                f"SELECT id, activity_at, key FROM s ORDER BY {recent} LIMIT %s OFFSET %s) h"
            )
            params += [query.page_size, offset]

        # Only constants and placeholders are formatted in; every value is in ``params``.
        sql = (
            f"WITH m AS MATERIALIZED ({inner_sql}), "  # noqa: S608
            f"s AS MATERIALIZED (SELECT id, activity_at, key FROM m WHERE {passing()}) "
            + " UNION ALL ".join(parts)
        )
        counts = {facet: {} for facet in FACETS}
        total, positions = 0, {}
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            for section, value, number in cursor.fetchall():
                if section == "hit":
                    positions[int(value)] = number
                elif section == "total":
                    total = number
                else:
                    counts[section][value] = int(number)
        if query.with_facets:
            # Every document has exactly one kind, so the kind counts add up to the total.
            total = sum(
                count
                for kind, count in counts[KIND].items()
                if not query.kinds or kind in query.kinds
            )
        return counts, total, positions

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
