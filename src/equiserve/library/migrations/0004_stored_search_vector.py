"""PostgreSQL: keep each work's tsvector in a stored column, indexed.

With the vector computed per row at query time, a query that the planner ran
in the table's order (to find the first 20 matches of a common pair) parsed
the tokens of every row it passed: 350 ms over 25,000 rows. Stored, the same
filter is a comparison, and the index's recheck reads it too. SQLite's FTS5
table needs nothing of this.
"""

from django.db import migrations

FORWARD = [
    "ALTER TABLE library_work ADD COLUMN search_vector tsvector "
    "GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, search_tokens)) STORED",
    "DROP INDEX IF EXISTS library_work_search",
    "CREATE INDEX library_work_search ON library_work USING gin (search_vector)",
    "ANALYZE library_work",
]
BACKWARD = [
    "DROP INDEX IF EXISTS library_work_search",
    "ALTER TABLE library_work DROP COLUMN IF EXISTS search_vector",
    "CREATE INDEX library_work_search ON library_work "
    "USING gin (to_tsvector('simple'::regconfig, search_tokens))",
]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for sql in statements:
                schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("library", "0003_index_single_characters")]

    operations = [migrations.RunPython(_run(FORWARD), _run(BACKWARD))]
