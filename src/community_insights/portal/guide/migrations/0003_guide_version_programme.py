"""Each programme keeps its own guide (issue 22): a guide version gets its programme, and numbers stop being
unique across the installation (they are counted per programme from here).

The rows are filled by the next migration, and the field made required by the one after: on PostgreSQL a
table whose rows were changed cannot be altered in the same transaction (its foreign key checks are pending).
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("guide", "0002_national_guide"),
        ("programme", "0004_programmes_as_tenants"),
    ]

    operations = [
        migrations.AddField(
            model_name="guideversion",
            name="programme",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="guide_versions",
                to="programme.programme",
            ),
        ),
        migrations.AlterField(
            model_name="guideversion", name="number", field=models.PositiveIntegerField(blank=True, null=True)
        ),
    ]
