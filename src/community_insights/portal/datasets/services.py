"""Writes of the datasets area: each checks permission, validates, saves, audits and notifies.

The area serves the guide's Phase 2: the inventory of data sources comes from
scoping (Part 1, "Refine project questions and scope data"), and the upload,
data safety check, remedy plan and sign-off are Part 2, Step 1 "Data safety
check" (done again in more depth in Phase 3, Part 1, Step 5). Downloads and
deletion live in ``datasets.files``, the key in ``datasets.keys`` and the
background work in ``datasets.jobs``; this module re-exports their services so
callers have one door.

Raw values never pass through here: a file goes from the upload straight into
a private temporary file, is checked by the engine, encrypted into the dataset
storage and removed. Error messages are the engine's plain sentences, which
name files and columns but never quote a cell.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction

from community_insights.portal.core import audit, jobs
from community_insights.portal.core.exceptions import ApplicationError, NotPermitted, require
from community_insights.portal.core.notifications import Message, notify
from community_insights.portal.core.permissions import is_programme_staff
from community_insights.portal.datasets import engine, permissions, selectors, sign_off, storage
from community_insights.portal.datasets import jobs as dataset_jobs

# The area's other writes live beside this module; callers keep asking ``services`` for them.
from community_insights.portal.datasets.files import dataset_delete as dataset_delete
from community_insights.portal.datasets.files import raw_download as raw_download
from community_insights.portal.datasets.files import record_view as record_view
from community_insights.portal.datasets.files import retention_run as retention_run
from community_insights.portal.datasets.files import safe_copy_download as safe_copy_download
from community_insights.portal.datasets.keys import key_rotate as key_rotate
from community_insights.portal.datasets.models import (
    CheckResult,
    ColumnReview,
    Dataset,
    DatasetJob,
    DataSource,
    RemedyPlanVersion,
    SignOff,
)

DEFAULT_MAX_COLUMNS = 1000
GENERIC_FAILURE = jobs.GENERIC_FAILURE
stale_after = jobs.stale_after

#: Tests replace this to simulate a worker killed in the middle of a job (see tests/portal/datasets).
_after_progress: jobs.Progress | None = None


def max_upload_bytes() -> int:
    return int(getattr(settings, "INSIGHTS_UPLOAD_MAX_BYTES", 200 * 1024 * 1024))


def max_columns() -> int:
    return int(getattr(settings, "INSIGHTS_UPLOAD_MAX_COLUMNS", DEFAULT_MAX_COLUMNS))


def human_size(n: int) -> str:
    for unit in ("bytes", "KB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return f"{n} {unit}" if unit == "bytes" else f"{n:.0f} {unit}"
        n = n / 1024  # type: ignore[assignment]
    return f"{n} GB"  # pragma: no cover


# -- inventory --------------------------------------------------------------------------------


SOURCE_FIELDS = DataSource.EDITABLE_FIELDS


@transaction.atomic
def data_source_create(*, actor: Any, project: Any, **fields: Any) -> DataSource:
    """Add a source of data to a project's inventory (Phase 2, Part 1: scope data)."""
    require(permissions.can_edit_inventory(actor, project), "You cannot change this project's data inventory.")
    source = DataSource(project=project, created_by=actor, **{k: v for k, v in fields.items() if k in SOURCE_FIELDS})
    source.full_clean()
    source.save()
    audit.record(
        actor=actor,
        action="datasets.source_create",
        target=source,
        project_id=project.pk,
        changes={"category": source.category, "legal_basis": source.legal_basis},
    )
    return source


