"""The readers' property tests, run in a process of their own whose peak memory is measured.

Why a child process: the peak resident size of this process (``resource``) is
the highest it ever was, whatever ran before; the child reports its own
(``tests/memory.py`` says why the parent's ``os.wait4`` figure would not do). Any bytes and any CSV shape must be
read or refused within bounded memory, not just without a traceback.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ONE_GIB_KIB = 1024 * 1024
CHILD = """
from tests.safety import test_readers_fuzz as fuzz
fuzz.test_any_bytes_are_read_or_refused_in_one_sentence()
fuzz.test_any_csv_shape_is_read_or_refused_in_one_sentence()
from tests.memory import peak_kib
print(peak_kib())
"""


@pytest.mark.slow
def test_the_reader_properties_stay_under_one_gib() -> None:
    root = Path(__file__).parents[2]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(root / "src"), str(root), *sys.path])}
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD], cwd=root, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    stdout, stderr = child.communicate()
    assert child.returncode == 0, stderr.decode(errors="replace")[-2000:]
    peak = int(stdout.decode().split()[-1])
    assert peak < ONE_GIB_KIB, f"peak memory {peak // 1024} MiB"
