"""Add random public ids to persons and households (issue 10, finding 3).

Three steps, so existing rows each get their own id: add the column nullable,
fill it row by row, then make it unique and required.
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("registry", "0002_person_constraints")]

    operations = [
        migrations.AddField(
            model_name="household",
            name="public_id",
            field=models.UUIDField(null=True, editable=False, verbose_name="public id"),
        ),
        migrations.AddField(
            model_name="person",
            name="public_id",
            field=models.UUIDField(null=True, editable=False, verbose_name="public id"),
        ),
    ]
