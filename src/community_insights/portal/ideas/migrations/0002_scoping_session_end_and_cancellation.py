"""Scoping sessions get a real end (their calendar entry lasted a fixed 90 minutes), a cancellation
date and the calendar SEQUENCE that cancellations raise. Sessions planned before this had no end:
they keep the 90 minutes their invitations already said."""

from datetime import timedelta
from typing import Any

from django.db import migrations, models


def _end_existing_sessions(apps: Any, schema_editor: Any) -> None:
    session_model = apps.get_model("ideas", "ScopingSession")
    for session in session_model.objects.filter(ends_at__isnull=True):
        session.ends_at = session.starts_at + timedelta(minutes=90)
        session.save(update_fields=["ends_at"])


class Migration(migrations.Migration):
    dependencies = [("ideas", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="scopingsession",
            name="ends_at",
            field=models.DateTimeField(null=True),
        ),
        migrations.RunPython(_end_existing_sessions, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="scopingsession",
            name="ends_at",
            field=models.DateTimeField(help_text="When the session ends; the calendar entry lasts until then."),
        ),
        migrations.AddField(
            model_name="scopingsession",
            name="cancelled_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="scopingsession",
            name="calendar_sequence",
            field=models.PositiveIntegerField(default=0),
        ),
    ]
