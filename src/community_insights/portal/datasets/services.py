"""Writes of the datasets area: each checks permission, validates, saves, audits and notifies.

Raw values never pass through here: a file goes from the upload straight into
a private temporary file, is checked by the engine, encrypted into the dataset
storage and removed. Error messages are the engine's plain sentences, which
name files and columns but never quote a cell.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import logging
import os
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import close_old_connections, connection, transaction
from django.db.models import F
from django.utils import timezone

from community_insights.portal.core import audit
from community_insights.portal.core.exceptions import ApplicationError, NotPermitted
from community_insights.portal.core.notifications import Message, notify
from community_insights.portal.datasets import engine, permissions, storage
from community_insights.portal.datasets.encryption import open_bytes, seal_bytes
from community_insights.portal.datasets.models import (
    CheckResult,
    ColumnReview,
    Dataset,
    DatasetJob,
    DataSource,
    PseudonymisationKey,
    RemedyPlanVersion,
    SafeCopy,
    SignOff,
)
from community_insights.safety import DEFAULT_THRESHOLD

logger = logging.getLogger(__name__)

DEFAULT_MAX_COLUMNS = 1000
WRITE_FORMATS = {"csv": "csv", "tsv": "tsv", "xlsx": "xlsx", "ods": "xlsx", "parquet": "parquet", "jsonl": "jsonl"}
GENERIC_FAILURE = (
    "Something went wrong while working on the file. Nothing from it was shown or kept; "
    "try again, and tell the programme's administrator if it happens again."
)


def max_upload_bytes() -> int:
    return int(getattr(settings, "INSIGHTS_UPLOAD_MAX_BYTES", 200 * 1024 * 1024))


def max_columns() -> int:
    return int(getattr(settings, "INSIGHTS_UPLOAD_MAX_COLUMNS", DEFAULT_MAX_COLUMNS))


def stale_after() -> dt.timedelta:
    return dt.timedelta(seconds=int(getattr(settings, "INSIGHTS_JOB_STALE_SECONDS", 120)))


def human_size(n: int) -> str:
    for unit in ("bytes", "KB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return f"{n} {unit}" if unit == "bytes" else f"{n:.0f} {unit}"
        n = n / 1024  # type: ignore[assignment]
    return f"{n} GB"  # pragma: no cover


def _require(allowed: Any, message: str) -> None:
    if not allowed:
        raise NotPermitted(message)


# -- inventory --------------------------------------------------------------------------------


SOURCE_FIELDS = (
    "name",
    "category",
    "description",
    "owner_organisation",
    "legal_basis",
    "agreement_reference",
    "agreement_status",
    "retention_until",
)


@transaction.atomic
def data_source_create(*, actor: Any, project: Any, **fields: Any) -> DataSource:
    """Add a source of data to a project's inventory (Phase 1, Part 2: data scoping)."""
    _require(permissions.can_edit_inventory(actor, project), "You cannot change this project's data inventory.")
    source = DataSource(project=project, created_by=actor, **{k: v for k, v in fields.items() if k in SOURCE_FIELDS})
    source.full_clean()
    source.save()
    audit.record(
        actor=actor,
        action="datasets.source_create",
        target=source,
        project_id=project.pk,
        changes={"category": source.category, "agreement_status": source.agreement_status},
    )
    return source


@transaction.atomic
def data_source_update(*, actor: Any, source: DataSource, **fields: Any) -> DataSource:
    """Change a data source; its datasets' retention dates follow the source's."""
    _require(permissions.can_edit_inventory(actor, source), "You cannot change this project's data inventory.")
    changed = []
    for name in SOURCE_FIELDS:
        if name in fields and getattr(source, name) != fields[name]:
            setattr(source, name, fields[name])
            changed.append(name)
    source.full_clean()
    if changed:
        source.save(update_fields=[*changed, "updated_at"])
        if "retention_until" in changed:
            source.datasets.filter(raw_deleted_at__isnull=True).update(retention_until=source.retention_until)
    audit.record(
        actor=actor,
        action="datasets.source_update",
        target=source,
        project_id=source.project_id,
        changes={"fields": changed},
    )
    return source


# -- upload ------------------------------------------------------------------------------------


def _refuse(*, actor: Any, source: DataSource, reason: str, message: str) -> ApplicationError:
    """Record a refused upload (reason is a category, never file content) and build the error."""
    with transaction.atomic():
        audit.record(
            actor=actor,
            action="datasets.dataset_upload_refused",
            target=source,
            project_id=source.project_id,
            changes={"reason": reason},
        )
    return ApplicationError(message)


