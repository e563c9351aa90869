"""The data safety check's background work (guide, Phase 2, Part 2, Step 1 "Data safety check").

Two kinds of job run outside the request through the shared ``core.jobs``
module: the data safety check of an uploaded file, and applying a signed-off
remedy plan to make the safe copy. This module holds what is particular to
them: what each job does with the file, and what a failure or a restart means
for the dataset and its plan. Raw values never leave the engine: a working
copy is decrypted into a private temporary file for the length of the job and
removed, and a failure is recorded in plain words.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction

from community_insights.portal.core import audit, jobs
from community_insights.portal.datasets import engine, measure, sign_off, storage
from community_insights.portal.datasets.encryption import open_bytes
from community_insights.portal.datasets.key_agreements import key_in_use
from community_insights.portal.datasets.models import CheckResult, Dataset, DatasetJob, RemedyPlanVersion, SafeCopy
from community_insights.safety import DEFAULT_THRESHOLD

AREA = "datasets"
WORKER = "background worker"
RELATED = ("dataset", "dataset__source", "plan")
WRITE_FORMATS = {"csv": "csv", "tsv": "tsv", "xlsx": "xlsx", "ods": "xlsx", "parquet": "parquet", "jsonl": "jsonl"}


def queue_job(
    *,
    actor: Any,
    dataset: Dataset,
    kind: str,
    plan: RemedyPlanVersion | None = None,
    options: dict[str, list[str]] | None = None,
) -> DatasetJob:
    """Record the job and its audit entry, and start it once the transaction commits."""
    options = {key: value for key, value in (options or {}).items() if value}
    job = DatasetJob.objects.create(dataset=dataset, kind=kind, plan=plan, requested_by=actor, options=options)
    audit.record(
        actor=actor,
        action="datasets.check_queue" if kind == DatasetJob.Kind.CHECK else "datasets.plan_apply",
        target=dataset,
        project_id=dataset.project_id,
        changes={"job": job.pk, **({"plan_version": plan.number} if plan else {}), **options},
    )
    jobs.enqueue(AREA, job.pk)
    return job


def work(job: DatasetJob, progress: jobs.Progress) -> None:
    """Do the job: run the check, or make the safe copy."""
    if job.kind == DatasetJob.Kind.CHECK:
        _run_check(job, progress)
    else:
        _run_apply(job, progress)


def fail(job: DatasetJob, message: str) -> None:
    """Record a failed job: the dataset goes back to where it was before, and the trail says so."""
    with transaction.atomic():
        jobs.mark_failed(job, message)
        dataset = job.dataset
        if job.kind == DatasetJob.Kind.CHECK:
            dataset.status = Dataset.Status.CHECK_FAILED
            action = "datasets.check_fail"
        else:
            if job.plan_id is not None:
                RemedyPlanVersion.objects.filter(pk=job.plan_id).update(status=RemedyPlanVersion.Status.DRAFT)
            dataset.status = Dataset.Status.PLANNING
            action = "datasets.safe_copy_fail"
        dataset.save(update_fields=["status", "updated_at"])
        _record(action, dataset, dataset, job=job.pk, attempt=job.attempts)


def requeued(job: DatasetJob) -> None:
    """Record that a job whose worker died goes back in the queue."""
    _record("datasets.job_retry", job.dataset, job.dataset, job=job.pk, attempts_so_far=job.attempts)


def _record(action: str, target: Any, dataset: Dataset, **changes: Any) -> None:
    """One audit entry by the background worker, on the dataset's project."""
    audit.record(actor=WORKER, action=action, target=target, project_id=dataset.project_id, changes=changes)


