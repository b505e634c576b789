"""SQLite full-text search: an FTS5 table over the documents, ranked with bm25.

Migration 0002 creates ``ctylab_search_fts`` as an external-content FTS5 table reading
title, body and stems from the documents table, kept in step by triggers, with the
``porter unicode61 remove_diacritics 2`` tokenizer: English Porter stems, accents folded.
Dutch stems come from ``search.stemming`` (stored in ``stems``, and applied to query words),
so a term matches when its English stem is in title or body or its Dutch stem in ``stems``.
"""

import time
from contextlib import contextmanager

from django.db import connection
from django.db.models.expressions import RawSQL

from ... import stemming
from ...models import SearchDocument
from ...text import MARK_END, MARK_START, WORD

FTS_TABLE = "ctylab_search_fts"
DOCUMENT_TABLE = SearchDocument._meta.db_table
# Column weights for bm25(): title, body, Dutch stems.
WEIGHTS = (4.0, 1.0, 1.0)


def mark_words(text, terms):
    """Mark the words of ``text`` whose form or Dutch stem is searched for.

    FTS5 marks only what its own (English) tokenizer matched; a match through the Dutch stems
    column ("zonnepaneel" finding "zonnepanelen") is marked here instead.
    """
    wanted = {word for term in terms for word in term.words}
    stems = {stemming.stem(word) for word in wanted}

    def mark(match):
        word = match.group(0)
        lower = word.lower()
        if lower in wanted or stemming.stem(lower) in stems:
            return f"{MARK_START}{word}{MARK_END}"
        return word

    return WORD.sub(mark, text)


def window(text, size=24):
    """About ``size`` words of marked text around its first mark (the whole text if short)."""
    tokens = text.split(" ")
    if len(tokens) <= size:
        return text
    first = next((index for index, token in enumerate(tokens) if MARK_START in token), 0)
    start = max(0, min(first - size // 3, len(tokens) - size))
    piece = " ".join(tokens[start : start + size])
    return ("… " if start else "") + piece + (" …" if start + size < len(tokens) else "")


def match_expression(terms):
    """An FTS5 query built only from words, each quoted: no operator can come from a visitor."""
    clauses = []
    for term in terms:
        plain = " ".join(term.words)
        dutch = " ".join(stemming.stem(word) for word in term.words)
        clauses.append(f'({{title body}} : "{plain}" OR stems : "{dutch}")')
    return " AND ".join(clauses)


class SqliteFullText:
    vendor = "sqlite"
    stems_dutch = True
    key_order = "key"  # SQLite compares text byte by byte

    # In the SQL below only constants (table names, weights) and placeholders are formatted
    # in; every value, the match expression included, is a query parameter.

    def match(self, queryset, terms):
        return queryset.filter(
            id__in=RawSQL(  # noqa: S611
                f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s",  # noqa: S608
                [match_expression(terms)],
            )
        )

    def rank_sql(self, alias, terms):
        """(SQL of the rank of the document ``alias``, its parameters, best-first direction)."""
        weights = ", ".join(str(weight) for weight in WEIGHTS)
        return (
            f"(SELECT bm25({FTS_TABLE}, {weights}) FROM {FTS_TABLE} "  # noqa: S608
            f"WHERE {FTS_TABLE} MATCH %s AND {FTS_TABLE}.rowid = {alias}.id)",
            [match_expression(terms)],
            "ASC",  # bm25() is lower for better matches
        )

    def hit_rows(self, ids, terms, fields):
        """{id: row} of the hits, with ``title_marked``/``snippet_marked`` when searching text."""
        rows = {row["id"]: row for row in SearchDocument.objects.filter(id__in=ids).values(*fields)}
        marks = self.marks(list(rows), terms) if terms else {}
        for row_id, row in rows.items():
            row["title_marked"], row["snippet_marked"] = marks.get(row_id, ("", ""))
        return rows

    def marks(self, ids, terms):
        if not ids:
            return {}
        placeholders = ", ".join(["%s"] * len(ids))
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT rowid, highlight({FTS_TABLE}, 0, %s, %s), "  # noqa: S608
                f"snippet({FTS_TABLE}, 1, %s, %s, ' … ', 24), title, body "
                f"FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s AND rowid IN ({placeholders})",
                [MARK_START, MARK_END, MARK_START, MARK_END, match_expression(terms), *ids],
            )
            found = {}
            for row_id, title, snippet, plain_title, body in cursor.fetchall():
                if MARK_START not in (title or ""):
                    title = mark_words(plain_title or "", terms)
                if MARK_START not in (snippet or ""):
                    marked = mark_words(body or "", terms)
                    snippet = window(marked) if MARK_START in marked else snippet
                found[row_id] = (title or "", snippet or "")
            return found

    @staticmethod
    def stems(title, body):
        return stemming.stems(f"{title} {body}")

    @contextmanager
    def time_limit(self, seconds):
        """Interrupt the search's statements once ``seconds`` have passed."""
        connection.ensure_connection()
        raw = connection.connection
        deadline = time.monotonic() + seconds
        raw.set_progress_handler(lambda: 1 if time.monotonic() > deadline else 0, 10_000)
        try:
            yield
        finally:
            raw.set_progress_handler(None, 0)
