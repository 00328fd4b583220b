"""Give every existing person and household its own random public id."""

import uuid

from django.db import migrations

BATCH = 2000


def fill(apps, schema_editor):
    for name in ("Person", "Household"):
        model = apps.get_model("registry", name)
        pending = model.objects.filter(public_id__isnull=True).only("pk")
        batch = []
        for row in pending.iterator(chunk_size=BATCH):
            row.public_id = uuid.uuid4()
            batch.append(row)
            if len(batch) >= BATCH:
                model.objects.bulk_update(batch, ["public_id"])
                batch = []
        model.objects.bulk_update(batch, ["public_id"])


class Migration(migrations.Migration):
    dependencies = [("registry", "0003_public_ids_added")]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