def _run_check(job: DatasetJob, progress: jobs.Progress) -> None:
    dataset = job.dataset
    threshold = _disclosure_threshold()
    with storage.decrypted_copy(dataset.stored_name, dataset.original_name) as path:
        outcome = engine.run_check(
            path,
            progress=progress,
            threshold=threshold,
            sensitive=job.options.get("sensitive", []),
            measures=job.options.get("measures", []),
        )
    with transaction.atomic():
        if not jobs.finish_if_still_running(job, rows_done=outcome.rows):
            return  # restarted elsewhere meanwhile; that run records the result
        result = CheckResult.objects.create(
            dataset=dataset,
            job=job,
            verdict=outcome.verdict,
            report=outcome.report,
            suggested_plan=outcome.suggested_plan,
        )
        dataset.row_count = outcome.rows
        dataset.status = Dataset.Status.CHECKED
        dataset.save(update_fields=["row_count", "status", "updated_at"])
        _record("datasets.check_finish", dataset, dataset, job=job.pk, verdict=result.verdict, attempt=job.attempts)
        sign_off.notify_check_finished(dataset, result.verdict)


def _disclosure_threshold() -> int:
    """The threshold of the programme the job works in (``core.jobs`` sets it from the job's dataset)."""
    try:
        from community_insights.portal.programme.selectors import programme_get

        return int(programme_get().disclosure_threshold)
    except Exception:  # noqa: BLE001 - the programme's own setting is optional here
        return int(getattr(settings, "INSIGHTS_DISCLOSURE_THRESHOLD", DEFAULT_THRESHOLD))


def _make_safe_copy(dataset: Dataset, plan: RemedyPlanVersion, key: bytes, progress: jobs.Progress) -> dict[str, Any]:
    """Apply the plan to a working copy and store the result encrypted; the fields of its ``SafeCopy``."""
    out_format = WRITE_FORMATS.get(dataset.format, "csv")
    file_name = storage.safe_file_name(f"{Path(dataset.original_name).stem}-safe-copy-v{plan.number}.{out_format}")
    with (
        storage.decrypted_copy(dataset.stored_name, dataset.original_name) as path,
        storage.private_file(file_name) as output,
    ):
        report = engine.apply_plan(path, plan.plan_yaml, key, output, progress=progress)
        report["measured"] = measure.measure_file(output)  # figures from the file itself, not from the run
        digest = hashlib.sha256()
        with output.open("rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
        size = output.stat().st_size
        name = f"safe/{dataset.project_id}/{dataset.pk}-plan-{plan.number}.enc"
        storage.delete_stored(name)  # a killed earlier attempt may have left one
        stored_name, _ = storage.store_encrypted(output, name)
    return {
        "stored_name": stored_name,
        "file_name": file_name,
        "format": out_format,
        "size_bytes": size,
        "sha256": digest.hexdigest(),
        "report": report,
        "key_id": str(report.get("key_id") or ""),
    }


def _run_apply(job: DatasetJob, progress: jobs.Progress) -> None:
    dataset = job.dataset
    plan = job.plan
    assert plan is not None
    if not dataset.has_raw_file:
        raise engine.EngineError("The raw file has been deleted, so a safe copy can no longer be made from it.")
    sealed, _key_id = key_in_use(programme=dataset.project.programme, actor=job.requested_by)
    key = open_bytes(sealed)
    fields = _make_safe_copy(dataset, plan, key, progress)
    try:
        with transaction.atomic():
            if not jobs.finish_if_still_running(job):
                storage.delete_stored(fields["stored_name"])
                return
            SafeCopy.objects.filter(plan=plan).delete()
            copy = SafeCopy.objects.create(dataset=dataset, plan=plan, **fields)
            plan.status = RemedyPlanVersion.Status.AWAITING_SIGN_OFF
            plan.save(update_fields=["status", "updated_at"])
            dataset.status = Dataset.Status.AWAITING_SIGN_OFF
            dataset.save(update_fields=["status", "updated_at"])
            _record(
                "datasets.safe_copy_create",
                copy,
                dataset,
                plan_version=plan.number,
                sha256=copy.sha256,
                key_id=copy.key_id,
            )
            sign_off.notify_sign_off_needed(dataset, plan)
    except BaseException:
        storage.delete_stored(fields["stored_name"])
        raise
