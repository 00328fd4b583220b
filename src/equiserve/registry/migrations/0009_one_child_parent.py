# Written by hand (issue 12, point 7): the import framework was mid-move when
# makemigrations was due; this is what it generates for the field.

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('registry', '0008_conscription_enlisted'),
    ]

    operations = [
        migrations.AddField(
            model_name='person',
            name='one_child_parent',
            field=models.BooleanField(blank=True, null=True, verbose_name="one-child parents' certificate"),
        ),
    ]
