"""Writes of the outputs area: each checks permission, validates, saves, audits and notifies.

An output is made only from an approved safe copy. Building a version runs
the engine on a private decrypted copy that is removed at once; the version
keeps only protected files (sealed), the finding in words, the analyst-only
explanation and the output safety check. A version that ranks or flags
people is refused with the Article 22 reason and kept, so the refusal is on
the record.
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.db import transaction
from django.db.models import Max

from community_insights.portal.core import audit, jobs
from community_insights.portal.core.exceptions import ApplicationError, NotPermitted, require
from community_insights.portal.core.notifications import Message, notify
from community_insights.portal.datasets import storage
from community_insights.portal.datasets.encryption import open_bytes, seal_bytes
from community_insights.portal.datasets.models import SafeCopy
from community_insights.portal.outputs import jobs as output_jobs
from community_insights.portal.outputs import permissions
from community_insights.portal.outputs.assemble import is_approved_copy
from community_insights.portal.outputs.models import BoundaryFile, Output, OutputJob, OutputSignOff, OutputVersion
from community_insights.portal.outputs.recipients import missing_agreements, refusal
from community_insights.safety import SafetyError, load_boundaries

#: Largest boundary file a project may upload: ONS ward or LSOA boundaries clipped to one
#: area are well under this; a bigger file is probably the whole country, or the wrong file.
MAX_BOUNDARY_BYTES = 10 * 1024 * 1024

DOWNLOAD_TYPES = {
    "svg": "image/svg+xml",
    "png": "image/png",
    "pdf": "application/pdf",
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "html": "text/html; charset=utf-8",
}


@transaction.atomic
def output_create(*, actor: Any, safe_copy: SafeCopy, kind: str, title: str) -> Output:
    """Start an output from an approved safe copy of the project's data."""
    project = safe_copy.dataset.project
    require(permissions.can_make_output(actor, project), "Only the project's data analysts can make outputs.")
    if not is_approved_copy(safe_copy):
        raise ApplicationError("An output can only be made from a safe copy that information rights approved.")
    if kind not in (Output.Kind.TABLE, Output.Kind.CHART, Output.Kind.MAP, Output.Kind.PERSON_LEVEL):
        raise ApplicationError("Choose a table, a chart, a map or a list of people.")
    if not title.strip():
        raise ApplicationError("Give the output a title that says what it shows.")
    output = Output.objects.create(
        project=project, safe_copy=safe_copy, kind=kind, title=title.strip(), created_by=actor
    )
    audit.record(
        actor=actor,
        action="outputs.output_create",
        target=output,
        project_id=project.pk,
        changes={"kind": kind, "safe_copy": safe_copy.pk},
    )
    return output


def version_build(
    *, actor: Any, output: Output, settings: dict[str, Any], narrative: str = "", caveats: str = ""
) -> OutputVersion:
    """Record a new version and build it in the background (``core.jobs``), with its output safety check.

    Earlier versions that were not approved are replaced. The build stores
    the files and the check on the version; a refusal (bad settings, or an
    output that ranks or flags people) is stored as a refused version with
    its one-sentence reason. The returned version is refreshed, so with the
    immediate task backend (tests) it is already built.
    """

    require(permissions.can_make_output(actor, output.project), "Only the project's data analysts can build outputs.")
    with transaction.atomic():
        version = _new_version(actor, output, settings, narrative, caveats, OutputVersion.Status.BUILDING)
        job = OutputJob.objects.create(version=version, requested_by=actor)
        audit.record(
            actor=actor,
            action="outputs.version_build",
            target=version,
            project_id=output.project_id,
            changes={"version": version.number, "settings": settings},
        )
        jobs.enqueue(output_jobs.AREA, job.pk)
    version.refresh_from_db()
    return version


def job_run(*, job_id: int) -> None:
    """Build one queued version to the end (the background task calls it); safe to call twice."""
    jobs.run(
        OutputJob,
        job_id,
        work=output_jobs.work,
        fail=output_jobs.fail,
        plain_errors=(ApplicationError,),
        related=output_jobs.RELATED,
    )


def retry_stale_jobs(*, job: OutputJob | None = None) -> list[OutputJob]:
    """Put builds whose worker stopped beating back in the queue (or fail them in plain words)."""
    return jobs.retry_stale(
        OutputJob,
        area=output_jobs.AREA,
        only=job,
        related=output_jobs.RELATED,
        gave_up=lambda stale: output_jobs.fail(stale, stale.error_message),
        requeued=lambda stale: None,
    )


def boundary_upload(*, actor: Any, project: Any, name: str, uploaded_file: Any) -> BoundaryFile:
    """Keep a project's own boundary file for its maps, once the engine has checked it.

    The engine's checks (GeoJSON, polygons, British National Grid or WGS84,
    a property naming each area once) run here so a bad file is refused with
    its one sentence when it is uploaded, not later when a map is built.
    Whether its areas match a safe copy's is checked when a map is built.
    """

    require(permissions.can_make_output(actor, project), "Only the project's data analysts can add boundary files.")
    if not name.strip():
        raise ApplicationError("Give the boundaries a name, such as 'Wards, 2024'.", field="name")
    size = getattr(uploaded_file, "size", 0) or 0
    if size > MAX_BOUNDARY_BYTES:
        raise ApplicationError(
            f"The boundary file must be smaller than {MAX_BOUNDARY_BYTES // (1024 * 1024)} MB; "
            "clip it to the areas the project covers first.",
            field="file",
        )
    data = b"".join(uploaded_file.chunks())
    file_name = storage.safe_file_name(getattr(uploaded_file, "name", "") or "boundaries.geojson", "boundaries")
    with storage.private_file("boundaries.geojson") as path:
        path.write_bytes(data)
        try:
            checked = load_boundaries(path)
        except SafetyError as error:
            raise ApplicationError(str(error), field="file") from None
    with transaction.atomic():
        boundary = BoundaryFile.objects.create(
            project=project,
            name=name.strip(),
            file_name=file_name,
            sealed=seal_bytes(data),
            size_bytes=len(data),
            sha256=hashlib.sha256(data).hexdigest(),
            crs=checked.crs,
            area_count=len(checked.features),
            uploaded_by=actor,
        )
        audit.record(
            actor=actor,
            action="outputs.boundary_upload",
            target=boundary,
            project_id=project.pk,
            changes={"name": boundary.name, "crs": checked.crs, "areas": boundary.area_count, "sha": boundary.sha256},
        )
    return boundary


