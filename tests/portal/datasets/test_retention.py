"""`insights retention` deletes raw files past their retention date and records each deletion."""

from __future__ import annotations

import datetime as dt
import os
import time
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from community_insights.cli import app
from community_insights.portal.core.models import AuditEntry
from community_insights.portal.datasets import services, storage
from community_insights.portal.datasets.models import Dataset
from tests.portal.access import World
from tests.portal.datasets.conftest import stored_files


@pytest.mark.django_db
def test_retention_deletes_raw_files_past_their_date_and_records_it(
    world: World, upload: Any, dataset_folders: dict[str, Path], django_capture_on_commit_callbacks: Any
) -> None:
    dataset = upload()
    keep = upload(name="later.csv")
    Dataset.objects.filter(pk=dataset.pk).update(retention_until=dt.date(2026, 1, 31))
    Dataset.objects.filter(pk=keep.pk).update(retention_until=dt.date(2026, 3, 31))
    assert len(stored_files(dataset_folders["store"])) == 2

    runner = CliRunner()
    with django_capture_on_commit_callbacks(execute=True):
        result = runner.invoke(app, ["retention", "--today", "2026-02-01"])
    assert result.exit_code == 0, result.output
    assert "1 raw file(s) deleted" in result.output
    dataset.refresh_from_db()
    keep.refresh_from_db()
    assert dataset.raw_deleted_at is not None and dataset.raw_deleted_reason == "retention"
    assert not dataset.has_raw_file and keep.has_raw_file
    assert len(stored_files(dataset_folders["store"])) == 1
    entry = AuditEntry.objects.get(action="datasets.raw_delete_retention")
    assert entry.actor_label == "retention" and entry.target_id == str(dataset.pk)
    assert entry.changes == {"retention_until": "2026-01-31"}

    with django_capture_on_commit_callbacks(execute=True):
        again = runner.invoke(app, ["retention", "--today", "2026-02-01"])
    assert "No raw files are past their retention date." in again.output
    assert AuditEntry.objects.filter(action="datasets.raw_delete_retention").count() == 1


def test_retention_refuses_a_bad_date() -> None:
    result = CliRunner().invoke(app, ["retention", "--today", "31/01/2026"])
    assert result.exit_code == 2
    assert "--today must be a date" in result.output


@pytest.mark.django_db
def test_retention_sweeps_plaintext_left_by_a_killed_worker(dataset_folders: dict[str, Path]) -> None:
    folder = storage.work_dir() / "job-deadbeef"
    folder.mkdir()
    leftover = folder / "referrals.csv"
    leftover.write_text("full_name\nAyesha Begum\n")
    old = time.time() - 7 * 3600
    os.utime(leftover, (old, old))
    os.utime(folder, (old, old))
    services.retention_run(today=dt.date(2026, 1, 1))
    assert not folder.exists()


@pytest.mark.django_db
def test_deleting_a_dataset_removes_its_files_and_keeps_its_record(
    world: World, upload: Any, dataset_folders: dict[str, Path], django_capture_on_commit_callbacks: Any
) -> None:
    dataset = upload()
    with django_capture_on_commit_callbacks(execute=True):
        services.dataset_delete(actor=world.user("information_rights"), dataset=dataset, reason="Project closed")
    dataset.refresh_from_db()
    assert dataset.status == Dataset.Status.DELETED
    assert stored_files(dataset_folders["store"]) == []
    assert AuditEntry.objects.filter(action="datasets.dataset_delete", target_id=str(dataset.pk)).exists()
