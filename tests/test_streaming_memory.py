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

The rows come from this test's own small generators (not the synthetic
exports the benchmarks use). The first draws from a fixed pool of postcodes,
dates of birth, names and notes, so every combination is already present in
the smaller file. The second is shaped like the benchmark's export (exact
dates of birth, full postcodes, NHS numbers, sensitive columns) and, as the
benchmark's ten-million-row file is made, the larger file is the smaller one's
records written four times over, each copy with its own case references: the
safe copy's plan then generalises dates and postcodes, suppresses small groups
and makes pseudonyms, and the larger file's combinations are the smaller one's.
"""

from __future__ import annotations

import os
import random
import subprocess
import sys
from pathlib import Path

import polars as pl
import pytest

from community_insights.safety.detectors.identifiers import nhs_check_digit

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


def _assert_flat(files: dict[int, Path], command: str, rows: int = ROWS) -> None:
    small, large = (files[n] for n in (rows, 4 * rows))
    extra_mib = (large.stat().st_size - small.stat().st_size) / 2**20
    assert extra_mib > BOUND_MIB  # holding the extra rows, even as bare text, would break the bound
    peaks = [_peak_mib(command, path, n) for path, n in ((small, rows), (large, 4 * rows))]
    assert peaks[1] - peaks[0] < BOUND_MIB, f"peak {peaks[0]:.0f} MiB on {rows:,} rows, {peaks[1]:.0f} MiB on 4×"


@pytest.mark.slow
def test_the_check_peak_memory_does_not_grow_with_the_rows(files: dict[int, Path]) -> None:
    _assert_flat(files, _CHECK)


@pytest.mark.slow
def test_a_safe_copy_peak_memory_does_not_grow_with_the_rows(files: dict[int, Path]) -> None:
    _assert_flat(files, _REDACT)


#: Records of the export-shaped file, and the rows of a batch its safe copy reads (smaller than the
#: default, so that the test reads as many batches as a file ten times its size would).
RECORDS = 150_000
BATCH_ROWS = 25_000
_AREAS = ["E", "N", "SE", "NW", "OL", "B", "LS", "M"]
_WARDS = ["Plaistow", "Green", "Stratford", "Canning Town", "Forest Gate", "Beckton", "Manor Park", "Custom House"]
_ETHNICITY = ["White British", "Indian", "Black African", "Polish", "Chinese", "Pakistani", "Irish", "Mixed"]
_RELIGION = ["Christian", "Muslim", "Hindu", "Sikh", "No religion", "Prefer not to say"]
_STREETS = ["Grace Street", "High Street", "Barking Road", "Romford Road", "Green Street", "Victoria Avenue"]
_HEALTH = ["None", "Asthma", "Diabetes", "Depression", "Arthritis", "Hearing loss"]


def _export_records(records: int) -> pl.DataFrame:
    """``records`` people drawn with a fixed seed: nearly every one a combination of their own."""

    rng = random.Random(21)
    nhs: list[str] = []
    body = 100_000_000
    while len(nhs) < records:
        body += 7_919
        check = nhs_check_digit(str(body))
        if check is not None:
            nhs.append(f"{body}{check}")
    letters = "ABDEFGHJLNPQRSTUWXYZ"

    def postcode() -> str:
        unit = rng.choice(letters) + rng.choice(letters)
        return f"{rng.choice(_AREAS)}{rng.randint(1, 20)} {rng.randint(1, 9)}{unit}"

    names = [(rng.choice(_GIVEN), rng.choice(_FAMILY)) for _ in range(records)]
    return pl.DataFrame(
        {
            "client_name": [f"{given} {family}" for given, family in names],
            "dob": [f"{rng.randint(1, 28):02d}/{rng.randint(1, 12):02d}/{rng.randint(1930, 2008)}" for _ in nhs],
            "nhs_no": nhs,
            "address_1": [f"Flat {rng.randint(1, 40)}, {rng.randint(1, 300)} {rng.choice(_STREETS)}" for _ in nhs],
            "postcode": [postcode() for _ in range(records)],
            "contact": [f"{given}.{family}{rng.randint(10, 99)}@mail.example.org".lower() for given, family in names],
            "tel": [f"07700 9{rng.randint(0, 99_999):05d}" for _ in nhs],
            "gender": [rng.choice(("Female", "Male")) for _ in range(records)],
            "ethnicity": [rng.choice(_ETHNICITY) for _ in range(records)],
            "religion": [rng.choice(_RELIGION) for _ in range(records)],
            "health_condition": [rng.choice(_HEALTH) for _ in range(records)],
            "ward": [rng.choice(_WARDS) for _ in range(records)],
        }
    )


def _write_copies(path: Path, records: pl.DataFrame, copies: int) -> None:
    """``records`` written ``copies`` times over, each copy with its own case references."""

    with path.open("wb") as out:
        for copy in range(copies):
            case_ref = pl.format("CI-{}{}", pl.lit(copy), pl.int_range(pl.len()).cast(pl.String).str.zfill(8))
            records.select(case_ref.alias("case_ref"), pl.all()).write_csv(out, include_header=copy == 0)


_REDACT_PLANNED = f"""
import sys
from pathlib import Path
from community_insights.safety import redact_dataset
source = Path(sys.argv[1])
plan, key, out = (source.with_suffix(s) for s in (".plan.yaml", ".key", ".safe.csv"))
result = redact_dataset(source, plan, key, out, workers=0, batch_rows={BATCH_ROWS})
assert result.source.rows == int(sys.argv[2]) and result.small_groups.records_generalised
"""


@pytest.fixture(scope="module")
def repeated(tmp_path_factory: pytest.TempPathFactory) -> dict[int, Path]:
    """The export-shaped records once and four times over, with one plan and key for both.

    The plan is the engine's own for the records' first 20,000 (planning runs the check, which on
    the whole files would take longer than the copies): the same columns, the same decisions, and
    no file's checksum in it, so it applies to both files alike.
    """

    import dataclasses
    import datetime as dt

    from community_insights.safety import keygen, plan_dataset, save_plan
    from community_insights.safety.types import Action

    folder = tmp_path_factory.mktemp("repeated")
    records = _export_records(RECORDS)
    sample = folder / "sample.csv"
    _write_copies(sample, records.head(20_000), 1)
    plan = plan_dataset(sample, reference_date=dt.date(2026, 1, 1), min_group_size=10, pseudonymise=["nhs_no"])
    plan = dataclasses.replace(plan, source=dataclasses.replace(plan.source, sha256=None))
    actions = {r.column: r.action for r in plan.columns}
    assert actions["nhs_no"] is Action.PSEUDONYMISE and actions["case_ref"] is Action.HASH_FILE_REFERENCE
    assert actions["dob"] is Action.GENERALISE and {"dob", "postcode"} <= set(plan.effective_quasi_identifiers())
    made = {}
    for copies in (1, 4):
        path = made[copies * RECORDS] = folder / f"copies-{copies}" / "referrals.csv"
        path.parent.mkdir()
        _write_copies(path, records, copies)
        save_plan(plan, path.with_suffix(".plan.yaml"))
        keygen(path.with_suffix(".key"))
    return made


@pytest.mark.slow
def test_a_safe_copy_of_repeated_records_does_not_grow_with_the_rows(repeated: dict[int, Path]) -> None:
    """Four times the records, the same combinations: the peak stays within the bound.

    Why this file besides the pooled one: its plan pseudonymises identifiers that differ in
    every row and its copy keeps sensitive columns beside small groups that suppression
    coarsened, which is where a safe copy once held memory that grew with the rows read.
    """

    _assert_flat({RECORDS: repeated[RECORDS], 4 * RECORDS: repeated[4 * RECORDS]}, _REDACT_PLANNED, rows=RECORDS)
