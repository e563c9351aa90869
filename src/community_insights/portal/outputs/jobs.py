"""Building an output version in the background, through the shared ``core.jobs`` module.

Why in the background: a chart or map of a large safe copy reads every row,
protects the table and renders offline, which can take seconds; the page
shows the build's progress and the team can leave it. What is particular to
outputs lives here: what a finished build stores on its version (sealed
files, the finding in words, the explanation and the output safety check),
what a refusal records (the Article 22 reason, kept on the record), and what
a failure means (the version says it could not be built, in plain words).
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.db import transaction

from community_insights.portal.core import audit, jobs
from community_insights.portal.core.notifications import Message, notify
from community_insights.portal.datasets import storage
from community_insights.portal.datasets.encryption import seal_bytes
from community_insights.portal.outputs.assemble import build_files
from community_insights.portal.outputs.build import BuildRefused, Built
from community_insights.portal.outputs.carry import carry_words
from community_insights.portal.outputs.models import Output, OutputFile, OutputJob, OutputVersion

AREA = "outputs"
WORKER = "background worker"
RELATED = ("version", "version__output", "version__output__project", "version__output__safe_copy")
STEPS = 3  # read and protect; seal the files; record the result


def work(job: OutputJob, progress: jobs.Progress) -> None:
    """Build the version's files and check with the engine, and record the result (or the refusal)."""

    version = job.version
    progress(0, STEPS)
    try:
        built = build_files(version.output, version.build_settings, version.narrative)
    except BuildRefused as refused:
        _refuse(job, version, str(refused))
        return
    built.files = carry_words(
        built.files, title=version.title, alt_text=built.alt_text, caveats=version.caveats,
        rows_only_csv=version.output.kind == Output.Kind.PERSON_LEVEL,
    )  # fmt: skip
    progress(1, STEPS)
    sealed = {fmt: (seal_bytes(data), len(data), hashlib.sha256(data).hexdigest()) for fmt, data in built.files.items()}
    progress(2, STEPS)
    with transaction.atomic():
        if not jobs.finish_if_still_running(job, rows_done=STEPS, rows_total=STEPS):
            return
        _store(version, built, sealed)
        audit.record(
            actor=WORKER,
            action="outputs.version_built",
            target=version,
            project_id=version.project_id,
            changes={"version": version.number, "formats": sorted(built.files)},
        )
        transaction.on_commit(lambda: _notify_information_rights(version))


def _store(version: OutputVersion, built: Built, sealed: dict[str, tuple[bytes, int, str]]) -> None:
    version.status = OutputVersion.Status.AWAITING_SIGN_OFF
    version.alt_text = built.alt_text
    version.safety_check = built.safety_check
    version.explanation = built.explanation
    version.preview_svg = seal_bytes(built.preview_svg.encode("utf-8")) if built.preview_svg else b""
    version.save()
    for fmt, (data, size, digest) in sealed.items():
        if not storage.in_object_storage():
            OutputFile.objects.create(version=version, format=fmt, sealed=data, size_bytes=size, sha256=digest)
            continue
        name = f"outputs/{version.project_id}/{version.pk}/{fmt}.enc"
        storage.delete_stored(name)  # a killed earlier attempt may have left one
        stored = storage.store_sealed(data, name)
        try:
            OutputFile.objects.create(version=version, format=fmt, stored_name=stored, size_bytes=size, sha256=digest)
        except BaseException:
            storage.delete_stored(stored)
            raise


def _refuse(job: OutputJob, version: OutputVersion, reason: str) -> None:
    with transaction.atomic():
        if not jobs.finish_if_still_running(job, rows_done=STEPS, rows_total=STEPS):
            return
        version.status = OutputVersion.Status.REFUSED
        version.refusal = reason
        version.save(update_fields=["status", "refusal", "updated_at"])
        audit.record(
            actor=WORKER,
            action="outputs.version_refused",
            target=version,
            project_id=version.project_id,
            changes={"version": version.number, "settings": version.build_settings},
        )


def fail(job: OutputJob, message: str) -> None:
    """The build could not finish: say so on the job and the version, in plain words."""

    with transaction.atomic():
        jobs.mark_failed(job, message)
        OutputVersion.objects.filter(pk=job.version_id).update(status=OutputVersion.Status.FAILED, refusal=message)
        audit.record(
            actor=WORKER,
            action="outputs.version_fail",
            target=job.version,
            project_id=job.version.project_id,
            changes={"version": job.version.number},
        )


def _notify_information_rights(version: OutputVersion) -> None:
    from community_insights.portal.projects.models import ProjectRole

    project = version.output.project
    emails = ProjectRole.objects.filter(project=project, role="information_rights").values_list(
        "user__email", flat=True
    )
    recipients: list[Any] = sorted(e for e in emails if e)
    if recipients:
        notify(
            Message(
                to=recipients,
                subject=f"An output of {project} is waiting for sign-off",
                template="outputs/email/awaiting_sign_off",
                context={"title": version.title, "number": version.number, "project": str(project)},
            )
        )
