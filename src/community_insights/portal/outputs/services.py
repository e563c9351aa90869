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

from community_insights.portal.core import audit
from community_insights.portal.core.exceptions import ApplicationError, NotPermitted
from community_insights.portal.core.notifications import Message, notify
from community_insights.portal.datasets import storage
from community_insights.portal.datasets.encryption import open_bytes, seal_bytes
from community_insights.portal.datasets.models import RemedyPlanVersion, SafeCopy
from community_insights.portal.outputs import permissions
from community_insights.portal.outputs.build import BuildRefused, Built, build
from community_insights.portal.outputs.dashboard import Part, build_dashboard, part_of
from community_insights.portal.outputs.models import Output, OutputFile, OutputSignOff, OutputVersion

DOWNLOAD_TYPES = {
    "svg": "image/svg+xml",
    "png": "image/png",
    "pdf": "application/pdf",
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "html": "text/html; charset=utf-8",
}


def _require(allowed: Any, message: str) -> None:
    if not allowed:
        raise NotPermitted(message)


def is_approved_copy(copy: SafeCopy) -> bool:
    """A safe copy the information rights expert approved, and not deleted since."""
    return copy.deleted_at is None and copy.plan.status == RemedyPlanVersion.Status.APPROVED


@transaction.atomic
def output_create(*, actor: Any, safe_copy: SafeCopy, kind: str, title: str) -> Output:
    """Start an output from an approved safe copy of the project's data."""
    project = safe_copy.dataset.project
    _require(permissions.can_make_output(actor, project), "Only the project's data analysts can make outputs.")
    if not is_approved_copy(safe_copy):
        raise ApplicationError("An output can only be made from a safe copy that information rights approved.")
    if kind not in (Output.Kind.TABLE, Output.Kind.CHART, Output.Kind.MAP):
        raise ApplicationError("Choose a table, a chart or a map.")
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
    """Build a new version with the engine and store it with its output safety check.

    Earlier versions that were not approved are replaced. A refusal (bad
    settings, or an output that ranks or flags people) is stored as a
    refused version with its one-sentence reason.
    """

    _require(permissions.can_make_output(actor, output.project), "Only the project's data analysts can build outputs.")
    try:
        built = _build_files(output, settings, narrative)
    except BuildRefused as refused:
        return _save_refused(actor, output, settings, narrative, caveats, str(refused))
    with transaction.atomic():
        version = _new_version(actor, output, settings, narrative, caveats, OutputVersion.Status.AWAITING_SIGN_OFF)
        version.alt_text = built.alt_text
        version.safety_check = built.safety_check
        version.explanation = built.explanation
        version.preview_svg = seal_bytes(built.preview_svg.encode("utf-8")) if built.preview_svg else b""
        version.save()
        for fmt, data in built.files.items():
            OutputFile.objects.create(
                version=version,
                format=fmt,
                sealed=seal_bytes(data),
                size_bytes=len(data),
                sha256=hashlib.sha256(data).hexdigest(),
            )
        audit.record(
            actor=actor,
            action="outputs.version_build",
            target=version,
            project_id=output.project_id,
            changes={"version": version.number, "formats": sorted(built.files), "settings": settings},
        )
        transaction.on_commit(lambda: _notify_information_rights(version))
    return version


def _build_files(output: Output, settings: dict[str, Any], narrative: str) -> Built:
    """Run the engine on a private decrypted copy (removed at once), or assemble a dashboard page."""

    if output.kind == Output.Kind.DASHBOARD:
        return build_dashboard(title=output.title, intro=narrative, parts=_dashboard_parts(output, settings))
    copy = output.safe_copy
    if copy is None or not is_approved_copy(copy):
        raise ApplicationError("The safe copy is no longer approved, so no new version can be built from it.")
    with storage.decrypted_copy(copy.stored_name, copy.file_name) as path:
        return build(path, kind=output.kind, title=output.title, settings=settings)


def _dashboard_parts(output: Output, settings: dict[str, Any]) -> list[Part]:
    """The latest approved version of each chosen output of the same project, in the order chosen."""

    parts = []
    for output_id in settings.get("parts", []):
        version = (
            OutputVersion.objects.filter(
                output_id=output_id, output__project=output.project, status=OutputVersion.Status.APPROVED
            )
            .exclude(output__kind=Output.Kind.DASHBOARD)
            .order_by("-number")
            .first()
        )
        if version is None:
            raise BuildRefused("Only outputs of this project that information rights approved can go on a page.")
        csv_file = version.files.filter(format="csv").first()
        csv_text = open_bytes(bytes(csv_file.sealed)).decode("utf-8") if csv_file else ""
        parts.append(part_of(version, preview_svg(version), csv_text))
    if not parts:
        raise BuildRefused("Choose at least one approved output for the page.")
    return parts


@transaction.atomic
def dashboard_create(*, actor: Any, project: Any, title: str) -> Output:
    """Start a dashboard page of the project's approved outputs."""
    _require(permissions.can_make_output(actor, project), "Only the project's data analysts can make outputs.")
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
def _save_refused(
    actor: Any, output: Output, settings: dict[str, Any], narrative: str, caveats: str, reason: str
) -> OutputVersion:
    version = _new_version(actor, output, settings, narrative, caveats, OutputVersion.Status.REFUSED)
    version.refusal = reason
    version.save(update_fields=["refusal", "updated_at"])
    audit.record(
        actor=actor,
        action="outputs.version_refused",
        target=version,
        project_id=output.project_id,
        changes={"version": version.number, "settings": settings},
    )
    return version


def _notify_information_rights(version: OutputVersion) -> None:
    from community_insights.portal.projects.models import ProjectRole

    project = version.output.project
    emails = ProjectRole.objects.filter(project=project, role="information_rights").values_list(
        "user__email", flat=True
    )
    recipients = sorted(e for e in emails if e)
    if recipients:
        notify(
            Message(
                to=recipients,
                subject=f"An output of {project} is waiting for sign-off",
                template="outputs/email/awaiting_sign_off",
                context={"title": version.title, "number": version.number, "project": str(project)},
            )
        )


@transaction.atomic
def version_sign_off(*, actor: Any, version: OutputVersion, approve: bool, comment: str) -> OutputSignOff:
    """The information rights decision on one version: approve it for sharing, or send it back."""

    _require(
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

    _require(permissions.can_download_output(actor, version), "Only the project team can download outputs.")
    if version.status != OutputVersion.Status.APPROVED:
        raise ApplicationError("Only a version that information rights approved can be downloaded.")
    stored = version.files.filter(format=fmt).first()
    if stored is None:
        raise ApplicationError("This output has no file in that format.")
    with transaction.atomic():
        audit.record(
            actor=actor,
            action="outputs.version_download",
            target=version,
            project_id=version.project_id,
            changes={"version": version.number, "format": fmt, "sha256": stored.sha256},
        )
    return open_bytes(bytes(stored.sealed)), DOWNLOAD_TYPES[fmt]


def preview_svg(version: OutputVersion) -> str:
    """The picture for the team's preview and the sign-off page (never served as a file)."""
    return open_bytes(bytes(version.preview_svg)).decode("utf-8") if version.preview_svg else ""


def record_view(*, actor: Any, action: str, target: Any, project_id: int) -> None:
    """Record that someone looked at an outputs page."""
    with transaction.atomic():
        audit.record(actor=actor, action=action, target=target, project_id=project_id)
