"""Programmes become tenants: a slug (their own path), branding, a rule preset and memberships.

The existing single programme gets the slug ``community-insights``; everyone
becomes a member of it, and who was programme staff (the account-wide flag)
its staff, so nothing changes for a one-programme installation.
"""

import django.core.validators
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

import community_insights.portal.programme.models


def slugs_and_staff(apps, schema_editor):  # type: ignore[no-untyped-def]
    programme_model = apps.get_model("programme", "Programme")
    membership = apps.get_model("programme", "ProgrammeMembership")
    user_model = apps.get_model(*settings.AUTH_USER_MODEL.split("."))
    for number, programme in enumerate(programme_model.objects.order_by("pk")):
        programme.slug = "community-insights" if number == 0 else f"programme-{programme.pk}"
        programme.save(update_fields=["slug"])
    first = programme_model.objects.order_by("pk").first()
    if first is not None:
        for user in user_model.objects.all():
            role = "staff" if user.is_staff else "member"
            membership.objects.get_or_create(programme=first, user=user, defaults={"role": role})


class Migration(migrations.Migration):
    dependencies = [
        ("programme", "0003_programme_row"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterModelOptions(name="programme", options={"ordering": ["pk"]}),
        # No index while the column is filled: on PostgreSQL a slug's index and the unique constraint added
        # below would each make the same "_like" index, and the second would fail.
        migrations.AddField(
            model_name="programme", name="slug", field=models.SlugField(max_length=60, null=True, db_index=False)
        ),
        migrations.AddField(
            model_name="programme",
            name="council_name",
            field=models.CharField(
                blank=True,
                help_text="Shown in the header instead of the installation's council name.",
                max_length=200,
            ),
        ),
        migrations.AddField(
            model_name="programme",
            name="brand_colour",
            field=models.CharField(
                blank=True,
                max_length=7,
                validators=[
                    django.core.validators.RegexValidator(
                        "^#[0-9a-fA-F]{6}$",
                        "Enter a colour as # and six digits or letters a to f, like #1d4f5c.",
                    ),
                    community_insights.portal.programme.models.dark_enough_for_white_text,
                ],
            ),
        ),
        migrations.AddField(
            model_name="programme", name="logo", field=models.BinaryField(blank=True, default=b"", editable=False)
        ),
        migrations.AddField(
            model_name="programme",
            name="logo_type",
            field=models.CharField(blank=True, editable=False, max_length=20),
        ),
        migrations.AddField(
            model_name="programme",
            name="disclosure_preset",
            field=models.CharField(
                default="ons", help_text="The rule preset new tables, charts and maps start from.", max_length=40
            ),
        ),
        migrations.CreateModel(
            name="ProgrammeMembership",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("created_at", models.DateTimeField(auto_now_add=True, db_index=True)),
                ("updated_at", models.DateTimeField(auto_now=True)),
                (
                    "role",
                    models.CharField(
                        choices=[("staff", "Programme staff"), ("member", "Member")], default="member", max_length=10
                    ),
                ),
                (
                    "programme",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="memberships",
                        to="programme.programme",
                    ),
                ),
                (
                    "user",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="programme_memberships",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "ordering": ["programme", "user"],
                "constraints": [
                    models.UniqueConstraint(fields=("programme", "user"), name="one_membership_per_programme")
                ],
            },
        ),
        migrations.RunPython(slugs_and_staff, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="programme",
            name="slug",
            field=models.SlugField(
                help_text="The programme's own path: /programmes/<slug>/ (letters, digits, -).",
                max_length=60,
                unique=True,
            ),
        ),
    ]
