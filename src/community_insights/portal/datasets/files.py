"""Getting data out and getting rid of it (guide, Phase 2, Part 2: sharing data safely).

Every download of raw data or of a safe copy is permitted by a named rule and
recorded on the audit trail; deletion removes the stored files but keeps the
dataset's record and its trail, and the retention run deletes raw files whose
data-sharing agreement has run out.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterator
from typing import Any

from django.db import transaction
from django.utils import timezone

from community_insights.portal.core import audit
from community_insights.portal.core.exceptions import ApplicationError, NotPermitted, require
from community_insights.portal.datasets import permissions, storage
from community_insights.portal.datasets.models import Dataset, RemedyPlanVersion, SafeCopy


def record_view(
    *, actor: Any, action: str, target: Any, project_id: int, changes: dict[str, Any] | None = None
) -> None:
    """Record that someone looked at data or a dataset page (every view of data is on the trail)."""
    with transaction.atomic():
        audit.record(actor=actor, action=action, target=target, project_id=project_id, changes=changes)


def raw_download(*, actor: Any, dataset: Dataset) -> Iterator[bytes]:
    """Record and stream the raw file (only the owning organisation's analysts)."""
    require(
        permissions.can_download_raw(actor, dataset), "Only the owning organisation's analysts can download raw data."
    )
    if not dataset.has_raw_file:
        raise ApplicationError("The raw file has been deleted.")
    changes = {"sha256": dataset.sha256}
    record_view(
        actor=actor, action="datasets.raw_download", target=dataset, project_id=dataset.project_id, changes=changes
    )
    return storage.iter_decrypted(dataset.stored_name)


def safe_copy_download(*, actor: Any, copy: SafeCopy) -> Iterator[bytes]:
    """Record and stream an approved safe copy (the project team only)."""
    dataset = copy.dataset
    require(permissions.can_download_safe_copy(actor, dataset), "Only the project team can download the safe copy.")
    if copy.plan.status != RemedyPlanVersion.Status.APPROVED or copy.deleted_at is not None:
        raise NotPermitted("This safe copy has not been approved by information rights.")
    changes = {"sha256": copy.sha256, "plan_version": copy.plan.number}
    record_view(
        actor=actor, action="datasets.safe_copy_download", target=copy, project_id=dataset.project_id, changes=changes
    )
    return storage.iter_decrypted(copy.stored_name)


# -- deletion and retention --------------------------------------------------------------------


@transaction.atomic
def dataset_delete(*, actor: Any, dataset: Dataset, reason: str = "") -> Dataset:
    """Delete the raw file and every safe copy of a dataset; the record and its audit trail stay."""
    require(permissions.can_delete_dataset(actor, dataset), "You cannot delete this dataset.")
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