@transaction.atomic
def data_source_update(*, actor: Any, source: DataSource, **fields: Any) -> DataSource:
    """Change a data source; its datasets' retention dates follow the source's.

    The comparison is with the stored row, not *source*: a bound ModelForm has
    already written the new values onto the instance it was given, so
    comparing with that saved nothing. Who owns a source decides who may
    download its raw files, so only programme staff may change the owner, as
    an audited action of its own.
    """
    require(permissions.can_edit_inventory(actor, source), "You cannot change this project's data inventory.")
    current = DataSource.objects.select_for_update().select_related("owner_organisation").get(pk=source.pk)
    changed = [name for name in SOURCE_FIELDS if name in fields and getattr(current, name) != fields[name]]
    previous_owner = current.owner_organisation
    if "owner_organisation" in changed:
        require(
            is_programme_staff(actor),
            "Only programme staff can change which organisation owns a data source.",
        )
    for name in changed:
        setattr(current, name, fields[name])
    # Only what changed is validated: a source whose creator's account is gone must stay editable.
    current.full_clean(exclude=[f.name for f in DataSource._meta.fields if f.name not in changed])
    if changed:
        current.save(update_fields=[*changed, "updated_at"])
        if "retention_until" in changed:
            current.datasets.filter(raw_deleted_at__isnull=True).update(retention_until=current.retention_until)
    # A change of owner is its own action (with the old and new owner), so the audit page shows it apart.
    owner_moved = "owner_organisation" in changed
    audit.record(
        actor=actor,
        action="datasets.source_owner_change" if owner_moved else "datasets.source_update",
        target=current,
        project_id=current.project_id,
        changes={"fields": changed}
        | ({"from": str(previous_owner), "to": str(current.owner_organisation)} if owner_moved else {}),
    )
    return current


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
    require(
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
            message=(
                "The file must be a CSV, TSV, Excel (.xlsx), OpenDocument (.ods), Parquet, JSON Lines, "
                "Stata (.dta) or SPSS (.sav) file."
            ),
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
            dataset_jobs.queue_job(actor=actor, dataset=dataset, kind=DatasetJob.Kind.CHECK)
    except BaseException:
        storage.delete_stored(stored_name)
        raise
    return dataset


@transaction.atomic
def dataset_recheck(
    *, actor: Any, dataset: Dataset, sensitive: Sequence[str] = (), measures: Sequence[str] = ()
) -> DatasetJob:
    """Run the data safety check again (after a failure, after the engine improved, or to ask more of it).

    ``sensitive`` names columns of the last check whose values no small group may give away, besides
    the special-category ones the check finds itself; ``measures`` asks for the optional measures of
    those columns. Both are kept on the job, so a restarted check asks the same.
    """
    require(permissions.can_work_on_dataset(actor, dataset), "You cannot run the check on this dataset.")
    if not dataset.has_raw_file:
        raise ApplicationError("The raw file has been deleted, so it cannot be checked again.")
    if dataset.jobs.filter(status__in=[DatasetJob.Status.QUEUED, DatasetJob.Status.RUNNING]).exists():
        raise ApplicationError("The dataset is already being worked on; wait for that to finish.")
    known = set(selectors.check_columns(dataset=dataset))
    unknown = [name for name in sensitive if name not in known]
    if unknown:
        raise ApplicationError(f"{unknown[0]} is not a column of this dataset.", field="sensitive")
    if set(measures) - set(engine.optional_measures()):
        raise ApplicationError("Choose only the measures listed.", field="measures")
    dataset.status = Dataset.Status.CHECKING
    dataset.save(update_fields=["status", "updated_at"])
    options = {"sensitive": list(dict.fromkeys(sensitive)), "measures": list(dict.fromkeys(measures))}
    return dataset_jobs.queue_job(actor=actor, dataset=dataset, kind=DatasetJob.Kind.CHECK, options=options)


# -- findings review ---------------------------------------------------------------------------


@transaction.atomic
def column_review(
    *, actor: Any, result: CheckResult, column: str, decision: str, kind: str, comment: str = ""
) -> ColumnReview:
    """Accept a column's finding or override it with another kind and a reason."""
    dataset = result.dataset
    require(permissions.can_work_on_dataset(actor, dataset), "You cannot review this dataset's findings.")
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


# -- background jobs: the data safety check and the safe copy ----------------------------------


def job_run(*, job_id: int) -> None:
    """Run one queued job of this area to the end (the background task calls it); safe to call twice."""
    jobs.run(
        DatasetJob,
        job_id,
        work=dataset_jobs.work,
        fail=dataset_jobs.fail,
        plain_errors=(engine.EngineError,),
        related=dataset_jobs.RELATED,
        after_progress=_after_progress,
    )


def retry_stale_jobs(*, now: Any = None, job: DatasetJob | None = None) -> list[DatasetJob]:
    """Put running jobs whose worker stopped beating back in the queue (or fail them in plain words).

    A worker killed mid-check leaves its job ``running`` with an old heartbeat.
    This runs when someone watches the job's progress and from ``insights
    retry-stale-jobs`` (for a timer), so the work always finishes or says why not.
    """
    return jobs.retry_stale(
        DatasetJob,
        area=dataset_jobs.AREA,
        now=now,
        only=job,
        related=("dataset",),
        gave_up=lambda stale: dataset_jobs.fail(stale, stale.error_message),
        requeued=dataset_jobs.requeued,
    )


# -- remedy plans ------------------------------------------------------------------------------


def _next_number(dataset: Dataset) -> int:
    last = dataset.plans.order_by("-number").values_list("number", flat=True).first()
    return (last or 0) + 1


def _supersede_open_plans(dataset: Dataset) -> None:
    dataset.plans.filter(
        status__in=[RemedyPlanVersion.Status.DRAFT, RemedyPlanVersion.Status.AWAITING_SIGN_OFF]
    ).update(status=RemedyPlanVersion.Status.SUPERSEDED)


def _new_plan_version(dataset: Dataset, *, actor: Any, plan_yaml: str, change_note: str) -> RemedyPlanVersion:
    """Add the next version of the dataset's plan and put the dataset back into planning.

    Drafting and editing a plan both do this: open versions are superseded so only the
    newest can be signed off, and the numbering has no gaps.
    """
    _supersede_open_plans(dataset)
    plan = RemedyPlanVersion.objects.create(
        dataset=dataset, number=_next_number(dataset), plan_yaml=plan_yaml, change_note=change_note, created_by=actor
    )
    dataset.status = Dataset.Status.PLANNING
    dataset.save(update_fields=["status", "updated_at"])
    return plan


@transaction.atomic
def plan_create(*, actor: Any, dataset: Dataset) -> RemedyPlanVersion:
    """Draft a remedy plan from the latest check, with the analyst's overrides applied."""
    require(permissions.can_work_on_dataset(actor, dataset), "You cannot make a remedy plan for this dataset.")
    result = dataset.check_results.order_by("-created_at").first()
    if result is None or not result.suggested_plan:
        raise ApplicationError("Run the data safety check before making a remedy plan.")
    overrides = {
        r.column: (r.kind, r.comment) for r in result.reviews.filter(decision=ColumnReview.Decision.OVERRIDDEN)
    }
    plan_yaml = engine.apply_overrides(result.suggested_plan, overrides)
    note = "Drafted from the data safety check" + (" with the analyst's overrides." if overrides else ".")
    plan = _new_plan_version(dataset, actor=actor, plan_yaml=plan_yaml, change_note=note)
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
    require(permissions.can_work_on_dataset(actor, dataset), "You cannot change this dataset's remedy plan.")
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
    # A rejected version is not superseded: it stays as it was signed off, rejected.
    new = _new_plan_version(dataset, actor=actor, plan_yaml=plan_yaml, change_note=change_note.strip())
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
    require(permissions.can_work_on_dataset(actor, dataset), "You cannot make a safe copy of this dataset.")
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
    return dataset_jobs.queue_job(actor=actor, dataset=dataset, kind=DatasetJob.Kind.APPLY, plan=plan)


# -- sign-off ----------------------------------------------------------------------------------


@transaction.atomic
def plan_sign_off(
    *, actor: Any, plan: RemedyPlanVersion, approve: bool, comment: str, paperwork_reason: str = ""
) -> SignOff:
    """The information rights decision: approve the plan and its safe copy, or send it back.

    While the source's legal basis is to be agreed or its data-sharing agreement is
    not signed, approving needs a written reason; it is kept with the decision.
    """
    dataset = plan.dataset
    require(permissions.can_sign_off(actor, plan), "Only information rights can sign this off.")
    if permissions.is_plan_author(actor, plan):
        raise NotPermitted("You wrote this version of the plan, so someone else must sign it off.")
    if plan.status != RemedyPlanVersion.Status.AWAITING_SIGN_OFF or not hasattr(plan, "safe_copy"):
        raise ApplicationError("This plan is not waiting for sign-off.")
    if not comment.strip():
        raise ApplicationError(
            "Add a comment: what you checked, and any conditions." if approve else "Say what needs to change."
        )
    paperwork = sign_off.paperwork_problems(dataset.source)
    if approve and paperwork and not paperwork_reason.strip():
        raise ApplicationError(
            "Say why you approve while the paperwork is not settled, or send the plan back.",
            extra={"field": "paperwork_reason"},
        )
    if approve and paperwork:
        comment = f"{comment.strip()}\n\nApproved before the paperwork was settled: {paperwork_reason.strip()}"
    decision = SignOff.Decision.APPROVED if approve else SignOff.Decision.REJECTED
    decided = SignOff.objects.create(plan=plan, decision=decision, comment=comment.strip(), decided_by=actor)
    plan.status = RemedyPlanVersion.Status.APPROVED if approve else RemedyPlanVersion.Status.REJECTED
    plan.save(update_fields=["status", "updated_at"])
    dataset.status = Dataset.Status.APPROVED if approve else Dataset.Status.REJECTED
    dataset.save(update_fields=["status", "updated_at"])
    audit.record(
        actor=actor,
        action="datasets.plan_approve" if approve else "datasets.plan_reject",
        target=plan,
        project_id=dataset.project_id,
        changes={
            "plan_version": plan.number,
            "safe_copy_sha256": plan.safe_copy.sha256,
            "paperwork_unsettled": len(paperwork),
            "paperwork_reason_given": bool(approve and paperwork),
        },
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
    return decided
