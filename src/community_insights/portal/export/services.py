"""Writes of the export area: asking for the programme's complete export, downloading it, deleting its file.

Both are on the audit trail: who asked (and whether raw data was asked for),
and who took the ZIP away. The export is built by ``export.jobs``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.db import transaction

from community_insights.portal.core import audit, jobs
from community_insights.portal.core.exceptions import ApplicationError, require
from community_insights.portal.datasets import storage
from community_insights.portal.export import jobs as export_jobs
from community_insights.portal.export import permissions
from community_insights.portal.export.models import ProgrammeExport
from community_insights.portal.programme.selectors import programme_get

ONLY_STAFF = "Only programme staff can export the programme's record."


@transaction.atomic
def export_request(*, actor: Any, include_raw: bool = False, programme: Any = None) -> ProgrammeExport:
    """Queue a complete export of the programme; raw datasets only if asked (and then only those permitted)."""
    require(permissions.can_export_programme(actor), ONLY_STAFF)
    programme = programme or programme_get()
    if programme.pk is None:
        raise ApplicationError("Set up the programme before exporting it.")
    if ProgrammeExport.objects.filter(
        programme=programme, status__in=(jobs.QUEUED, jobs.RUNNING), requested_by=actor
    ).exists():
        raise ApplicationError("Your last export is still being made. Wait for it to finish.")
    export = ProgrammeExport.objects.create(programme=programme, include_raw=include_raw, requested_by=actor)
    audit.record(actor=actor, action="export.export_request", target=export, changes={"include_raw": include_raw})
    jobs.enqueue(export_jobs.AREA, export.pk)
    return export


def export_download(*, actor: Any, export: ProgrammeExport) -> Iterator[bytes]:
    """Record and stream the finished ZIP (programme staff only)."""
    require(permissions.can_export_programme(actor), ONLY_STAFF)
    if export.status != jobs.SUCCEEDED or not export.stored_name:
        raise ApplicationError("This export is not ready to download.")
    require(
        permissions.may_download_export(actor, export),
        "This export holds raw datasets you are not allowed to download. Make your own export instead.",
    )
    with transaction.atomic():
        audit.record(
            actor=actor,
            action="export.export_download",
            target=export,
            changes={"sha256": export.sha256, "raw_datasets": export.raw_datasets},
        )
    return storage.iter_decrypted(export.stored_name)


@transaction.atomic
def export_delete(*, actor: Any, export: ProgrammeExport) -> None:
    """Delete a finished export's ZIP; its record and audit trail stay. A copy is kept no longer than needed."""
    require(permissions.can_export_programme(actor), ONLY_STAFF)
    if not export.is_finished:
        raise ApplicationError("Wait for the export to finish before deleting it.")
    name = export.stored_name
    ProgrammeExport.objects.filter(pk=export.pk).update(stored_name="")
    audit.record(actor=actor, action="export.export_delete", target=export, changes={"sha256": export.sha256})
    if name:
        transaction.on_commit(lambda: storage.delete_stored(name))


def retry_stale_exports(*, export: ProgrammeExport | None = None) -> list[Any]:
    """Restart an export whose worker stopped (noticed when someone looks at it, or by the scheduler)."""
    return export_jobs.retry_stale(export)
