"""The check and a safe copy stream: their peak memory does not grow with the number of rows.

Why: a combined authority checks ten million rows on one machine; the default
(Polars) path must read, check and redact them batch by batch, holding state
that grows with what is distinct (combinations, areas, values), never with the
rows. Each command runs in a child process that reports the peak of the memory
it allocates (``tests/memory.AnonymousPeak``: not the file's own pages, which
the reader maps and the kernel may drop at will), once on
a file of N rows and once on a file of 4N rows drawn from the same values;
the peaks must differ by less than :data:`BOUND_MIB`, while the larger file
holds more extra text than that. Nothing is timed.

The rows come from this test's own small generator (not the synthetic
exports the benchmarks use): a fixed pool of postcodes, dates of birth,
names and notes, so every combination is already present in the smaller file.
"""

from __future__ import annotations

import os
import random
import subprocess
import sys
from pathlib import Path

import polars as pl
import pytest

ROOT = Path(__file__).parents[1]
ROWS = 200_000
#: The larger file's peak may exceed the smaller one's by less than this.
BOUND_MIB = 64

_POSTCODES = [f"{area}{d} 4AB" for area in ("NW", "SE", "E", "N") for d in range(1, 6)]
_GIVEN = ["Amina", "Tomasz", "Grace", "Oluwaseun", "Priya", "Declan", "Mei", "Kwame", "Fatima", "Rhys"]
_FAMILY = ["Okafor", "Nowak", "Patel", "Murphy", "Chen", "Hussain", "Evans", "Mensah", "Khan", "Jones"]
_NOTES = [
    "Called {name} on 07700 900{n:03d}; no answer, will try again next week.",
    "Home visit with {name}. Daughter present. Referred to the food bank.",
    "{name} asked about the Warm Home Discount; sent the form by post.",
    "No contact this month.",
]


def _write_rows(path: Path, rows: int) -> None:
    """``rows`` records drawn, with a fixed seed, from the same small pools whatever the count."""

    pick = random.Random(20).choice
    names = [f"{g} {f}" for g in _GIVEN for f in _FAMILY]
    dates = [f"19{y:02d}-0{m}-1{d}" for y in range(40, 90, 7) for m in range(1, 4) for d in range(3)]
    notes = [t.format(name=n, n=i) for i, n in enumerate(names[:30]) for t in _NOTES]
    pl.DataFrame(
        {
            "case_id": [f"R{i:08d}" for i in range(rows)],
            "name": [pick(names) for _ in range(rows)],
            "date_of_birth": [pick(dates) for _ in range(rows)],
            "gender": [pick(("Female", "Male")) for _ in range(rows)],
            "ethnicity": [pick(("White British", "Indian", "Black African", "Polish", "Chinese")) for _ in range(rows)],
            "postcode": [pick(_POSTCODES) for _ in range(rows)],
            "notes": [pick(notes) for _ in range(rows)],
        }
    ).write_csv(path)


_CHECK = """
import sys
from community_insights.safety import CheckOptions, check_dataset
report = check_dataset(sys.argv[1], CheckOptions(workers=0))
assert report.summary.verdict.value and report.source.rows_checked == int(sys.argv[2])
"""

_REDACT = """
import datetime as dt, sys
from pathlib import Path
from community_insights.safety import keygen, plan_dataset, redact_dataset
source, out = Path(sys.argv[1]), Path(sys.argv[1]).with_suffix(".safe.csv")
plan = plan_dataset(source, reference_date=dt.date(2026, 1, 1), min_group_size=3, pseudonymise=["name"])
key = keygen(source.with_suffix(".key"))
result = redact_dataset(source, plan, key, out, workers=0)
assert result.source.rows == int(sys.argv[2]) and out.stat().st_size
"""


def _peak_mib(code: str, path: Path, rows: int) -> float:
    body = "".join(f"    {line}\n" for line in code.strip().splitlines())
    script = f"from tests.memory import AnonymousPeak\nwith AnonymousPeak() as peak:\n{body}print(peak.kib)"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), str(ROOT), *sys.path])}
    done = subprocess.run(
        [sys.executable, "-c", script, str(path), str(rows)], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return int(done.stdout.split()[-1]) / 1024


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[int, Path]:
    folder = tmp_path_factory.mktemp("streaming")
    made = {}
    for rows in (ROWS, 4 * ROWS):
        made[rows] = folder / f"rows-{rows}" / "referrals.csv"
        made[rows].parent.mkdir()
        _write_rows(made[rows], rows)
    return made


def _assert_flat(files: dict[int, Path], command: str) -> None:
    small, large = (files[n] for n in (ROWS, 4 * ROWS))
    extra_mib = (large.stat().st_size - small.stat().st_size) / 2**20
    assert extra_mib > BOUND_MIB  # holding the extra rows, even as bare text, would break the bound
    peaks = [_peak_mib(command, path, rows) for path, rows in ((small, ROWS), (large, 4 * ROWS))]
    assert peaks[1] - peaks[0] < BOUND_MIB, f"peak {peaks[0]:.0f} MiB on {ROWS:,} rows, {peaks[1]:.0f} MiB on 4×"


@pytest.mark.slow
def test_the_check_peak_memory_does_not_grow_with_the_rows(files: dict[int, Path]) -> None:
    _assert_flat(files, _CHECK)


@pytest.mark.slow
def test_a_safe_copy_peak_memory_does_not_grow_with_the_rows(files: dict[int, Path]) -> None:
    _assert_flat(files, _REDACT)
