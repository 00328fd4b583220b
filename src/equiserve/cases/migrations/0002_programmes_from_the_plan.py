# The programme codes come from the plan's programmes.yaml, checked by the
# services, so the plan can add a programme without a migration (issue 11).

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0001_initial"),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="case",
            name="case_programme_known",
        ),
        migrations.AlterField(
            model_name="case",
            name="programme",
            field=models.CharField(max_length=32, verbose_name="programme"),
        ),
    ]
