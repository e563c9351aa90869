"""Every programme-wide record of spreading the word, office hours and ideas reaches its programme (issue 22): existing rows belong to the installation's first programme."""

import django.db.models.deletion
from django.db import migrations, models

import community_insights.portal.programme.current

MODELS = ("NewsPost", "InterestLead", "OfficeHourSlot", "Idea")


def to_first_programme(apps, schema_editor):  # type: ignore[no-untyped-def]
    first = apps.get_model("programme", "Programme").objects.order_by("pk").values_list("pk", flat=True).first()
    for name in MODELS:
        apps.get_model("ideas", name).objects.filter(programme__isnull=True).update(programme_id=first)


class Migration(migrations.Migration):
    dependencies = [
        ("ideas", "0002_scoping_session_end_and_cancellation"),
        ("programme", "0004_programmes_as_tenants"),
    ]

    operations = [
        migrations.AddField(
            model_name="newspost",
            name="programme",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="news_posts",
                to="programme.programme",
            ),
        ),
        migrations.AddField(
            model_name="interestlead",
            name="programme",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="interest_leads",
                to="programme.programme",
            ),
        ),
        migrations.AddField(
            model_name="officehourslot",
            name="programme",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="office_hour_slots",
                to="programme.programme",
            ),
        ),
        migrations.AddField(
            model_name="idea",
            name="programme",
            field=models.ForeignKey(
                null=True, on_delete=django.db.models.deletion.PROTECT, related_name="ideas", to="programme.programme"
            ),
        ),
        migrations.RunPython(to_first_programme, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="newspost",
            name="programme",
            field=models.ForeignKey(
                default=community_insights.portal.programme.current.current_programme_id,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="news_posts",
                to="programme.programme",
            ),
        ),
        migrations.AlterField(
            model_name="interestlead",
            name="programme",
            field=models.ForeignKey(
                default=community_insights.portal.programme.current.current_programme_id,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="interest_leads",
                to="programme.programme",
            ),
        ),
        migrations.AlterField(
            model_name="officehourslot",
            name="programme",
            field=models.ForeignKey(
                default=community_insights.portal.programme.current.current_programme_id,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="office_hour_slots",
                to="programme.programme",
            ),
        ),
        migrations.AlterField(
            model_name="idea",
            name="programme",
            field=models.ForeignKey(
                default=community_insights.portal.programme.current.current_programme_id,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="ideas",
                to="programme.programme",
            ),
        ),
    ]
