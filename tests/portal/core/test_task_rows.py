"""A task row left "running" by a killed background worker is marked failed, in plain words."""

from __future__ import annotations

import subprocess
import sys

import pytest
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from community_insights.portal.core import task_rows


def _row(worker_ids: list[str], status: str = TaskResultStatus.RUNNING) -> DBTaskResult:
    return DBTaskResult.objects.create(
        status=status,
        args_kwargs={"args": [], "kwargs": {}},
        task_path="community_insights.portal.datasets.tasks.run_dataset_job",
        queue_name="default",
        backend_name="default",
        run_after=timezone.now(),
        worker_ids=worker_ids,
    )


def _dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


@pytest.mark.django_db
def test_rows_of_a_stopped_worker_are_failed_and_others_left_alone() -> None:
    gone = task_rows.worker_id_for(_dead_pid())
    alive = task_rows.worker_id_for()
    orphan = _row([gone])
    retried_elsewhere = _row([gone, "another-worker"])
    running = _row([alive])
    assert task_rows.fail_orphaned_rows(gone) == 1
    orphan.refresh_from_db()
    assert orphan.status == TaskResultStatus.FAILED
    assert orphan.traceback == task_rows.STOPPED_MESSAGE and "Traceback" not in orphan.traceback
    for untouched in (retried_elsewhere, running):
        untouched.refresh_from_db()
        assert untouched.status == TaskResultStatus.RUNNING


@pytest.mark.django_db
def test_at_start_up_rows_of_a_dead_serve_on_this_host_are_failed() -> None:
    orphan = _row([task_rows.worker_id_for(_dead_pid())])
    ours = _row([task_rows.worker_id_for()])
    foreign = _row(["a-random-worker-id"])
    assert task_rows.fail_rows_of_dead_serves() == 1
    statuses = [DBTaskResult.objects.get(pk=r.pk).status for r in (orphan, ours, foreign)]
    assert statuses == [TaskResultStatus.FAILED, TaskResultStatus.RUNNING, TaskResultStatus.RUNNING]
