"""Index each Chinese character of a work alone too, so one-character queries match."""

from django.db import migrations

from equiserve.library.tokens import document

BATCH = 5000


def reindex(apps, schema_editor):
    Work = apps.get_model("library", "Work")
    changed = []
    for work in Work.objects.only(
        "id", "title", "author", "subjects", "isbn", "search_tokens"
    ).iterator(chunk_size=BATCH):
        tokens = document(work.title, work.author, work.subjects, work.isbn or "")
        if tokens != work.search_tokens:
            work.search_tokens = tokens
            changed.append(work)
        if len(changed) >= BATCH:
            Work.objects.bulk_update(changed, ["search_tokens"])
            changed = []
    Work.objects.bulk_update(changed, ["search_tokens"])
    if schema_editor.connection.vendor == "postgresql":
        # New token frequencies: the planner needs them to choose between the
        # full-text index (a rare pair) and the table's order (a common character).
        schema_editor.execute("ANALYZE library_work")


class Migration(migrations.Migration):
    dependencies = [("library", "0002_search_index")]

    operations = [migrations.RunPython(reindex, migrations.RunPython.noop)]