def dataset_upload(*, actor: Any, source: DataSource, title: str, uploaded_file: Any) -> Dataset:
    """Check an uploaded file is a readable table, encrypt it into storage, and queue the data safety check.

    Any refusal leaves nothing behind: no dataset record, no stored file, no temporary file.
    """
    _require(
        permissions.can_upload_dataset(actor, source),
        f"Only members of {source.owner_organisation} on this project can upload its data.",
    )
    limit = max_upload_bytes()
    original = storage.safe_file_name(getattr(uploaded_file, "name", "") or "dataset")
    suffix = Path(original).suffix.lower()
    size = int(getattr(uploaded_file, "size", 0) or 0)
    if suffix not in engine.UPLOAD_SUFFIXES:
        raise _refuse(
            actor=actor,
            source=source,
            reason="wrong_type",
            message=("The file must be a CSV, TSV, Excel (.xlsx), OpenDocument (.ods), Parquet or JSON Lines file."),
        )
    if size > limit:
        raise _refuse(
            actor=actor,
            source=source,
            reason="too_large",
            message=f"The file must be smaller than {human_size(limit)}.",
        )
    if size == 0:
        raise _refuse(actor=actor, source=source, reason="empty", message=f"The file {original} is empty.")
    with storage.private_file(original) as plain:
        digest = hashlib.sha256()
        written = 0
        fd = os.open(plain, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as out:
            for chunk in uploaded_file.chunks():
                written += len(chunk)
                if written > limit:
                    break
                digest.update(chunk)
                out.write(chunk)
        if written > limit:
            raise _refuse(
                actor=actor,
                source=source,
                reason="too_large",
                message=f"The file must be smaller than {human_size(limit)}.",
            )
        try:
            info = engine.inspect_upload(plain, max_bytes=limit)
        except engine.EngineError as exc:
            raise _refuse(actor=actor, source=source, reason="unreadable", message=exc.message) from None
        if info.columns > max_columns():
            raise _refuse(
                actor=actor,
                source=source,
                reason="too_many_columns",
                message=(
                    f"The file {original} has {info.columns} columns; the most the portal accepts is "
                    f"{max_columns()}. Split it, or leave out the columns the project does not need."
                ),
            )
        stored_name, _ = storage.store_encrypted(plain, f"raw/{source.project_id}/{digest.hexdigest()[:12]}.enc")
    try:
        with transaction.atomic():
            dataset = Dataset.objects.create(
                source=source,
                project_id=source.project_id,
                title=title.strip() or Path(original).stem,
                original_name=original,
                format=info.format,
                size_bytes=written,
                sha256=digest.hexdigest(),
                column_count=info.columns,
                stored_name=stored_name,
                uploaded_by=actor,
                retention_until=source.retention_until,
            )
            audit.record(
                actor=actor,
                action="datasets.dataset_upload",
                target=dataset,
                project_id=dataset.project_id,
                changes={"format": info.format, "size_bytes": written, "columns": info.columns},
            )
            _queue_job(actor=actor, dataset=dataset, kind=DatasetJob.Kind.CHECK)
    except BaseException:
        storage.delete_stored(stored_name)
        raise
    return dataset


# -- background jobs ---------------------------------------------------------------------------


def _queue_job(*, actor: Any, dataset: Dataset, kind: str, plan: RemedyPlanVersion | None = None) -> DatasetJob:
    job = DatasetJob.objects.create(dataset=dataset, kind=kind, plan=plan, requested_by=actor)
    audit.record(
        actor=actor,
        action="datasets.check_queue" if kind == DatasetJob.Kind.CHECK else "datasets.plan_apply",
        target=dataset,
        project_id=dataset.project_id,
        changes={"job": job.pk, **({"plan_version": plan.number} if plan else {})},
    )
    transaction.on_commit(lambda: _enqueue(job.pk))
    return job


def _enqueue(job_id: int) -> None:
    from community_insights.portal.datasets.tasks import run_dataset_job

    run_dataset_job.enqueue(job_id)


def _claim(job_id: int) -> DatasetJob | None:
    """Mark a queued job running (one worker wins); None if it is not waiting any more."""
    now = timezone.now()
    with transaction.atomic():
        claimed = DatasetJob.objects.filter(pk=job_id, status=DatasetJob.Status.QUEUED).update(
            status=DatasetJob.Status.RUNNING,
            attempts=F("attempts") + 1,
            heartbeat_at=now,
            started_at=now,
            rows_done=0,
            error_message="",
        )
    if not claimed:
        return None
    return DatasetJob.objects.select_related("dataset", "dataset__source", "plan").get(pk=job_id)


class _Heartbeat:
    """Keeps a running job's heartbeat fresh, and records progress at most twice a second.

    In a worker process a small thread beats every few seconds, so a long
    engine step is never mistaken for a dead worker; inside a request (the
    immediate backend in tests) only progress calls beat.
    """

    def __init__(self, job_id: int) -> None:
        self.job_id = job_id
        self._last = 0.0
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.interval = float(getattr(settings, "INSIGHTS_JOB_HEARTBEAT_SECONDS", 10))

    def __enter__(self) -> _Heartbeat:
        if not connection.in_atomic_block and self.interval > 0:
            self._thread = threading.Thread(target=self._beat_loop, daemon=True, name=f"job-{self.job_id}-heartbeat")
            self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def _beat_loop(self) -> None:
        try:
            while not self._stop.wait(self.interval):
                DatasetJob.objects.filter(pk=self.job_id, status=DatasetJob.Status.RUNNING).update(
                    heartbeat_at=timezone.now()
                )
        finally:
            connection.close()

    def progress(self, done: int, total: int | None) -> None:
        import time

        now = time.monotonic()
        if now - self._last < 0.5 and (total is None or done < total):
            return
        self._last = now
        DatasetJob.objects.filter(pk=self.job_id, status=DatasetJob.Status.RUNNING).update(
            rows_done=done, rows_total=total, heartbeat_at=timezone.now()
        )


#: Tests replace this to simulate a worker killed in the middle of a job (see tests/portal/datasets).
_after_progress: Callable[[int, int | None], None] | None = None


def job_run(*, job_id: int) -> None:
    """Run one queued job to the end (called by the background task); safe to call twice."""
    if not connection.in_atomic_block:  # a worker between tasks, not a request or a test transaction
        close_old_connections()
    job = _claim(job_id)
    if job is None:
        return
    beat = _Heartbeat(job.pk)

    def progress(done: int, total: int | None) -> None:
        beat.progress(done, total)
        if _after_progress is not None:
            _after_progress(done, total)

    try:
        with beat:
            if job.kind == DatasetJob.Kind.CHECK:
                _run_check(job, progress)
            else:
                _run_apply(job, progress)
    except engine.EngineError as exc:
        _job_fail(job, exc.message)
    except Exception as exc:  # noqa: BLE001 - any other failure is reported in plain words, without its text
        # The exception's text may quote a cell, so only its type reaches the log.
        logger.error("Dataset job %s failed with %s", job.pk, type(exc).__name__)
        _job_fail(job, GENERIC_FAILURE)


def _job_fail(job: DatasetJob, message: str) -> None:
    with transaction.atomic():
        DatasetJob.objects.filter(pk=job.pk).update(
            status=DatasetJob.Status.FAILED, error_message=message, finished_at=timezone.now()
        )
        dataset = job.dataset
        if job.kind == DatasetJob.Kind.CHECK:
            dataset.status = Dataset.Status.CHECK_FAILED
            dataset.save(update_fields=["status", "updated_at"])
            action = "datasets.check_fail"
        else:
            if job.plan_id is not None:
                RemedyPlanVersion.objects.filter(pk=job.plan_id).update(status=RemedyPlanVersion.Status.DRAFT)
            dataset.status = Dataset.Status.PLANNING
            dataset.save(update_fields=["status", "updated_at"])
            action = "datasets.safe_copy_fail"
        audit.record(
            actor="background worker",
            action=action,
            target=dataset,
            project_id=dataset.project_id,
            changes={"job": job.pk, "attempt": job.attempts},
        )


def _run_check(job: DatasetJob, progress: Callable[[int, int | None], None]) -> None:
    dataset = job.dataset
    threshold = _disclosure_threshold()
    with storage.decrypted_copy(dataset.stored_name, dataset.original_name) as path:
        outcome = engine.run_check(path, progress=progress, threshold=threshold)
    with transaction.atomic():
        job.refresh_from_db()
        if job.status != DatasetJob.Status.RUNNING:
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
        DatasetJob.objects.filter(pk=job.pk).update(
            status=DatasetJob.Status.SUCCEEDED, finished_at=timezone.now(), rows_done=outcome.rows
        )
        audit.record(
            actor="background worker",
            action="datasets.check_finish",
            target=dataset,
            project_id=dataset.project_id,
            changes={"job": job.pk, "verdict": result.verdict, "attempt": job.attempts},
        )
        if job.requested_by and job.requested_by.email:
            notify(
                Message(
                    to=[job.requested_by.email],
                    subject=f"The data safety check of {dataset.title} has finished",
                    template="datasets/email/check_finished",
                    context={"dataset_title": dataset.title, "verdict": result.verdict, "dataset_id": dataset.pk},
                )
            )


def _disclosure_threshold() -> int:
    try:
        from community_insights.portal.programme.selectors import programme_get

        return int(programme_get().disclosure_threshold)
    except Exception:  # noqa: BLE001 - the programme's own setting is optional here
        return int(getattr(settings, "INSIGHTS_DISCLOSURE_THRESHOLD", DEFAULT_THRESHOLD))


def _run_apply(job: DatasetJob, progress: Callable[[int, int | None], None]) -> None:
    dataset = job.dataset
    plan = job.plan
    assert plan is not None
    if not dataset.has_raw_file:
        raise engine.EngineError("The raw file has been deleted, so a safe copy can no longer be made from it.")
    key_row = _active_key(actor=job.requested_by)
    key = open_bytes(bytes(key_row.sealed_key))
    out_format = WRITE_FORMATS.get(dataset.format, "csv")
    stem = Path(dataset.original_name).stem
    file_name = storage.safe_file_name(f"{stem}-safe-copy-v{plan.number}.{out_format}")
    with (
        storage.decrypted_copy(dataset.stored_name, dataset.original_name) as path,
        storage.private_file(file_name) as output,
    ):
        report = engine.apply_plan(path, plan.plan_yaml, key, output, progress=progress)
        digest = hashlib.sha256()
        with output.open("rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
        size = output.stat().st_size
        name = f"safe/{dataset.project_id}/{dataset.pk}-plan-{plan.number}.enc"
        storage.delete_stored(name)  # a killed earlier attempt may have left one
        stored_name, _ = storage.store_encrypted(output, name)
    try:
        with transaction.atomic():
            job.refresh_from_db()
            if job.status != DatasetJob.Status.RUNNING:
                storage.delete_stored(stored_name)
                return
            SafeCopy.objects.filter(plan=plan).delete()
            copy = SafeCopy.objects.create(
                dataset=dataset,
                plan=plan,
                stored_name=stored_name,
                file_name=file_name,
                format=out_format,
                size_bytes=size,
                sha256=digest.hexdigest(),
                report=report,
                key_id=str(report.get("key_id") or ""),
            )
            plan.status = RemedyPlanVersion.Status.AWAITING_SIGN_OFF
            plan.save(update_fields=["status", "updated_at"])
            dataset.status = Dataset.Status.AWAITING_SIGN_OFF
            dataset.save(update_fields=["status", "updated_at"])
            DatasetJob.objects.filter(pk=job.pk).update(status=DatasetJob.Status.SUCCEEDED, finished_at=timezone.now())
            audit.record(
                actor="background worker",
                action="datasets.safe_copy_create",
                target=copy,
                project_id=dataset.project_id,
                changes={"plan_version": plan.number, "sha256": copy.sha256, "key_id": copy.key_id},
            )
            _notify_information_rights(dataset, plan)
    except BaseException:
        storage.delete_stored(stored_name)
        raise


def _notify_information_rights(dataset: Dataset, plan: RemedyPlanVersion) -> None:
    from community_insights.portal.projects.models import ProjectRole

    roles = ProjectRole.objects.filter(project_id=dataset.project_id, role__in=permissions.SIGN_OFF_ROLES)
    if plan.created_by_id is not None:
        roles = roles.exclude(user_id=plan.created_by_id)
    emails = sorted(set(roles.values_list("user__email", flat=True)))
    notify(
        Message(
            to=emails,
            subject=f"A safe copy of {dataset.title} is waiting for your sign-off",
            template="datasets/email/sign_off_needed",
            context={"dataset_title": dataset.title, "plan_number": plan.number, "dataset_id": dataset.pk},
        )
    )


def retry_stale_jobs(*, now: dt.datetime | None = None, job: DatasetJob | None = None) -> list[DatasetJob]:
    """Put running jobs whose worker stopped beating back in the queue (or fail them in plain words).

    A worker killed mid-check leaves its job ``running`` with an old heartbeat.
    This runs when someone watches the job's progress and from ``insights
    retry-stale-jobs`` (for a timer), so the work always finishes or says why not.
    """
    now = now or timezone.now()
    cutoff = now - stale_after()
    candidates = DatasetJob.objects.filter(status=DatasetJob.Status.RUNNING, heartbeat_at__lt=cutoff)
    if job is not None:
        candidates = candidates.filter(pk=job.pk)
    restarted: list[DatasetJob] = []
    for stale in candidates.select_related("dataset"):
        with transaction.atomic():
            if stale.attempts >= stale.max_attempts:
                changed = DatasetJob.objects.filter(pk=stale.pk, status=DatasetJob.Status.RUNNING).update(
                    status=DatasetJob.Status.FAILED,
                    finished_at=now,
                    error_message=(
                        f"The work stopped {stale.attempts} times before it could finish. The file may be too "
                        "large for the server; try a smaller extract, or ask the administrator to check the worker."
                    ),
                )
                if changed:
                    stale.refresh_from_db()
                    _job_fail(stale, stale.error_message)
                continue
            changed = DatasetJob.objects.filter(
                pk=stale.pk, status=DatasetJob.Status.RUNNING, heartbeat_at__lt=cutoff
            ).update(status=DatasetJob.Status.QUEUED, heartbeat_at=None)
            if not changed:
                continue
            audit.record(
                actor="background worker",
                action="datasets.job_retry",
                target=stale.dataset,
                project_id=stale.dataset.project_id,
                changes={"job": stale.pk, "attempts_so_far": stale.attempts},
            )
            job_id = stale.pk
            transaction.on_commit(lambda job_id=job_id: _enqueue(job_id))  # type: ignore[misc]
            restarted.append(stale)
    return restarted


@transaction.atomic
def dataset_recheck(*, actor: Any, dataset: Dataset) -> DatasetJob:
    """Run the data safety check again (after a failure, or after the engine improved)."""
    _require(permissions.can_work_on_dataset(actor, dataset), "You cannot run the check on this dataset.")
    if not dataset.has_raw_file:
        raise ApplicationError("The raw file has been deleted, so it cannot be checked again.")
    if dataset.jobs.filter(status__in=[DatasetJob.Status.QUEUED, DatasetJob.Status.RUNNING]).exists():
        raise ApplicationError("The dataset is already being worked on; wait for that to finish.")
    dataset.status = Dataset.Status.CHECKING
    dataset.save(update_fields=["status", "updated_at"])
    return _queue_job(actor=actor, dataset=dataset, kind=DatasetJob.Kind.CHECK)


# -- findings review ---------------------------------------------------------------------------


@transaction.atomic
def column_review(
    *, actor: Any, result: CheckResult, column: str, decision: str, kind: str, comment: str = ""
) -> ColumnReview:
    """Accept a column's finding or override it with another kind and a reason."""
    dataset = result.dataset
    _require(permissions.can_work_on_dataset(actor, dataset), "You cannot review this dataset's findings.")
    columns = {c["name"]: c for c in result.report.get("columns", [])}
    if column not in columns:
        raise ApplicationError("That column is not in the check's findings.")
    if decision not in ColumnReview.Decision.values:
        raise ApplicationError("Choose whether to accept or override the finding.")
    if kind not in engine.column_kinds():
        raise ApplicationError("Choose what kind of column this is.")
    if decision == ColumnReview.Decision.OVERRIDDEN and not comment.strip():
        raise ApplicationError("Say why you are overriding the finding.")
    if decision == ColumnReview.Decision.ACCEPTED:
        kind = str(columns[column]["kind"])
    review, _ = ColumnReview.objects.update_or_create(
        result=result,
        column=column,
        defaults={"decision": decision, "kind": kind, "comment": comment.strip(), "decided_by": actor},
    )
    audit.record(
        actor=actor,
        action="datasets.column_review",
        target=dataset,
        project_id=dataset.project_id,
        changes={"column": column, "decision": decision, "kind": kind},
    )
    return review


# -- remedy plans ------------------------------------------------------------------------------


def _next_number(dataset: Dataset) -> int:
    last = dataset.plans.order_by("-number").values_list("number", flat=True).first()
    return (last or 0) + 1


def _supersede_open_plans(dataset: Dataset) -> None:
    dataset.plans.filter(
        status__in=[RemedyPlanVersion.Status.DRAFT, RemedyPlanVersion.Status.AWAITING_SIGN_OFF]
    ).update(status=RemedyPlanVersion.Status.SUPERSEDED)


@transaction.atomic
def plan_create(*, actor: Any, dataset: Dataset) -> RemedyPlanVersion:
    """Draft a remedy plan from the latest check, with the analyst's overrides applied."""
    _require(permissions.can_work_on_dataset(actor, dataset), "You cannot make a remedy plan for this dataset.")
    result = dataset.check_results.order_by("-created_at").first()
    if result is None or not result.suggested_plan:
        raise ApplicationError("Run the data safety check before making a remedy plan.")
    overrides = {
        r.column: (r.kind, r.comment) for r in result.reviews.filter(decision=ColumnReview.Decision.OVERRIDDEN)
    }
    plan_yaml = engine.apply_overrides(result.suggested_plan, overrides)
    _supersede_open_plans(dataset)
    plan = RemedyPlanVersion.objects.create(
        dataset=dataset,
        number=_next_number(dataset),
        plan_yaml=plan_yaml,
        change_note="Drafted from the data safety check" + (" with the analyst's overrides." if overrides else "."),
        created_by=actor,
    )
    dataset.status = Dataset.Status.PLANNING
    dataset.save(update_fields=["status", "updated_at"])
    audit.record(
        actor=actor,
        action="datasets.plan_create",
        target=plan,
        project_id=dataset.project_id,
        changes={"plan_version": plan.number, "overrides": sorted(overrides), "sha256": engine.plan_sha256(plan_yaml)},
    )
    return plan


def _column_changes(old_yaml: str, new_yaml: str) -> list[dict[str, Any]]:
    """Which columns changed action or parameters between two plan versions (names and actions only)."""
    old = {c["column"]: c for c in engine.plan_to_dict(engine.load_plan_text(old_yaml))["columns"]}
    new = engine.plan_to_dict(engine.load_plan_text(new_yaml))
    changes = []
    for entry in new["columns"]:
        before = old.get(entry["column"], {})
        if before.get("action") != entry.get("action") or before.get("params") != entry.get("params"):
            changes.append({"column": entry["column"], "from": before.get("action"), "to": entry.get("action")})
    return changes


@transaction.atomic
def plan_update(
    *,
    actor: Any,
    plan: RemedyPlanVersion,
    columns: list[dict[str, Any]],
    min_group_size: int,
    quasi_identifiers: list[str],
    small_groups: str,
    change_note: str,
) -> RemedyPlanVersion:
    """Save an edited plan as a new version, after the engine has validated it.

    ``columns`` holds, per column, ``action``, ``params`` (a dict) and ``reason``.
    """
    dataset = plan.dataset
    _require(permissions.can_work_on_dataset(actor, dataset), "You cannot change this dataset's remedy plan.")
    if plan.status not in (RemedyPlanVersion.Status.DRAFT, RemedyPlanVersion.Status.REJECTED):
        raise ApplicationError("Only the latest draft or a plan sent back for changes can be edited.")
    if not change_note.strip():
        raise ApplicationError("Say what you changed and why.")
    data = engine.plan_to_dict(engine.load_plan_text(plan.plan_yaml))
    by_name = {c["column"]: c for c in columns}
    for entry in data["columns"]:
        edit = by_name.get(entry["column"])
        if edit is None:
            continue
        entry["action"] = edit["action"]
        if edit.get("params"):
            entry["params"] = edit["params"]
        else:
            entry.pop("params", None)
        entry["reason"] = edit.get("reason", "").strip()
    data["min_group_size"] = min_group_size
    data["quasi_identifiers"] = quasi_identifiers
    data["small_groups"] = small_groups
    plan_yaml = engine.plan_from_dict(data)
    if plan_yaml == plan.plan_yaml:
        raise ApplicationError("Nothing was changed in the plan.")
    changes = _column_changes(plan.plan_yaml, plan_yaml)
    _supersede_open_plans(dataset)
    if plan.status == RemedyPlanVersion.Status.REJECTED:
        pass  # the rejected version stays as it was signed off: rejected
    new = RemedyPlanVersion.objects.create(
        dataset=dataset,
        number=_next_number(dataset),
        plan_yaml=plan_yaml,
        change_note=change_note.strip(),
        created_by=actor,
    )
    dataset.status = Dataset.Status.PLANNING
    dataset.save(update_fields=["status", "updated_at"])
    audit.record(
        actor=actor,
        action="datasets.plan_update",
        target=new,
        project_id=dataset.project_id,
        changes={
            "plan_version": new.number,
            "previous_version": plan.number,
            "columns": changes,
            "sha256": engine.plan_sha256(plan_yaml),
        },
    )
    return new


@transaction.atomic
def plan_apply(*, actor: Any, plan: RemedyPlanVersion) -> DatasetJob:
    """Queue the background job that applies the plan and makes the safe copy."""
    dataset = plan.dataset
    _require(permissions.can_work_on_dataset(actor, dataset), "You cannot make a safe copy of this dataset.")
    if plan.status != RemedyPlanVersion.Status.DRAFT:
        raise ApplicationError("Only the latest draft of the plan can be applied.")
    if not dataset.has_raw_file:
        raise ApplicationError("The raw file has been deleted, so a safe copy can no longer be made from it.")
    if dataset.jobs.filter(status__in=[DatasetJob.Status.QUEUED, DatasetJob.Status.RUNNING]).exists():
        raise ApplicationError("The dataset is already being worked on; wait for that to finish.")
    engine.load_plan_text(plan.plan_yaml)  # validated again: the engine may have changed since it was saved
    plan.status = RemedyPlanVersion.Status.APPLYING
    plan.save(update_fields=["status", "updated_at"])
    dataset.status = Dataset.Status.APPLYING
    dataset.save(update_fields=["status", "updated_at"])
    return _queue_job(actor=actor, dataset=dataset, kind=DatasetJob.Kind.APPLY, plan=plan)


# -- sign-off ----------------------------------------------------------------------------------


@transaction.atomic
def plan_sign_off(*, actor: Any, plan: RemedyPlanVersion, approve: bool, comment: str) -> SignOff:
    """The information rights decision: approve the plan and its safe copy, or send it back."""
    dataset = plan.dataset
    _require(permissions.can_sign_off(actor, plan), "Only the project's information rights expert can sign this off.")
    if permissions.is_plan_author(actor, plan):
        raise NotPermitted("You wrote this version of the plan, so someone else must sign it off.")
    if plan.status != RemedyPlanVersion.Status.AWAITING_SIGN_OFF or not hasattr(plan, "safe_copy"):
        raise ApplicationError("This plan is not waiting for sign-off.")
    if not comment.strip():
        raise ApplicationError(
            "Add a comment: what you checked, and any conditions." if approve else "Say what needs to change."
        )
    decision = SignOff.Decision.APPROVED if approve else SignOff.Decision.REJECTED
    sign_off = SignOff.objects.create(plan=plan, decision=decision, comment=comment.strip(), decided_by=actor)
    plan.status = RemedyPlanVersion.Status.APPROVED if approve else RemedyPlanVersion.Status.REJECTED
    plan.save(update_fields=["status", "updated_at"])
    dataset.status = Dataset.Status.APPROVED if approve else Dataset.Status.REJECTED
    dataset.save(update_fields=["status", "updated_at"])
    audit.record(
        actor=actor,
        action="datasets.plan_approve" if approve else "datasets.plan_reject",
        target=plan,
        project_id=dataset.project_id,
        changes={"plan_version": plan.number, "safe_copy_sha256": plan.safe_copy.sha256},
    )
    recipients = [e for e in {getattr(plan.created_by, "email", ""), getattr(dataset.uploaded_by, "email", "")} if e]
    notify(
        Message(
            to=sorted(recipients),
            subject=f"The remedy plan for {dataset.title} was {'approved' if approve else 'sent back for changes'}",
            template="datasets/email/signed_off",
            context={"dataset_title": dataset.title, "approved": approve, "plan_number": plan.number},
        )
    )
    return sign_off


# -- downloads ---------------------------------------------------------------------------------


def raw_download(*, actor: Any, dataset: Dataset) -> Iterator[bytes]:
    """Record and stream the raw file (only the owning organisation's analysts)."""
    _require(
        permissions.can_download_raw(actor, dataset), "Only the owning organisation's analysts can download raw data."
    )
    if not dataset.has_raw_file:
        raise ApplicationError("The raw file has been deleted.")
    with transaction.atomic():
        audit.record(
            actor=actor,
            action="datasets.raw_download",
            target=dataset,
            project_id=dataset.project_id,
            changes={"sha256": dataset.sha256},
        )
    return storage.iter_decrypted(dataset.stored_name)


def safe_copy_download(*, actor: Any, copy: SafeCopy) -> Iterator[bytes]:
    """Record and stream an approved safe copy (the project team only)."""
    dataset = copy.dataset
    _require(permissions.can_download_safe_copy(actor, dataset), "Only the project team can download the safe copy.")
    if copy.plan.status != RemedyPlanVersion.Status.APPROVED or copy.deleted_at is not None:
        raise NotPermitted("This safe copy has not been approved by information rights.")
    with transaction.atomic():
        audit.record(
            actor=actor,
            action="datasets.safe_copy_download",
            target=copy,
            project_id=dataset.project_id,
            changes={"sha256": copy.sha256, "plan_version": copy.plan.number},
        )
    return storage.iter_decrypted(copy.stored_name)


# -- deletion and retention --------------------------------------------------------------------


@transaction.atomic
def dataset_delete(*, actor: Any, dataset: Dataset, reason: str = "") -> Dataset:
    """Delete the raw file and every safe copy of a dataset; the record and its audit trail stay."""
    _require(permissions.can_delete_dataset(actor, dataset), "You cannot delete this dataset.")
    _delete_files(dataset, reason="deleted")
    dataset.status = Dataset.Status.DELETED
    dataset.save(update_fields=["status", "updated_at"])
    audit.record(
        actor=actor,
        action="datasets.dataset_delete",
        target=dataset,
        project_id=dataset.project_id,
        changes={"reason_given": bool(reason.strip())},
    )
    return dataset


def _delete_files(dataset: Dataset, *, reason: str) -> None:
    now = timezone.now()
    stored = [
        dataset.stored_name,
        *dataset.safe_copies.filter(deleted_at__isnull=True).values_list("stored_name", flat=True),
    ]
    dataset.safe_copies.filter(deleted_at__isnull=True).update(deleted_at=now)
    dataset.raw_deleted_at = dataset.raw_deleted_at or now
    dataset.raw_deleted_reason = reason
    dataset.save(update_fields=["raw_deleted_at", "raw_deleted_reason", "updated_at"])

    def _remove() -> None:
        for name in stored:
            with contextlib.suppress(Exception):
                storage.delete_stored(name)

    transaction.on_commit(_remove)


def retention_run(*, today: dt.date | None = None, actor: Any = "retention") -> list[Dataset]:
    """Delete raw files whose retention date has passed, and record each deletion.

    Safe copies stay (they were signed off for the project's use); the raw file is what
    the data-sharing agreement limits. Also sweeps plaintext leftovers of killed workers.
    """
    today = today or timezone.localdate()
    deleted: list[Dataset] = []
    due = Dataset.objects.filter(retention_until__lt=today, raw_deleted_at__isnull=True).exclude(stored_name="")
    for dataset in due.select_related("source"):
        with transaction.atomic():
            name = dataset.stored_name
            dataset.raw_deleted_at = timezone.now()
            dataset.raw_deleted_reason = "retention"
            dataset.save(update_fields=["raw_deleted_at", "raw_deleted_reason", "updated_at"])
            audit.record(
                actor=actor,
                action="datasets.raw_delete_retention",
                target=dataset,
                project_id=dataset.project_id,
                changes={"retention_until": dataset.retention_until.isoformat() if dataset.retention_until else None},
            )
            transaction.on_commit(lambda name=name: storage.delete_stored(name))  # type: ignore[misc]
        deleted.append(dataset)
    storage.sweep_work_dir()
    return deleted


# -- pseudonymisation keys ---------------------------------------------------------------------


def _active_key(*, actor: Any) -> PseudonymisationKey:
    key_row = PseudonymisationKey.objects.filter(is_active=True).first()
    if key_row is not None:
        return key_row
    with transaction.atomic():
        key, fingerprint = engine.new_key()
        key_row = PseudonymisationKey.objects.create(
            key_id=fingerprint, sealed_key=seal_bytes(key), created_by=actor if getattr(actor, "pk", None) else None
        )
        audit.record(
            actor=actor or "background worker",
            action="datasets.key_create",
            target=key_row,
            changes={"key_id": fingerprint},
        )
    return key_row


@transaction.atomic
def key_rotate(*, actor: Any, reason: str) -> PseudonymisationKey:
    """Retire the programme's pseudonymisation key and start a new one (a recorded action).

    Tokens made with the new key will not match tokens in earlier safe copies; that is the point
    when a key may have leaked, and the reason is kept in the audit trail.
    """
    _require(permissions.can_rotate_key(actor), "Only an information rights expert can rotate the key.")
    if not reason.strip():
        raise ApplicationError("Say why the key is being rotated.")
    old = PseudonymisationKey.objects.select_for_update().filter(is_active=True).first()
    if old is not None:
        old.is_active = False
        old.retired_at = timezone.now()
        old.save(update_fields=["is_active", "retired_at", "updated_at"])
    key, fingerprint = engine.new_key()
    new = PseudonymisationKey.objects.create(key_id=fingerprint, sealed_key=seal_bytes(key), created_by=actor)
    audit.record(
        actor=actor,
        action="datasets.key_rotate",
        target=new,
        changes={"retired_key_id": old.key_id if old else None, "key_id": fingerprint, "reason": reason.strip()[:500]},
    )
    return new


# -- views that are recorded -------------------------------------------------------------------


def record_view(
    *, actor: Any, action: str, target: Any, project_id: int, changes: dict[str, Any] | None = None
) -> None:
    """Record that someone looked at a dataset page (every view of data is on the trail)."""
    with transaction.atomic():
        audit.record(actor=actor, action=action, target=target, project_id=project_id, changes=changes)
