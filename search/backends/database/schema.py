"""Database objects Django's models cannot describe: the full-text index of each vendor.

The migration that creates them keeps its own copy of the SQL (migrations are history); this
module's statements re-create SQLite's triggers if a later migration rebuilt the documents
table (SQLite's way of altering a table drops its triggers) — see ``ensure_full_text``.
"""

from django.db import migrations

SQLITE_TRIGGERS = {
    "ctylab_search_fts_insert": """
        CREATE TRIGGER IF NOT EXISTS ctylab_search_fts_insert
        AFTER INSERT ON ctylab_search_searchdocument BEGIN
            INSERT INTO ctylab_search_fts (rowid, title, body, stems)
            VALUES (new.id, new.title, new.body, new.stems);
        END""",
    "ctylab_search_fts_delete": """
        CREATE TRIGGER IF NOT EXISTS ctylab_search_fts_delete
        AFTER DELETE ON ctylab_search_searchdocument BEGIN
            INSERT INTO ctylab_search_fts (ctylab_search_fts, rowid, title, body, stems)
            VALUES ('delete', old.id, old.title, old.body, old.stems);
        END""",
    "ctylab_search_fts_update": """
        CREATE TRIGGER IF NOT EXISTS ctylab_search_fts_update
        AFTER UPDATE OF title, body, stems ON ctylab_search_searchdocument BEGIN
            INSERT INTO ctylab_search_fts (ctylab_search_fts, rowid, title, body, stems)
            VALUES ('delete', old.id, old.title, old.body, old.stems);
            INSERT INTO ctylab_search_fts (rowid, title, body, stems)
            VALUES (new.id, new.title, new.body, new.stems);
        END""",
}


class VendorRunSQL(migrations.RunSQL):
    """RunSQL that runs only on one database vendor (the others have other means)."""

    def __init__(self, vendor, *args, **kwargs):
        self.vendor = vendor
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, args, kwargs = super().deconstruct()
        return name, [self.vendor, *args], kwargs

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == self.vendor:
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == self.vendor:
            super().database_backwards(app_label, schema_editor, from_state, to_state)

    def describe(self):
        return f"Raw SQL operation for {self.vendor}"


def ensure_full_text(using="default", **kwargs):
    """After migrations: put back SQLite's FTS triggers if they went, and re-fill the index."""
    from django.db import connections

    connection = connections[using]
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name FROM sqlite_master WHERE type IN ('table', 'trigger') "
            "AND name LIKE 'ctylab_search_fts%%'"
        )
        present = {row[0] for row in cursor.fetchall()}
        if "ctylab_search_fts" not in present:
            return  # not migrated yet
        missing = [name for name in SQLITE_TRIGGERS if name not in present]
        for name in missing:
            cursor.execute(SQLITE_TRIGGERS[name])
        if missing:
            cursor.execute("INSERT INTO ctylab_search_fts (ctylab_search_fts) VALUES ('rebuild')")
