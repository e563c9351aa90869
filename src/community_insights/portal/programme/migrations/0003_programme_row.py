"""Create the programme's single row, so that reading it never has to write it."""

from django.db import migrations


def create_programme(apps, schema_editor):  # type: ignore[no-untyped-def]
    programme = apps.get_model("programme", "Programme")
    if not programme.objects.exists():
        programme.objects.create()


class Migration(migrations.Migration):
    dependencies = [
        ("programme", "0002_office_hours"),
    ]

    operations = [
        migrations.RunPython(create_programme, migrations.RunPython.noop),
    ]
