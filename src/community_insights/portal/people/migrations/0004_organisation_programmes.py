"""Organisations are seen in the programmes they work with (issue 22), not across the installation.

Each existing organisation is linked to every programme one of its people
belongs to, that invited someone from it, or that has a project it leads; one
with none of these (added before anyone from it joined) goes to the
installation's first programme, which every record had before programmes.
"""

from django.db import migrations, models


def link_to_programmes(apps, schema_editor):  # type: ignore[no-untyped-def]
    Organisation = apps.get_model("people", "Organisation")
    Programme = apps.get_model("programme", "Programme")
    Membership = apps.get_model("programme", "ProgrammeMembership")
    Invitation = apps.get_model("people", "Invitation")
    Project = apps.get_model("projects", "Project")
    ProjectRole = apps.get_model("projects", "ProjectRole")
    links: set[tuple[int, int]] = set()
    links.update(
        Membership.objects.filter(user__organisation__isnull=False).values_list("user__organisation_id", "programme_id")
    )
    links.update(
        ProjectRole.objects.filter(user__organisation__isnull=False).values_list(
            "user__organisation_id", "project__programme_id"
        )
    )
    links.update(Invitation.objects.values_list("organisation_id", "programme_id"))
    links.update(
        Project.objects.filter(lead_organisation__isnull=False).values_list("lead_organisation_id", "programme_id")
    )
    first = Programme.objects.order_by("pk").values_list("pk", flat=True).first()
    linked = {organisation_id for organisation_id, _ in links}
    if first is not None:
        links.update((pk, first) for pk in Organisation.objects.exclude(pk__in=linked).values_list("pk", flat=True))
    Through = Organisation.programmes.through
    Through.objects.bulk_create(
        [Through(organisation_id=o, programme_id=p) for o, p in sorted(links)], ignore_conflicts=True
    )


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0003_invitation_programme"),
        ("programme", "0004_programmes_as_tenants"),
        ("projects", "0004_project_programme"),
    ]

    operations = [
        migrations.AddField(
            model_name="organisation",
            name="programmes",
            field=models.ManyToManyField(
                blank=True,
                help_text="The programmes it works with: their staff added it, or invited someone from it.",
                related_name="organisations",
                to="programme.programme",
            ),
        ),
        migrations.RunPython(link_to_programmes, migrations.RunPython.noop),
    ]
