"""The sharing agreement's reference and status move out of the data source: governance holds agreements.

Why a data migration: the old fields were typed by hand and may hold the only record of an agreement
signed outside the portal. Before they go, whatever they said is written at the end of the source's
description as a dated note, so nothing is lost and the team can draft the agreement in the portal.
"""

from __future__ import annotations

from typing import Any

from django.db import migrations

# The labels the old status field showed, so the note reads as the page did.
STATUS_LABELS = {
    "not_needed": "Not needed",
    "needed": "Needed",
    "in_progress": "Being drafted",
    "signed": "Signed",
    "expired": "Expired",
}
NOTE = "Recorded before sharing agreements were kept in the portal: agreement"


def note_for(reference: str, status: str) -> str:
    """The sentence kept for one source, or "" when the old fields said nothing beyond the default."""
    reference = (reference or "").strip()
    if not reference and status in ("", "needed"):
        return ""
    parts = [f"reference {reference}" if reference else "", f"status {STATUS_LABELS.get(status, status)}"]
    return f"{NOTE} {', '.join(p for p in parts if p)}."


def keep_as_note(apps: Any, schema_editor: Any) -> None:
    data_source = apps.get_model("datasets", "DataSource")
    for source in data_source.objects.all():
        note = note_for(source.agreement_reference, source.agreement_status)
        if note and note not in source.description:
            source.description = f"{source.description.rstrip()}\n\n{note}".strip()
            source.save(update_fields=["description"])


def back_from_note(apps: Any, schema_editor: Any) -> None:
    """Going back restores the reference and status from the note, and takes the note out again."""
    data_source = apps.get_model("datasets", "DataSource")
    labels = {label: value for value, label in STATUS_LABELS.items()}
    for source in data_source.objects.filter(description__contains=NOTE):
        body, _, note = source.description.rpartition(NOTE)
        fields = dict(part.strip().split(" ", 1) for part in note.strip().rstrip(".").split(",") if " " in part.strip())
        source.agreement_reference = fields.get("reference", "")[:100]
        source.agreement_status = labels.get(fields.get("status", ""), "needed")
        source.description = body.rstrip()
        source.save(update_fields=["agreement_reference", "agreement_status", "description"])


class Migration(migrations.Migration):
    dependencies = [("datasets", "0001_initial")]

    operations = [
        migrations.RunPython(keep_as_note, back_from_note),
        migrations.RemoveField(model_name="datasource", name="agreement_reference"),
        migrations.RemoveField(model_name="datasource", name="agreement_status"),
    ]
