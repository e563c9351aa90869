"""A worker killed mid-check: its job is found and restarted, by ``insights serve`` and by the command.

The slow test does it for real: a background worker process runs a data safety
check on a file big enough to take several seconds, is sent SIGKILL while the
job is running, and a new worker plus the recovery finish it on the second
attempt. It uses its own database (a SQLite file, or a scratch PostgreSQL
database when ``DATABASE_URL`` points at PostgreSQL), since several processes
must share it.
"""

from __future__ import annotations

import datetime as dt
import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.utils import timezone

from community_insights.cli.portal import recover_stale_jobs_periodically
from community_insights.portal.core.models import AuditEntry
from community_insights.portal.datasets.models import CheckResult, DatasetJob, DataSource
from tests.portal.access import World
from tests.portal.datasets.test_jobs import _upload_with_killed_worker

INSIGHTS = str(Path(sys.executable).parent / "insights")
ROWS = 30_000  # a synthetic case-management export; its check takes well over a few seconds


def _wait_for(condition: Callable[[], Any], *, timeout: float, what: str, interval: float = 0.2) -> Any:
    """Poll until ``condition()`` is truthy; fail saying what never happened."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            pytest.fail(f"Timed out after {timeout:.0f} s waiting for {what}.")
        time.sleep(interval)


# -- the recovery loop of `insights serve`, in process ---------------------------------------


def _make_stale(job: DatasetJob) -> None:
    DatasetJob.objects.filter(pk=job.pk).update(heartbeat_at=timezone.now() - dt.timedelta(hours=1))


class _Passes(threading.Event):
    """Stands in for the clock between passes: runs ``between`` after each pass, stops after ``count``."""

    def __init__(self, count: int, between: Callable[[int], None]) -> None:
        super().__init__()
        self.count, self.between, self.waits = count, between, []  # type: ignore[var-annotated]

    def wait(self, timeout: float | None = None) -> bool:
        self.waits.append(timeout)
        if len(self.waits) >= self.count:
            return True
        self.between(len(self.waits))
        return False


@pytest.mark.django_db(transaction=True)
def test_serve_restarts_stopped_jobs_at_start_and_then_every_interval(
    world: World, source: DataSource, messy_csv: bytes, monkeypatch: Any, django_capture_on_commit_callbacks: Any
) -> None:
    first = _upload_with_killed_worker(world, source, messy_csv, monkeypatch, django_capture_on_commit_callbacks)
    _make_stale(first)
    later: list[DatasetJob] = []

    def between(passes: int) -> None:
        # After the first pass the stale job has been restarted and finished;
        # then another worker dies, and the next pass must find its job too.
        first.refresh_from_db()
        assert first.status == DatasetJob.Status.SUCCEEDED
        job = _upload_with_killed_worker(world, source, messy_csv, monkeypatch, django_capture_on_commit_callbacks)
        _make_stale(job)
        later.append(job)

    passes = _Passes(2, between)
    recover_stale_jobs_periodically(passes, 60)  # returns once told to stop
    assert passes.waits == [60, 60], "a pass at start, then one a minute"
    for job in (first, *later):
        job.refresh_from_db()
        assert job.status == DatasetJob.Status.SUCCEEDED and job.attempts == 2
        assert CheckResult.objects.filter(job=job).exists()
    assert AuditEntry.objects.filter(action="datasets.job_retry").count() == 2


@pytest.mark.django_db(transaction=True)
def test_a_failing_pass_does_not_stop_serving(monkeypatch: Any, caplog: Any) -> None:
    from community_insights.portal.datasets import services

    def broken(**kwargs: Any) -> list[DatasetJob]:
        raise RuntimeError("a value from a cell")

    monkeypatch.setattr(services, "retry_stale_jobs", broken)
    passes = _Passes(3, lambda n: None)
    recover_stale_jobs_periodically(passes, 60)
    assert len(passes.waits) == 3, "it keeps trying after a failed pass"
    assert "RuntimeError" in caplog.text and "a value from a cell" not in caplog.text


# -- a real worker process, really killed ------------------------------------------------------

SETUP = """
import sys
from pathlib import Path

import django

django.setup()
from django.core.files import File
from django.core.management import call_command

call_command("migrate", "--noinput", verbosity=0)
from community_insights.portal.datasets import services
from community_insights.portal.datasets.models import DataSource
from community_insights.portal.people.models import Organisation, User
from community_insights.portal.projects.models import Project, ProjectRole
from community_insights.safety.synth import write_export

