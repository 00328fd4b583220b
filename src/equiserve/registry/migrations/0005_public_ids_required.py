"""Make the public ids required and unique, with a fresh one for each new row."""

import uuid

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("registry", "0004_public_ids_filled")]

    operations = [
        migrations.AlterField(
            model_name="household",
            name="public_id",
            field=models.UUIDField(
                default=uuid.uuid4, editable=False, unique=True, verbose_name="public id"
            ),
        ),
        migrations.AlterField(
            model_name="person",
            name="public_id",
            field=models.UUIDField(
                default=uuid.uuid4, editable=False, unique=True, verbose_name="public id"
            ),
        ),
    ]
