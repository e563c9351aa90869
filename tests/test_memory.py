"""The peak-memory figure the bad-input and reader tests rely on measures the child, not its parent."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).parents[1]


def _child_peak_kib(code: str) -> int:
    script = f"{code}\nfrom tests.memory import peak_kib\nprint(peak_kib())"
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True)
    return int(done.stdout.split()[-1])


def test_a_child_that_holds_300_mib_reports_at_least_that() -> None:
    assert _child_peak_kib("block = bytearray(300 * 1024 * 1024)") >= 300 * 1024


def test_a_small_child_of_a_large_test_process_reports_its_own_small_peak() -> None:
    ballast = bytearray(600 * 1024 * 1024)  # this process grows; the child must not inherit the figure
    try:
        assert _child_peak_kib("pass") < 200 * 1024
    finally:
        del ballast