council = Organisation.objects.create(name="Northmoor Borough Council", kind=Organisation.Kind.COUNCIL)
analyst = User.objects.create_user(
    email="analyst@council.example", password="a-long-test-password", full_name="Ana Lyst", organisation=council
)
project = Project.objects.create(title="Referrals", slug="referrals", question="Who is referred?", phase=2)
ProjectRole.objects.create(project=project, user=analyst, role="data_analyst")
source = DataSource.objects.create(
    project=project, name="Referrals export", category="internal_council", owner_organisation=council
)
path = write_export(Path(sys.argv[1]), int(sys.argv[2]), seed=7)
with path.open("rb") as handle:
    dataset = services.dataset_upload(
        actor=analyst, source=source, title="Referrals", uploaded_file=File(handle, name="referrals.csv")
    )
print(dataset.jobs.get().pk)
"""


@pytest.fixture
def worker_database(tmp_path: Path) -> Iterator[tuple[dict[str, str], Callable[[str, tuple[Any, ...]], Any]]]:
    """An environment for portal processes sharing one fresh database, and a way to query it."""
    env = {k: v for k, v in os.environ.items() if k not in {"DJANGO_SETTINGS_MODULE", "DATABASE_URL"}}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "community_insights.portal.config.settings.local",
            "INSIGHTS_DATA_DIR": str(tmp_path / "var"),
            "DJANGO_LOG_LEVEL": "WARNING",
            "INSIGHTS_JOB_HEARTBEAT_SECONDS": "1",
            "INSIGHTS_JOB_STALE_SECONDS": "4",
        }
    )
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://")):
        import psycopg

        name = f"ci_worker_kill_{os.getpid()}_{int(time.time())}"
        parts = urlsplit(url)
        # The server's maintenance database: the one DATABASE_URL names may not exist (tests use test_<name>).
        admin_url = urlunsplit(parts._replace(scheme="postgresql", path="/postgres"))
        with psycopg.connect(admin_url, autocommit=True) as admin:
            admin.execute(f'CREATE DATABASE "{name}"')
        env["DATABASE_URL"] = urlunsplit(parts._replace(path=f"/{name}"))
        scratch = urlunsplit(parts._replace(scheme="postgresql", path=f"/{name}"))

        def query(sql: str, params: tuple[Any, ...]) -> Any:
            with psycopg.connect(scratch, autocommit=True) as conn:
                return conn.execute(sql.replace("?", "%s"), params).fetchone()

        try:
            yield env, query
        finally:
            with psycopg.connect(admin_url, autocommit=True) as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    else:
        db = tmp_path / "var" / "insights.sqlite3"

        def query(sql: str, params: tuple[Any, ...]) -> Any:
            with sqlite3.connect(db, timeout=30) as conn:
                return conn.execute(sql, params).fetchone()

        yield env, query


def _start_worker(env: dict[str, str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [INSIGHTS, "manage", "db_worker", "--interval", "0.2", "--no-startup-delay", "--no-reload"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )


def _stop(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=30)


@pytest.mark.slow
def test_a_worker_killed_mid_check_is_retried_and_finishes(worker_database: Any, tmp_path: Path) -> None:
    env, query = worker_database
    setup = subprocess.run(
        [sys.executable, "-c", SETUP, str(tmp_path / "referrals.csv"), str(ROWS)],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert setup.returncode == 0, setup.stderr[-3000:]
    job_id = int(setup.stdout.strip().splitlines()[-1])

    def job() -> tuple[str, int]:
        row = query("select status, attempts from datasets_datasetjob where id = ?", (job_id,))
        return str(row[0]), int(row[1])

    assert job() == ("queued", 0)

    first = _start_worker(env)
    try:
        _wait_for(lambda: job()[0] != "queued", timeout=180, what="the first worker to start the check")
        os.killpg(first.pid, signal.SIGKILL)
        first.wait(timeout=30)
    finally:
        _stop(first)
    assert first.returncode == -signal.SIGKILL
    assert job() == ("running", 1), f"the check must still be running when the worker dies (rows: {ROWS})"

    second = _start_worker(env)
    try:
        # The dead worker's heartbeat goes stale after a few seconds; recovery then re-queues the job.
        def recovered() -> bool:
            result = subprocess.run(
                [INSIGHTS, "retry-stale-jobs"], env=env, capture_output=True, text=True, timeout=120
            )
            assert result.returncode == 0, result.stderr[-3000:]
            return result.stdout.startswith("1 job(s)")

        _wait_for(recovered, timeout=180, interval=1, what="recovery to re-queue the stale job")
        _wait_for(lambda: job()[0] in {"succeeded", "failed"}, timeout=600, what="the restarted check to finish")
    finally:
        _stop(second)

    assert job() == ("succeeded", 2)
    (results,) = query("select count(*) from datasets_checkresult where job_id = ?", (job_id,))
    assert results == 1
    (retries,) = query("select count(*) from core_auditentry where action = ?", ("datasets.job_retry",))
    assert retries == 1
