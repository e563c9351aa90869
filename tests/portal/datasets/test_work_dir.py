"""Decrypted working copies of a killed worker are swept at once, not after hours."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from community_insights.portal.datasets import storage


def _dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_leftovers_of_a_dead_process_go_at_once_and_live_ones_stay(dataset_folders: dict[str, Path]) -> None:
    work = storage.work_dir()
    dead = work / f"job-{_dead_pid()}-0123456789abcdef"
    dead.mkdir(mode=0o700)
    (dead / "survey.csv").write_text("name\nZebedee Quockerwodger\n", encoding="utf-8")
    stray = work / f"seal-{_dead_pid()}-0123456789abcdef.enc"
    stray.write_bytes(b"x")
    killed_upload = work / f"upload-{_dead_pid()}-0123456789abcdef"  # a request killed mid-upload
    killed_upload.mkdir(mode=0o700)
    (killed_upload / "upload.enc").write_bytes(b"CIENC1")
    parent_alive = work / f"job-{os.getppid()}-0123456789abcdef"
    parent_alive.mkdir(mode=0o700)
    with storage.private_file("mine.csv") as mine:
        mine.write_text("a\n", encoding="utf-8")
        assert storage.sweep_work_dir() == 3
        assert mine.exists(), "this process's own working copy stays"
    assert not dead.exists() and not stray.exists() and not killed_upload.exists()
    assert parent_alive.exists(), "a running process's folder stays until it is old"
    assert str(os.getpid()) in mine.parent.name
