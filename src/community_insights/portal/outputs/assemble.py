"""Assembling what a build needs: the approved safe copy decrypted for the engine, or a dashboard's parts.

Why a module of its own: both the request (starting an output from an
approved safe copy) and the background build need these reads, and neither
should import the other.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from community_insights.portal.core.exceptions import ApplicationError
from community_insights.portal.datasets import storage
from community_insights.portal.datasets.encryption import open_bytes
from community_insights.portal.datasets.models import RemedyPlanVersion, SafeCopy
from community_insights.portal.outputs.build import BuildRefused, Built, build
from community_insights.portal.outputs.dashboard import Part, build_dashboard, part_of
from community_insights.portal.outputs.models import BoundaryFile, Output, OutputVersion
from community_insights.portal.outputs.recipients import missing_agreements, recipient_names, refusal


def is_approved_copy(copy: SafeCopy) -> bool:
    """A safe copy the information rights expert approved, and not deleted since."""
    return copy.deleted_at is None and copy.plan.status == RemedyPlanVersion.Status.APPROVED


def build_files(output: Output, settings: dict[str, Any], narrative: str) -> Built:
    """Run the engine on a private decrypted copy (removed at once), or assemble a dashboard page."""

    if output.kind == Output.Kind.DASHBOARD:
        return build_dashboard(title=output.title, intro=narrative, parts=_dashboard_parts(output, settings))
    copy = output.safe_copy
    if copy is None or not is_approved_copy(copy):
        raise ApplicationError("The safe copy is no longer approved, so no new version can be built from it.")
    if output.kind == Output.Kind.PERSON_LEVEL:
        check_recipients(copy, settings)
        settings = {**settings, "recipient_names": recipient_names(settings["recipients"])}
    with storage.decrypted_copy(copy.stored_name, copy.file_name) as path, _boundaries(output, settings) as shapes:
        return build(path, kind=output.kind, title=output.title, settings=settings, boundaries=shapes)


def check_recipients(copy: SafeCopy, settings: dict[str, Any]) -> None:
    """Refuse a list of people unless every recipient has a signed, unexpired agreement covering the data."""
    if not settings.get("recipients"):
        raise BuildRefused("Choose the organisations the list of people will go to.")
    missing = missing_agreements(copy.dataset.source, settings["recipients"])
    if missing:
        raise BuildRefused(refusal(missing))


@contextlib.contextmanager
def _boundaries(output: Output, settings: dict[str, Any]) -> Iterator[Path | None]:
    """The project's own boundary file, decrypted to a private path for the build; ``None`` for the sample."""

    chosen = settings.get("boundaries")
    if output.kind != Output.Kind.MAP or chosen in (None, "", "sample"):
        yield None
        return
    boundary = BoundaryFile.objects.filter(pk=int(chosen), project_id=output.project_id).first()
    if boundary is None:
        raise BuildRefused("The boundary file chosen for this map has been removed; choose another.")
    with storage.private_file("boundaries.geojson") as path:
        path.write_bytes(open_bytes(bytes(boundary.sealed)))
        yield path


def _dashboard_parts(output: Output, settings: dict[str, Any]) -> list[Part]:
    """The latest approved version of each chosen output of the same project, in the order chosen."""

    parts = []
    for output_id in settings.get("parts", []):
        version = (
            OutputVersion.objects.filter(
                output_id=output_id, output__project=output.project, status=OutputVersion.Status.APPROVED
            )
            .exclude(output__kind__in=(Output.Kind.DASHBOARD, Output.Kind.PERSON_LEVEL))
            .order_by("-number")
            .first()
        )
        if version is None:
            raise BuildRefused("Only outputs of this project that information rights approved can go on a page.")
        csv_file = version.files.filter(format="csv").first()
        csv_text = open_bytes(csv_file.sealed_bytes()).decode("utf-8") if csv_file else ""
        parts.append(part_of(version, preview_svg(version), csv_text))
    if not parts:
        raise BuildRefused("Choose at least one approved output for the page.")
    return parts


def preview_svg(version: OutputVersion) -> str:
    """The picture for the team's preview and the sign-off page (never served as a file)."""
    return open_bytes(bytes(version.preview_svg)).decode("utf-8") if version.preview_svg else ""
