"""How fast is ``protect_table`` on a 1,000,000-row file?

Builds a three-way table with margins (ward × age band × need) from a
one-million-row CSV, streaming it through the shared reader, and protects it
with primary and secondary suppression; then the same for a magnitude table
(sum of an amount, with the dominance rules). Prints a markdown section for
``docs/benchmarks/disclosure.md``.

Usage::

    python benchmarks/tables_speed.py                 # make a synthetic 1M-row file
    python benchmarks/tables_speed.py --file data.csv --by ward,age_band,need --value amount

If ``benchmarks/make_benchmark_file.py`` is present, its file can be given
with ``--file``; without it the benchmark makes its own seeded file.
"""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import polars as pl

from community_insights.safety.disclosure import protect_table
from community_insights.safety.disclosure.tables import aggregate, build_cube


def make_file(path: Path, rows: int, seed: int = 20240601) -> None:
    """A seeded file with realistic skew: a few big wards, rare needs, a long tail."""

    rng = np.random.default_rng(seed)
    wards = [f"Ward {i:02d}" for i in range(25)]
    ward_p = np.array([1.0 / (i + 1) ** 0.8 for i in range(25)])
    bands = ["0-15", "16-24", "25-34", "35-44", "45-54", "55-64", "65-74", "75+"]
    band_p = np.array([0.18, 0.12, 0.16, 0.15, 0.14, 0.12, 0.08, 0.05])
    needs = ["food", "fuel", "housing", "debt", "isolation", "care leaver"]
    need_p = np.array([0.4, 0.3, 0.15, 0.1, 0.04999, 0.00001])
    frame = pl.DataFrame(
        {
            "ward": rng.choice(wards, rows, p=ward_p / ward_p.sum()),
            "age_band": rng.choice(bands, rows, p=band_p / band_p.sum()),
            "need": rng.choice(needs, rows, p=need_p / need_p.sum()),
            "amount": np.round(rng.lognormal(4.0, 1.0, rows), 2),
        }
    )
    frame.write_csv(path)


def peak_rss_mib() -> float | None:
    try:
        import resource

        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    except ImportError:  # pragma: no cover - not on Linux
        return None


def run(path: Path, by: list[str], value: str) -> None:
    rows = pl.scan_csv(path).select(pl.len()).collect().item()
    print("## Disclosure control (`insights table`)\n")
    print(
        f"Machine: {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"polars {pl.__version__}. File: {rows:,} rows, {path.stat().st_size / 1e6:.0f} MB CSV.\n"
    )
    print(
        "| Table | Cells (with margins) | Read + aggregate | Suppression | Total "
        "| Hidden: primary / secondary | LP solves |"
    )
    print("|---|---|---|---|---|---|---|")
    for statistic in ("count", "sum"):
        started = time.perf_counter()
        stats = aggregate(path, by, statistic=statistic, value=value if statistic != "count" else None)  # type: ignore[arg-type]
        build_cube(stats)
        aggregate_s = time.perf_counter() - started
        started = time.perf_counter()
        table = protect_table(path, by=by, statistic=statistic, value=value if statistic != "count" else None)  # type: ignore[arg-type]
        total_s = time.perf_counter() - started
        meta = table.metadata
        secondary = meta.hidden_by_rule.get("secondary", 0)
        primary = meta.hidden - secondary
        label = f"{statistic} by {' × '.join(by)}" + (f" (of {value})" if statistic != "count" else "")
        print(
            f"| {label} | {meta.cells:,} | {aggregate_s:.1f} s | {meta.audit.get('seconds', 0):.1f} s | "
            f"{total_s:.1f} s | {primary} / {secondary} | {meta.audit.get('lp_solves', 0)} |"
        )
    rss = peak_rss_mib()
    if rss is not None:
        print(f"\nPeak resident memory of the process (both tables): {rss:,.0f} MiB.")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--file", type=Path, help="An existing file (default: make a synthetic one).")
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--by", default="ward,age_band,need")
    parser.add_argument("--value", default="amount")
    args = parser.parse_args()
    by = [c.strip() for c in args.by.split(",")]
    if args.file:
        run(args.file, by, args.value)
        return
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "benchmark.csv"
        make_file(path, args.rows)
        # A fresh process, so peak memory is the table's, not the file generator's.
        command = [sys.executable, __file__, "--file", str(path), "--by", args.by, "--value", args.value]
        subprocess.run(command, check=True)


if __name__ == "__main__":
    main()
