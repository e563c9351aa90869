"""``insights worker`` on Redis: two real RQ worker processes, one killed mid-job; the job finishes exactly once.

The job is the portal's real complete export, asked for through its service
and queued on Redis by the RQ backend; the workers' settings only add a pause
after each step (``tests.cli.rq_area``), so that one worker can be killed with
SIGKILL while the job is half done. Everything else is the portal as it runs on
several machines: ``insights worker`` processes sharing one database and one
Redis, each looking for jobs whose worker died.
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import redis

INSIGHTS = [str(Path(sys.executable).parent / "insights")]
ROOT = Path(__file__).resolve().parents[2]
#: The suite's own Redis database, emptied before and after: never the portal's (database 0).
REDIS_URL = os.environ.get("INSIGHTS_TEST_REDIS_URL", "redis://127.0.0.1:6379/13")

pytestmark = [pytest.mark.slow, pytest.mark.skipif(sys.platform == "win32", reason="uses process groups")]


@pytest.fixture
def redis_db() -> Iterator[redis.Redis]:
    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2)
    try:
        client.ping()
    except redis.exceptions.ConnectionError:
        pytest.skip(f"Redis is not reachable at {REDIS_URL}: the RQ worker test needs a Redis server")
    client.flushdb()
    yield client
    client.flushdb()


def _env(data_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"DJANGO_SETTINGS_MODULE", "DATABASE_URL"}}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "tests.cli.rq_area.settings",
            "PYTHONPATH": os.pathsep.join([str(ROOT), *filter(None, [env.get("PYTHONPATH")])]),
            "INSIGHTS_DATA_DIR": str(data_dir),
            "DJANGO_LOG_LEVEL": "WARNING",
            "TASKS_BACKEND": "rq",
            "REDIS_URL": REDIS_URL,
            "INSIGHTS_JOB_HEARTBEAT_SECONDS": "0.5",
            "INSIGHTS_JOB_STALE_SECONDS": "5",
            "INSIGHTS_JOB_RECOVERY_SECONDS": "1",
        }
    )
    return env


def _job(db: Path, export_id: int) -> dict[str, Any]:
    with sqlite3.connect(db, timeout=20) as conn:
        conn.row_factory = sqlite3.Row
        row = conn.execute("select * from export_programmeexport where id = ?", (export_id,)).fetchone()
    return dict(row)


def _audit(db: Path, action: str) -> list[dict[str, Any]]:
    with sqlite3.connect(db, timeout=20) as conn:
        rows = conn.execute("select changes from core_auditentry where action = ? order by id", (action,)).fetchall()
    return [json.loads(changes) for (changes,) in rows]


def _wait_for(what: str, check: Any, timeout: float) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = check()
        if found:
            return found
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


def _start_worker(env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    with log.open("wb") as out:
        return subprocess.Popen(
            [*INSIGHTS, "worker"], env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )


def test_a_job_whose_worker_is_killed_finishes_once_on_the_other(tmp_path: Path, redis_db: redis.Redis) -> None:
    env = _env(tmp_path / "var")
    db = tmp_path / "var" / "insights.sqlite3"
    migrated = subprocess.run([*INSIGHTS, "manage", "migrate", "-v0"], env=env, capture_output=True, timeout=300)
    assert migrated.returncode == 0, migrated.stderr
    asked = subprocess.run(
        [sys.executable, "-m", "tests.cli.rq_area.request_export"], env=env, capture_output=True, text=True, timeout=120
    )
    assert asked.returncode == 0, asked.stderr
    export_id = int(asked.stdout.strip())
    assert redis_db.llen("rq:queue:default") == 1, "the request queued one task on Redis"

    workers = [_start_worker(env, tmp_path / f"worker-{n}.log") for n in (1, 2)]
    try:
        # Honest progress while it runs: a count of steps out of a known total, written to the job's row.
        running = _wait_for(
            "the export to make progress",
            lambda: (job := _job(db, export_id))["status"] == "running" and job["rows_done"] >= 5 and job,
            timeout=180,
        )
        assert running["rows_total"] > running["rows_done"] and running["attempts"] == 1
        (first,) = _audit(db, "tests.export_attempt")
        victim = next(w for w in workers if w.pid == first["worker_group"])
        survivor = next(w for w in workers if w is not victim)
        os.killpg(victim.pid, signal.SIGKILL)  # the worker and its supervising command, as if the machine died
        os.kill(first["pid"], signal.SIGKILL)  # and RQ's child that ran the job (it has a process group of its own)
        killed_at = time.monotonic()
        victim.wait(timeout=10)
        killed = _job(db, export_id)
        assert killed["status"] == "running" and killed["attempts"] == 1, "a killed job stays running until restarted"
        assert _audit(db, "export.export_finished") == []

        _wait_for("the second attempt", lambda: len(_audit(db, "tests.export_attempt")) == 2, timeout=120)
        restarted_after = time.monotonic() - killed_at
        print(f"The killed job started again on the other worker {restarted_after:.1f} s after the kill.")
        assert restarted_after >= 4, "restarted only once its heartbeat had been silent for the stale time (5 s)"

        done = _wait_for(
            "the other worker to finish the export",
            lambda: (job := _job(db, export_id))["status"] in ("succeeded", "failed") and job,
            timeout=240,
        )
        assert (done["status"], done["attempts"]) == ("succeeded", 2), done["error_message"]
        assert done["rows_done"] == done["rows_total"] == running["rows_total"]
        attempts = _audit(db, "tests.export_attempt")
        assert [a["attempt"] for a in attempts] == [1, 2]
        assert attempts[1]["worker_group"] == survivor.pid, "the surviving worker ran the second attempt"
        time.sleep(3)  # several recovery passes later, nothing runs it again
        assert len(_audit(db, "export.export_finished")) == 1, "the export finished exactly once"
        assert _job(db, export_id)["attempts"] == 2
        stored = [p for p in (tmp_path / "var").rglob(Path(done["stored_name"]).name) if p.is_file()]
        assert done["stored_name"] and len(stored) == 1, "its one encrypted file was stored"
        survivor.send_signal(signal.SIGTERM)
        assert survivor.wait(timeout=30) == 0, "a clean stop on SIGTERM"
    finally:
        for worker in workers:
            if worker.poll() is None:
                os.killpg(worker.pid, signal.SIGKILL)
                worker.wait()
