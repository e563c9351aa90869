"""A held notification keeps its programme, and audit entries from before programmes get theirs (issue 22).

A programme's complete export carries only its own rows: an entry about a
project goes to that project's programme; anything else written before there
were several programmes was the first programme's, the only one there was.
"""

from django.db import migrations, models


def to_their_programmes(apps, schema_editor):  # type: ignore[no-untyped-def]
    first = apps.get_model("programme", "Programme").objects.order_by("pk").values_list("pk", flat=True).first()
    if first is None:
        return
    AuditEntry = apps.get_model("core", "AuditEntry")
    Project = apps.get_model("projects", "Project")
    orphans = AuditEntry.objects.filter(programme_id__isnull=True)
    # QuerySet.update, not save(): the audit log refuses a changed row; this only fills a new column.
    for programme_id, project_ids in _projects_by_programme(Project).items():
        orphans.filter(project_id__in=project_ids).update(programme_id=programme_id)
    orphans.update(programme_id=first)
    apps.get_model("core", "HeldNotification").objects.filter(programme_id__isnull=True).update(programme_id=first)


def _projects_by_programme(Project):  # type: ignore[no-untyped-def]
    found: dict[int, list[int]] = {}
    for pk, programme_id in Project.objects.values_list("pk", "programme_id"):
        found.setdefault(programme_id, []).append(pk)
    return found


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0005_audit_programme"),
        ("programme", "0004_programmes_as_tenants"),
        ("projects", "0004_project_programme"),
    ]

    operations = [
        migrations.AddField(
            model_name="heldnotification",
            name="programme_id",
            field=models.BigIntegerField(blank=True, db_index=True, null=True),
        ),
        migrations.RunPython(to_their_programmes, migrations.RunPython.noop),
    ]
