"""Background work survives a killed worker: the job row's heartbeat goes stale, the job is re-queued and finishes."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from community_insights.portal.core.models import AuditEntry
from community_insights.portal.datasets import services
from community_insights.portal.datasets.models import CheckResult, Dataset, DatasetJob, DataSource
from tests.portal.access import World
from tests.portal.datasets.conftest import stored_files


class WorkerKilled(BaseException):
    """Stands for SIGKILL: not an Exception, so nothing in the job catches it, and the row stays 'running'."""


def _kill_mid_check(done: int, total: int | None) -> None:
    raise WorkerKilled


def _upload_with_killed_worker(
    world: World, source: DataSource, messy_csv: bytes, monkeypatch: Any, capture: Any
) -> DatasetJob:
    monkeypatch.setattr(services, "_after_progress", _kill_mid_check)
    with capture(execute=True):
        dataset = services.dataset_upload(
            actor=world.user("data_analyst"),
            source=source,
            title="Referrals",
            uploaded_file=SimpleUploadedFile("referrals.csv", messy_csv),
        )
    monkeypatch.setattr(services, "_after_progress", None)
    return dataset.jobs.get()


@pytest.mark.django_db
def test_killed_worker_job_is_retried_and_finishes(
    world: World,
    source: DataSource,
    messy_csv: bytes,
    monkeypatch: Any,
    django_capture_on_commit_callbacks: Any,
    dataset_folders: dict[str, Path],
) -> None:
    job = _upload_with_killed_worker(world, source, messy_csv, monkeypatch, django_capture_on_commit_callbacks)
    assert job.status == DatasetJob.Status.RUNNING and job.attempts == 1
    assert job.rows_done == 60  # progress was recorded before the worker died
    assert not CheckResult.objects.exists()
    assert stored_files(dataset_folders["work"]) == []  # even a dying check removes its plaintext copy

    # A fresh heartbeat is not mistaken for a dead worker.
    assert services.retry_stale_jobs() == []

    later = timezone.now() + services.stale_after() + dt.timedelta(seconds=1)
    with django_capture_on_commit_callbacks(execute=True):
        restarted = services.retry_stale_jobs(now=later)
    assert [j.pk for j in restarted] == [job.pk]
    job.refresh_from_db()
    assert job.status == DatasetJob.Status.SUCCEEDED and job.attempts == 2
    assert job.dataset.status == Dataset.Status.CHECKED
    assert CheckResult.objects.filter(dataset=job.dataset).count() == 1
    retry = AuditEntry.objects.get(action="datasets.job_retry")
    assert retry.changes == {"job": job.pk, "attempts_so_far": 1}


@pytest.mark.django_db
def test_watching_the_progress_restarts_a_stale_job(
    world: World,
    source: DataSource,
    messy_csv: bytes,
    monkeypatch: Any,
    django_capture_on_commit_callbacks: Any,
    client_for: Any,
) -> None:
    job = _upload_with_killed_worker(world, source, messy_csv, monkeypatch, django_capture_on_commit_callbacks)
    DatasetJob.objects.filter(pk=job.pk).update(heartbeat_at=timezone.now() - dt.timedelta(hours=1))
    client = client_for("data_analyst")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(reverse("datasets:job_progress", kwargs={"job_id": job.pk}))
    assert response.status_code == 200
    job.refresh_from_db()
    assert job.status == DatasetJob.Status.SUCCEEDED


@pytest.mark.django_db
def test_a_job_that_keeps_dying_fails_in_plain_words(
    world: World,
    source: DataSource,
    messy_csv: bytes,
    monkeypatch: Any,
    django_capture_on_commit_callbacks: Any,
    client_for: Any,
) -> None:
    job = _upload_with_killed_worker(world, source, messy_csv, monkeypatch, django_capture_on_commit_callbacks)
    monkeypatch.setattr(services, "_after_progress", _kill_mid_check)
    now = timezone.now()
    for _ in range(job.max_attempts):
        now += services.stale_after() + dt.timedelta(seconds=1)
        DatasetJob.objects.filter(pk=job.pk).update(heartbeat_at=now - services.stale_after() - dt.timedelta(seconds=1))
        with django_capture_on_commit_callbacks(execute=True):
            services.retry_stale_jobs(now=now)
    job.refresh_from_db()
    assert job.status == DatasetJob.Status.FAILED
    assert job.attempts == job.max_attempts
    assert "stopped 3 times" in job.error_message
    assert job.dataset.status == Dataset.Status.CHECK_FAILED
    page = client_for("data_analyst").get(reverse("datasets:dataset_detail", kwargs={"dataset_id": job.dataset_id}))
    assert "stopped 3 times" in page.content.decode()
    assert "Run the check again" in page.content.decode()


@pytest.mark.django_db
def test_an_unexpected_error_is_reported_without_its_text(
    world: World,
    source: DataSource,
    messy_csv: bytes,
    monkeypatch: Any,
    django_capture_on_commit_callbacks: Any,
    caplog: Any,
) -> None:
    def boom(done: int, total: int | None) -> None:
        raise ValueError("could not parse 'Ayesha Begum'")

    monkeypatch.setattr(services, "_after_progress", boom)
    with django_capture_on_commit_callbacks(execute=True):
        dataset = services.dataset_upload(
            actor=world.user("data_analyst"),
            source=source,
            title="",
            uploaded_file=SimpleUploadedFile("r.csv", messy_csv),
        )
    job = dataset.jobs.get()
    assert job.status == DatasetJob.Status.FAILED
    assert job.error_message == services.GENERIC_FAILURE
    assert "Ayesha" not in caplog.text
    assert "ValueError" in caplog.text
