"""Reads of the export area."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from community_insights.portal.export.models import ProgrammeExport
from community_insights.portal.export.permissions import can_export_programme
from community_insights.portal.programme.current import current_programme_id


def export_list(*, user: Any) -> QuerySet[ProgrammeExport]:
    """The current programme's exports, newest first (its staff only; others see none)."""
    if not can_export_programme(user):
        return ProgrammeExport.objects.none()
    return (
        ProgrammeExport.objects.filter(programme_id=current_programme_id())
        .select_related("requested_by")
        .order_by("-created_at")
    )


def export_get(*, user: Any, pk: int) -> ProgrammeExport:
    """One export, or 404 for anyone who may not see it."""
    found = export_list(user=user).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found
