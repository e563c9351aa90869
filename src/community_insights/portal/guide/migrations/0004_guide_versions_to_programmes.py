"""Each programme keeps its own guide (issue 22): existing versions belong to the installation's first programme.

Until now the installation had one guide, which every programme read. The first
programme keeps those rows (and its drafts). Every other programme that already
exists gets its own copy of the published history, numbered as before, and its
projects point at their programme's copy of the version they started under, so
"Runs under version 2 of the guide" still names the same words. From here each
programme's guide changes on its own. Going back keeps only the first programme's.
"""

from django.db import migrations

COPIED = ("number", "status", "content", "digest", "section", "change_note", "published_by_id", "published_at")


def to_programmes(apps, schema_editor):  # type: ignore[no-untyped-def]
    Programme = apps.get_model("programme", "Programme")
    GuideVersion = apps.get_model("guide", "GuideVersion")
    Project = apps.get_model("projects", "Project")
    first = Programme.objects.order_by("pk").values_list("pk", flat=True).first()
    if first is None:
        return
    GuideVersion.objects.filter(programme__isnull=True).update(programme_id=first)
    history = list(GuideVersion.objects.filter(programme_id=first, status="published").order_by("number"))
    for programme_id in Programme.objects.exclude(pk=first).order_by("pk").values_list("pk", flat=True):
        copies = {}
        for version in history:
            copy = GuideVersion.objects.create(
                programme_id=programme_id,
                based_on_id=copies[version.based_on_id].pk if version.based_on_id in copies else None,
                **{name: getattr(version, name) for name in COPIED},
            )
            copies[version.pk] = copy
        for old_pk, copy in copies.items():
            Project.objects.filter(programme_id=programme_id, guide_version_id=old_pk).update(guide_version=copy)


def back_to_one_guide(apps, schema_editor):  # type: ignore[no-untyped-def]
    """Going back: the first programme's guide is the installation's again; other programmes' versions go.

    Their projects point at the first programme's version of the same number (or its
    newest, for a number only they published), so nothing points at a removed row.
    """
    Programme = apps.get_model("programme", "Programme")
    GuideVersion = apps.get_model("guide", "GuideVersion")
    Project = apps.get_model("projects", "Project")
    first = Programme.objects.order_by("pk").values_list("pk", flat=True).first()
    kept = {v.number: v for v in GuideVersion.objects.filter(programme_id=first, status="published")}
    newest = kept[max(kept)] if kept else None
    others = GuideVersion.objects.exclude(programme_id=first)
    for version in others.filter(status="published"):
        Project.objects.filter(guide_version=version).update(guide_version=kept.get(version.number, newest))
    others.update(based_on=None)
    others.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("guide", "0003_guide_version_programme"),
        ("projects", "0004_project_programme"),
    ]

    operations = [migrations.RunPython(to_programmes, back_to_one_guide)]