@transaction.atomic
def dashboard_create(*, actor: Any, project: Any, title: str) -> Output:
    """Start a dashboard page of the project's approved outputs."""
    require(permissions.can_make_output(actor, project), "Only the project's data analysts can make outputs.")
    if not title.strip():
        raise ApplicationError("Give the page a title that says what it shows.")
    output = Output.objects.create(project=project, kind=Output.Kind.DASHBOARD, title=title.strip(), created_by=actor)
    audit.record(
        actor=actor, action="outputs.output_create", target=output, project_id=project.pk, changes={"kind": "dashboard"}
    )
    return output


def _new_version(
    actor: Any, output: Output, settings: dict[str, Any], narrative: str, caveats: str, status: str
) -> OutputVersion:
    open_versions = output.versions.filter(
        status__in=[OutputVersion.Status.AWAITING_SIGN_OFF, OutputVersion.Status.REJECTED]
    )
    open_versions.update(status=OutputVersion.Status.SUPERSEDED)
    number = (output.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    return OutputVersion.objects.create(
        output=output,
        number=number,
        title=output.title,
        build_settings=settings,
        narrative=narrative.strip(),
        caveats=caveats.strip(),
        status=status,
        built_by=actor,
    )


@transaction.atomic
def version_sign_off(*, actor: Any, version: OutputVersion, approve: bool, comment: str) -> OutputSignOff:
    """The information rights decision on one version: approve it for sharing, or send it back."""

    require(
        permissions.can_sign_off_output(actor, version),
        "Only the project's information rights expert can sign this off.",
    )
    if permissions.is_builder(actor, version):
        raise NotPermitted("You built this version, so someone else must sign it off.")
    if version.status != OutputVersion.Status.AWAITING_SIGN_OFF:
        raise ApplicationError("This version is not waiting for sign-off.")
    if not comment.strip():
        raise ApplicationError(
            "Add a comment: what you checked, and any conditions." if approve else "Say what needs to change."
        )
    decision = OutputSignOff.Decision.APPROVED if approve else OutputSignOff.Decision.REJECTED
    sign_off = OutputSignOff.objects.create(
        version=version, decision=decision, comment=comment.strip(), decided_by=actor
    )
    version.status = OutputVersion.Status.APPROVED if approve else OutputVersion.Status.REJECTED
    version.save(update_fields=["status", "updated_at"])
    audit.record(
        actor=actor,
        action="outputs.version_approve" if approve else "outputs.version_reject",
        target=version,
        project_id=version.project_id,
        changes={"version": version.number},
    )
    builder = getattr(version.built_by, "email", "")
    if builder:
        transaction.on_commit(
            lambda: notify(
                Message(
                    to=[builder],
                    subject=f"{version.title} was {'approved for sharing' if approve else 'sent back for changes'}",
                    template="outputs/email/signed_off",
                    context={"title": version.title, "number": version.number, "approved": approve},
                )
            )
        )
    return sign_off


def version_download(*, actor: Any, version: OutputVersion, fmt: str) -> tuple[bytes, str]:
    """The approved file in one format, and its content type; every download is on the audit trail."""

    require(permissions.can_download_output(actor, version), "Only the project team can download outputs.")
    data, content_type, sha256 = approved_file(version=version, fmt=fmt)
    with transaction.atomic():
        audit.record(
            actor=actor,
            action="outputs.version_download",
            target=version,
            project_id=version.project_id,
            changes={"version": version.number, "format": fmt, "sha256": sha256},
        )
    return data, content_type


def approved_file(*, version: OutputVersion, fmt: str) -> tuple[bytes, str, str]:
    """The approved file in one format: its bytes, content type and SHA-256; refused unless approved.

    The one place an output's sealed file is opened for anyone outside the build: the team's
    download above and the public download of a published insight (``sharing``) both come here,
    each with its own permission and audit entry, so neither can serve a version that is not approved.
    """
    if version.status != OutputVersion.Status.APPROVED:
        raise ApplicationError("Only a version that information rights approved can be downloaded.")
    stored = version.files.filter(format=fmt).first()
    if stored is None or fmt not in DOWNLOAD_TYPES:
        raise ApplicationError("This output has no file in that format.")
    if version.output.kind == Output.Kind.PERSON_LEVEL:
        # An agreement can lapse or change after sign-off: a list of people goes out only while all still hold.
        copy = version.output.safe_copy
        recipients = version.build_settings.get("recipients", [])
        if copy is not None and (missing := missing_agreements(copy.dataset.source, recipients)):
            raise ApplicationError(refusal(missing))
    return open_bytes(stored.sealed_bytes()), DOWNLOAD_TYPES[fmt], stored.sha256


def record_view(*, actor: Any, action: str, target: Any, project_id: int) -> None:
    """Record that someone looked at an outputs page."""
    with transaction.atomic():
        audit.record(actor=actor, action=action, target=target, project_id=project_id)
