"""``insights demo``, ``insights serve`` and ``insights createadmin`` as real processes.

The portal is started exactly as ``make run`` starts it, on a SQLite file in a
temporary folder, and must answer its landing page with GOV.UK Frontend markup.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

INSIGHTS = [str(Path(sys.executable).parent / "insights")]


def _env(data_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"DJANGO_SETTINGS_MODULE", "DATABASE_URL"}}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "community_insights.portal.config.settings.local",
            "INSIGHTS_DATA_DIR": str(data_dir),
            "DJANGO_LOG_LEVEL": "WARNING",
        }
    )
    return env


def _run(args: list[str], env: dict[str, str], **kwargs: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*INSIGHTS, *args], env=env, capture_output=True, text=True, timeout=240, **kwargs)  # type: ignore[call-overload,no-any-return]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _counts(db: Path) -> tuple[int, int, int]:
    with sqlite3.connect(db) as conn:
        return (
            conn.execute("select count(*) from people_user").fetchone()[0],
            conn.execute("select count(*) from people_organisation").fetchone()[0],
            conn.execute("select count(*) from projects_project").fetchone()[0],
        )


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data_dir = tmp_path_factory.mktemp("portal") / "var"
    result = _run(["demo"], _env(data_dir))
    assert result.returncode == 0, result.stderr
    assert "Demo programme ready" in result.stdout
    return data_dir


@pytest.mark.slow
def test_demo_loads_a_programme_and_is_idempotent(demo_dir: Path) -> None:
    db = demo_dir / "insights.sqlite3"
    users, organisations, projects = _counts(db)
    assert organisations >= 5  # a council and four VCS organisations (and the facilitator's)
    assert projects >= 4
    with sqlite3.connect(db) as conn:
        phases = {row[0] for row in conn.execute("select phase from projects_project")}
    assert phases == {1, 2, 3, 4}, "a project in every phase of the guide"
    again = _run(["demo"], _env(demo_dir))
    assert again.returncode == 0, again.stderr
    assert _counts(db) == (users, organisations, projects)


@contextlib.contextmanager
def _serving(
    demo_dir: Path, *extra: str, env: dict[str, str] | None = None
) -> Iterator[tuple[subprocess.Popen[str], int, dict[str, int]]]:
    """``insights serve`` on a free port, answering its landing page; stopped with SIGTERM afterwards.

    Yields the process, the port and a dict that holds its exit code once the block ends.
    """
    port = _free_port()
    proc = subprocess.Popen(
        [*INSIGHTS, "serve", "--port", str(port), "--workers", "1", *extra],
        env={**_env(demo_dir), **(env or {})},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    result: dict[str, int] = {}
    try:
        started = time.monotonic()
        while True:
            try:
                assert _get(port) == 200
                break
            except OSError:
                assert proc.poll() is None and time.monotonic() - started < 90, "insights serve did not start"
                time.sleep(0.3)
        yield proc, port, result
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            result["code"] = proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            raise


def _get(port: int, path: str = "/") -> int:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=5) as response:
        return int(response.status)


@pytest.mark.slow
def test_serve_answers_the_landing_page_then_stops_cleanly(demo_dir: Path) -> None:
    with _serving(demo_dir) as (proc, port, result):
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as response:
            html = response.read().decode()
        assert "govuk-template" in html and "govuk-header" in html, "the landing page uses GOV.UK Frontend"
        if "Ways of working" not in html:
            # The demo runs two programmes, so a visitor's front page lists them: follow the first.
            first = html.split('href="/programmes/', 1)[1].split('"', 1)[0]
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/programmes/{first}", timeout=5) as response:
                html = response.read().decode()
        assert "Ways of working" in html
        css = html.split('href="/static/core/insights.', 1)[1].split('"', 1)[0]
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/static/core/insights.{css}", timeout=5) as r:
            assert r.status == 200 and "govuk-" in r.read().decode()
    assert result["code"] == 0, "a clean stop on SIGTERM"
    # No child (gunicorn, db_worker) outlives the command.
    time.sleep(0.5)
    with pytest.raises(ProcessLookupError):
        os.killpg(proc.pid, 0)


@pytest.mark.slow
def test_createadmin_makes_a_staff_account_and_rejects_bad_input(demo_dir: Path) -> None:
    env = {**_env(demo_dir), "INSIGHTS_ADMIN_PASSWORD": "a-long-and-unusual-passphrase"}
    ok = _run(["createadmin", "--email", "Admin@Council.example", "--name", "Ada Admin"], env)
    assert ok.returncode == 0, ok.stderr
    with sqlite3.connect(demo_dir / "insights.sqlite3") as conn:
        row = conn.execute("select is_staff, is_active from people_user where email='admin@council.example'").fetchone()
    assert row == (1, 1)
    bad = _run(["createadmin", "--email", "not-an-email"], env)
    assert bad.returncode == 2
    assert "Traceback" not in bad.stderr and "email address" in bad.stderr
    weak = _run(["createadmin", "--email", "weak@council.example"], {**env, "INSIGHTS_ADMIN_PASSWORD": "password"})
    assert weak.returncode == 2 and "Traceback" not in weak.stderr


def _children_running(parent: int, marker: str) -> list[int]:
    """Process ids of *parent*'s children whose command line contains *marker* (Linux /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        if ppid == parent and marker in cmdline and stat.rsplit(")", 1)[1].split()[0] != "Z":
            found.append(int(entry.name))
    return found


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads child processes from /proc")
def test_a_killed_worker_is_restarted_and_the_site_stays_up(demo_dir: Path) -> None:
    with _serving(demo_dir, "--threads", "4") as (proc, port, result):
        started = time.monotonic()
        workers = _children_running(proc.pid, "db_worker")
        assert len(workers) == 1
        os.kill(workers[0], signal.SIGKILL)
        replaced: list[int] = []
        while time.monotonic() - started < 120 and not replaced:
            assert _get(port) == 200, "the web server answers while the worker is down"
            assert proc.poll() is None, "serve itself keeps running"
            replaced = [pid for pid in _children_running(proc.pid, "db_worker") if pid != workers[0]]
            time.sleep(0.2)
        assert replaced, "a new background worker was started"
        assert _get(port) == 200
    assert result["code"] == 0
    assert "background worker stopped" in (proc.stdout.read() if proc.stdout else "")


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads child processes from /proc")
def test_serve_starts_no_worker_when_workers_run_elsewhere(demo_dir: Path) -> None:
    with _serving(demo_dir, env={"INSIGHTS_WORKERS_ELSEWHERE": "true"}) as (proc, port, result):
        assert _children_running(proc.pid, "gunicorn"), "the web server runs"
        assert _children_running(proc.pid, "db_worker") == [] and _children_running(proc.pid, "rqworker") == []
        assert _get(port) == 200
    assert result["code"] == 0
    assert "Background workers run elsewhere" in (proc.stdout.read() if proc.stdout else "")
