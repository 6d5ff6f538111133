"""The engine-specific full-text index next to the document table.

SQLite: an FTS5 table whose rowid is the document id (unicode61 with diacritics kept, since
folding is done in Python and the exact column must keep the marks). PostgreSQL: a tsvector
column on the document table with a GIN index. Other databases have no database engine.
"""

from django.db import migrations

SQLITE_UP = [
    "CREATE VIRTUAL TABLE IF NOT EXISTS search_fts USING fts5("
    "title_exact, title_folded, text_exact, text_folded, tokenize = 'unicode61 remove_diacritics 0')",
]
SQLITE_DOWN = ["DROP TABLE IF EXISTS search_fts"]
PG_UP = [
    "ALTER TABLE search_searchdocument ADD COLUMN IF NOT EXISTS vector tsvector",
    "CREATE INDEX IF NOT EXISTS search_doc_vector ON search_searchdocument USING gin (vector)",
]
PG_DOWN = ["DROP INDEX IF EXISTS search_doc_vector", "ALTER TABLE search_searchdocument DROP COLUMN IF EXISTS vector"]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for sql in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_UP, "postgresql": PG_UP}),
            _run({"sqlite": SQLITE_DOWN, "postgresql": PG_DOWN}),
        )
    ]
