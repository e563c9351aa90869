"""Every guide version belongs to a programme, and numbers are counted per programme.

Kept apart from the migration that fills the field: on PostgreSQL a table whose
rows were just changed cannot be altered in the same transaction.
"""

import django.db.models.deletion
from django.db import migrations, models

import community_insights.portal.programme.current


class Migration(migrations.Migration):
    dependencies = [("guide", "0004_guide_versions_to_programmes")]

    operations = [
        migrations.AlterField(
            model_name="guideversion",
            name="programme",
            field=models.ForeignKey(
                default=community_insights.portal.programme.current.current_programme_id,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="guide_versions",
                to="programme.programme",
            ),
        ),
        migrations.AddConstraint(
            model_name="guideversion",
            constraint=models.UniqueConstraint(
                fields=("programme", "number"), name="one_guide_version_number_per_programme"
            ),
        ),
    ]
