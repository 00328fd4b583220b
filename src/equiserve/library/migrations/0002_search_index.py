"""Index the works' search tokens: SQLite FTS5 or a PostgreSQL GIN index."""

from django.db import migrations

SQLITE = [
    "CREATE VIRTUAL TABLE library_work_fts USING fts5("
    "search_tokens, content='library_work', content_rowid='id', "
    "tokenize='unicode61')",
    "CREATE TRIGGER library_work_fts_ai AFTER INSERT ON library_work BEGIN "
    "INSERT INTO library_work_fts(rowid, search_tokens) "
    "VALUES (new.id, new.search_tokens); END",
    "CREATE TRIGGER library_work_fts_ad AFTER DELETE ON library_work BEGIN "
    "INSERT INTO library_work_fts(library_work_fts, rowid, search_tokens) "
    "VALUES ('delete', old.id, old.search_tokens); END",
    "CREATE TRIGGER library_work_fts_au AFTER UPDATE OF search_tokens ON library_work "
    "BEGIN INSERT INTO library_work_fts(library_work_fts, rowid, search_tokens) "
    "VALUES ('delete', old.id, old.search_tokens); "
    "INSERT INTO library_work_fts(rowid, search_tokens) "
    "VALUES (new.id, new.search_tokens); END",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS library_work_fts_au",
    "DROP TRIGGER IF EXISTS library_work_fts_ad",
    "DROP TRIGGER IF EXISTS library_work_fts_ai",
    "DROP TABLE IF EXISTS library_work_fts",
]
POSTGRESQL = [
    "CREATE INDEX library_work_search ON library_work "
    "USING gin (to_tsvector('simple'::regconfig, search_tokens))",
]
POSTGRESQL_DROP = ["DROP INDEX IF EXISTS library_work_search"]


def _run(statements: dict):
    def run(apps, schema_editor):
        for sql in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("library", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE, "postgresql": POSTGRESQL}),
            _run({"sqlite": SQLITE_DROP, "postgresql": POSTGRESQL_DROP}),
        )
    ]
