"""Changes to the programme's landing page words."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from community_insights.portal.core import audit
from community_insights.portal.core.exceptions import NotPermitted
from community_insights.portal.programme.models import Programme
from community_insights.portal.programme.permissions import can_edit_programme

EDITABLE = ("name", "introduction", "how_to_take_part", "office_hours", "contact_email")


@transaction.atomic
def programme_ensure() -> Programme:
    """The programme's single row, created with the defaults if it is missing.

    Only writes call this (the first edit, set-up and demo data), so reading the
    landing page never writes. Nothing is recorded in the audit log: the row
    only holds defaults until someone edits it, and that edit is recorded.
    """
    programme = Programme.objects.select_for_update().order_by("pk").first()
    return programme or Programme.objects.create()


@transaction.atomic
def programme_update(*, actor: Any, **values: str) -> Programme:
    if not can_edit_programme(actor):
        raise NotPermitted("Only programme staff can change the landing page.")
    programme = programme_ensure()
    changed = [f for f in EDITABLE if f in values and getattr(programme, f) != values[f].strip()]
    if not changed:
        return programme
    for f in changed:
        setattr(programme, f, values[f].strip())
    programme.full_clean()
    programme.save(update_fields=[*changed, "updated_at"])
    audit.record(actor=actor, action="programme.programme_update", target=programme, changes={"fields": changed})
    return programme
