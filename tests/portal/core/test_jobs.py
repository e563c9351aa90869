"""The shared background jobs module: claiming, honest progress, plain failures, restarting orphans.

The jobs here do made-up work on a real job row (a dataset job with no file),
so that what is tested is ``core.jobs`` alone, as any future area would use it.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

import pytest
from django.utils import timezone

from community_insights.portal.core import jobs
from community_insights.portal.core.exceptions import ApplicationError
from community_insights.portal.datasets.models import Dataset, DatasetJob, DataSource
from tests.portal.access import World

pytestmark = pytest.mark.django_db


@pytest.fixture
def job(world: World) -> DatasetJob:
    owner = world.project.lead_organisation
    source = DataSource.objects.create(project=world.project, name="Case records", owner_organisation=owner)
    fields = {"title": "Cases", "original_name": "cases.csv", "format": "csv", "size_bytes": 1, "sha256": "0" * 64}
    dataset = Dataset.objects.create(source=source, project=world.project, **fields)
    return DatasetJob.objects.create(dataset=dataset, kind=DatasetJob.Kind.CHECK)


def _failures() -> tuple[list[str], Any]:
    seen: list[str] = []
    return seen, lambda job, message: (jobs.mark_failed(job, message), seen.append(message))


def test_a_job_is_claimed_once_and_reports_its_progress(job: DatasetJob) -> None:
    ran: list[int] = []

    def work(claimed: DatasetJob, progress: jobs.Progress) -> None:
        ran.append(claimed.attempts)
        progress(40, 100)
        assert DatasetJob.objects.get(pk=claimed.pk).rows_done == 40  # the first report is written at once
        progress(100, 100)
        assert jobs.finish_if_still_running(claimed, rows_done=100)

    seen, fail = _failures()
    jobs.run(DatasetJob, job.pk, work=work, fail=fail)
    jobs.run(DatasetJob, job.pk, work=work, fail=fail)  # already finished: nothing happens
    job.refresh_from_db()
    assert (ran, seen) == ([1], [])
    assert (job.status, job.rows_done, job.rows_total, job.attempts) == (jobs.SUCCEEDED, 100, 100, 1)


def test_a_plain_error_is_shown_and_any_other_is_not(job: DatasetJob, caplog: Any) -> None:
    caplog.set_level(logging.DEBUG)

    def plain(claimed: DatasetJob, progress: jobs.Progress) -> None:
        raise ApplicationError("The file has no header row.")

    def leaky(claimed: DatasetJob, progress: jobs.Progress) -> None:
        raise ValueError("cell value Ayesha Khan")

    seen, fail = _failures()
    jobs.run(DatasetJob, job.pk, work=plain, fail=fail, plain_errors=(ApplicationError,))
    DatasetJob.objects.filter(pk=job.pk).update(status=jobs.QUEUED)
    jobs.run(DatasetJob, job.pk, work=leaky, fail=fail, plain_errors=(ApplicationError,))
    assert seen == ["The file has no header row.", jobs.GENERIC_FAILURE]
    assert DatasetJob.objects.get(pk=job.pk).error_message == jobs.GENERIC_FAILURE
    assert "ValueError" in caplog.text and "Ayesha" not in caplog.text


def test_an_orphaned_job_is_requeued_then_given_up(job: DatasetJob, django_capture_on_commit_callbacks: Any) -> None:
    requeued: list[int] = []
    gave_up: list[str] = []
    now = timezone.now()
    silent = now - jobs.stale_after() - dt.timedelta(seconds=1)
    DatasetJob.objects.filter(pk=job.pk).update(status=jobs.RUNNING, heartbeat_at=now, attempts=1)

    def retry() -> list[Any]:
        return jobs.retry_stale(
            DatasetJob,
            area="core-jobs-test",
            now=now,
            gave_up=lambda j: gave_up.append(j.error_message),
            requeued=lambda j: requeued.append(j.pk),
        )

    assert retry() == []  # a fresh heartbeat is a live worker
    DatasetJob.objects.filter(pk=job.pk).update(heartbeat_at=silent)
    ran: list[int] = []
    jobs.register("core-jobs-test", ran.append)
    with django_capture_on_commit_callbacks(execute=True):
        assert [j.pk for j in retry()] == [job.pk]
    assert (requeued, ran) == ([job.pk], [job.pk])  # back in the queue, and the area's runner was called
    assert DatasetJob.objects.get(pk=job.pk).status == jobs.QUEUED

    DatasetJob.objects.filter(pk=job.pk).update(status=jobs.RUNNING, heartbeat_at=silent, attempts=job.max_attempts)
    assert retry() == []
    assert len(gave_up) == 1 and gave_up[0].startswith(f"The work stopped {job.max_attempts} times")
    assert DatasetJob.objects.get(pk=job.pk).status == jobs.FAILED


def test_a_job_for_an_area_with_no_runner_is_refused() -> None:
    with pytest.raises(LookupError, match="No background job runner"):
        jobs.run_job.call("no-such-area", 1)


def test_every_area_with_long_jobs_is_looked_after_when_a_worker_dies(
    job: DatasetJob, django_capture_on_commit_callbacks: Any
) -> None:
    """What each worker runs every minute: every area's recovery, wherever its jobs' workers were killed."""
    silent = timezone.now() - jobs.stale_after() - dt.timedelta(seconds=1)
    DatasetJob.objects.filter(pk=job.pk).update(status=jobs.RUNNING, heartbeat_at=silent, attempts=1)
    ran: list[int] = []
    jobs.register("datasets", ran.append, recover=jobs._RECOVERIES["datasets"])  # the real recovery, a stand-in run
    try:
        with django_capture_on_commit_callbacks(execute=True):
            counts = jobs.recover_all()
    finally:
        from community_insights.portal.datasets import services

        jobs.register("datasets", lambda job_id: services.job_run(job_id=job_id), recover=jobs._RECOVERIES["datasets"])
    assert {"datasets", "outputs", "export"} <= set(counts)
    assert counts["datasets"] == 1 and ran == [job.pk]
    assert DatasetJob.objects.get(pk=job.pk).status == jobs.QUEUED
