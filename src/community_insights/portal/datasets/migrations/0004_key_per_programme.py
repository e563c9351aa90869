"""Every pseudonymisation key reaches its programme (issue 22): existing rows belong to the installation's first programme."""

import django.db.models.deletion
from django.db import migrations, models

import community_insights.portal.programme.current

MODELS = ("PseudonymisationKey",)


def to_first_programme(apps, schema_editor):  # type: ignore[no-untyped-def]
    first = apps.get_model("programme", "Programme").objects.order_by("pk").values_list("pk", flat=True).first()
    for name in MODELS:
        apps.get_model("datasets", name).objects.filter(programme__isnull=True).update(programme_id=first)


class Migration(migrations.Migration):
    dependencies = [
        ("datasets", "0003_job_options"),
        ("programme", "0004_programmes_as_tenants"),
    ]

    operations = [
        migrations.AddField(
            model_name="pseudonymisationkey",
            name="programme",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="pseudonymisation_keys",
                to="programme.programme",
            ),
        ),
        migrations.RunPython(to_first_programme, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="pseudonymisationkey",
            name="programme",
            field=models.ForeignKey(
                default=community_insights.portal.programme.current.current_programme_id,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="pseudonymisation_keys",
                to="programme.programme",
            ),
        ),
        migrations.RemoveConstraint(model_name="pseudonymisationkey", name="one_active_key"),
        migrations.AddConstraint(
            model_name="pseudonymisationkey",
            constraint=models.UniqueConstraint(
                condition=models.Q(("is_active", True)), fields=("programme",), name="one_active_key_per_programme"
            ),
        ),
    ]
