"""The full-text index of each database: an FTS5 table on SQLite, a tsvector on PostgreSQL.

Neither is a model field (the other database has no such thing), so each is created here
for its own vendor only.
"""

from django.db import migrations

from search.backends.database.schema import VendorRunSQL

SQLITE_FORWARD = [
    """
    CREATE VIRTUAL TABLE ctylab_search_fts USING fts5(
        title, body, stems,
        content='ctylab_search_searchdocument', content_rowid='id',
        tokenize='porter unicode61 remove_diacritics 2'
    )
    """,
    """
    CREATE TRIGGER ctylab_search_fts_insert AFTER INSERT ON ctylab_search_searchdocument BEGIN
        INSERT INTO ctylab_search_fts (rowid, title, body, stems)
        VALUES (new.id, new.title, new.body, new.stems);
    END
    """,
    """
    CREATE TRIGGER ctylab_search_fts_delete AFTER DELETE ON ctylab_search_searchdocument BEGIN
        INSERT INTO ctylab_search_fts (ctylab_search_fts, rowid, title, body, stems)
        VALUES ('delete', old.id, old.title, old.body, old.stems);
    END
    """,
    """
    CREATE TRIGGER ctylab_search_fts_update
    AFTER UPDATE OF title, body, stems ON ctylab_search_searchdocument BEGIN
        INSERT INTO ctylab_search_fts (ctylab_search_fts, rowid, title, body, stems)
        VALUES ('delete', old.id, old.title, old.body, old.stems);
        INSERT INTO ctylab_search_fts (rowid, title, body, stems)
        VALUES (new.id, new.title, new.body, new.stems);
    END
    """,
    "INSERT INTO ctylab_search_fts (ctylab_search_fts) VALUES ('rebuild')",
    # Descending order puts NULLs last in SQLite already.
    "CREATE INDEX ctylab_search_document_recent ON ctylab_search_searchdocument "
    "(activity_at DESC, key)",
]
SQLITE_BACKWARD = [
    "DROP INDEX IF EXISTS ctylab_search_document_recent",
    "DROP TRIGGER IF EXISTS ctylab_search_fts_update",
    "DROP TRIGGER IF EXISTS ctylab_search_fts_delete",
    "DROP TRIGGER IF EXISTS ctylab_search_fts_insert",
    "DROP TABLE IF EXISTS ctylab_search_fts",
]

POSTGRES_FORWARD = [
    """
    ALTER TABLE ctylab_search_searchdocument ADD COLUMN search_vector tsvector
    GENERATED ALWAYS AS (
        setweight(to_tsvector('dutch'::regconfig, coalesce(title, '')), 'A')
        || setweight(to_tsvector('english'::regconfig, coalesce(title, '')), 'A')
        || setweight(to_tsvector('dutch'::regconfig, coalesce(body, '')), 'B')
        || setweight(to_tsvector('english'::regconfig, coalesce(body, '')), 'B')
    ) STORED
    """,
    "CREATE INDEX ctylab_search_document_vector ON ctylab_search_searchdocument "
    "USING GIN (search_vector)",
    "CREATE INDEX ctylab_search_document_recent ON ctylab_search_searchdocument "
    "(activity_at DESC NULLS LAST, key)",
]
POSTGRES_BACKWARD = [
    "DROP INDEX IF EXISTS ctylab_search_document_recent",
    "DROP INDEX IF EXISTS ctylab_search_document_vector",
    "ALTER TABLE ctylab_search_searchdocument DROP COLUMN IF EXISTS search_vector",
]


class Migration(migrations.Migration):
    dependencies = [("ctylab_search", "0001_initial")]

    operations = [
        VendorRunSQL("sqlite", SQLITE_FORWARD, SQLITE_BACKWARD),
        VendorRunSQL("postgresql", POSTGRES_FORWARD, POSTGRES_BACKWARD),
    ]
