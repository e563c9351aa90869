"""How fast are ``insights chart`` and ``insights map`` on a 1,000,000-row safe copy?

Makes the same seeded 1,000,000-row file as ``tables_speed.py`` (25 wards
with a long tail, 8 age bands, 6 needs, one very rare), a fictional 25-ward
boundary file to match, and then, in a fresh process (so peak memory is the
outputs', not the file generator's), times:

* a bar chart of people by ward (25 bars) written as SVG;
* a stacked chart of age band × need (48 parts) written as SVG;
* a choropleth of people by ward, neighbours from shared borders, as SVG;
* the same map as HTML (SVG, caption and data table).

Each includes reading the whole file, protecting the table and rendering
offline. Prints a markdown section for ``docs/benchmarks/outputs.md``.

Usage::

    python benchmarks/outputs_speed.py
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import polars as pl

sys.path.insert(0, str(Path(__file__).resolve().parent))

from make_demo_boundaries import build
from tables_speed import make_file, peak_rss_mib

from community_insights.safety import make_chart, make_map

WARDS = [f"Ward {i:02d}" for i in range(25)]


def run(path: Path, boundaries: Path) -> None:
    rows = pl.scan_csv(path).select(pl.len()).collect().item()
    print("## Charts and maps (`insights chart`, `insights map`)\n")
    print(
        f"Machine: {os.cpu_count()} cores, Python {platform.python_version()}, polars {pl.__version__}. "
        f"File: {rows:,} rows, {path.stat().st_size / 1e6:.0f} MB CSV.\n"
    )
    print("| Output | Figures drawn | Hidden or merged | Time (read, protect, render, write) |")
    print("|---|---|---|---|")
    out = path.parent
    jobs = [
        ("bar chart: people by ward (SVG)", lambda: make_chart(path, by=["ward"], output=out / "bar.svg")),
        (
            "stacked chart: age band × need (SVG)",
            lambda: make_chart(path, by=["age_band", "need"], kind="stacked", output=out / "stacked.svg"),
        ),
        ("map: people by ward (SVG)", lambda: make_map(path, area="ward", boundaries=boundaries, output=out / "m.svg")),
        (
            "map: people by ward (HTML with data table)",
            lambda: make_map(path, area="ward", boundaries=boundaries, output=out / "m.html"),
        ),
    ]
    for label, job in jobs:
        started = time.perf_counter()
        result = job()
        seconds = time.perf_counter() - started
        if hasattr(result, "table"):
            inner = [c for c in result.table.cells if not c.is_total]
            drawn, hidden = len(inner), sum(c.value is None for c in inner)
            hidden_text = f"{hidden} hidden"
        else:
            drawn, hidden_text = len(result.groups), f"{sum(len(g.codes) for g in result.merged)} areas merged"
        print(f"| {label} | {drawn} | {hidden_text} | {seconds:.1f} s |")
    rss = peak_rss_mib()
    if rss is not None:
        print(f"\nPeak resident memory of the process (all four outputs): {rss:,.0f} MiB.")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--file", type=Path, help="An existing file with ward, age_band and need columns.")
    parser.add_argument("--boundaries", type=Path, help="Its boundary file (default: a made-up one).")
    parser.add_argument("--rows", type=int, default=1_000_000)
    args = parser.parse_args()
    if args.file and args.boundaries:
        run(args.file, args.boundaries)
        return
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "benchmark.csv"
        make_file(path, args.rows)
        boundaries = Path(tmp) / "wards.geojson"
        boundaries.write_text(json.dumps(build(names=WARDS)), encoding="utf-8")
        command = [sys.executable, __file__, "--file", str(path), "--boundaries", str(boundaries)]
        subprocess.run(command, check=True)


if __name__ == "__main__":
    main()
