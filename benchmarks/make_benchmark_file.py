"""Write the benchmark file: a seeded synthetic case-management export, 1,000,000 rows × 20 columns.

Why a generated file: the speed of the data safety check has to be measured on
something shaped like a real council export (names from every community,
NHS and NI numbers, postcodes, a notes column written in a hurry) without
anyone's real data, and anyone must be able to rebuild exactly the same bytes.

The rows come from the project's own generator (``safety.synth``), in chunks
of 50,000 with one seed per chunk, spread over the CPU cores and appended in
order; the ``visits`` column is left out so the table has 20 columns.

Usage::

    python benchmarks/make_benchmark_file.py benchmark.csv --rows 1000000 --seed 0
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

CHUNK = 50_000
DROP = "visits"  # 21 generated columns → 20


def _chunk(args: tuple[int, int]) -> bytes:
    from community_insights.safety.synth import generate_export

    rows, seed = args
    frame = generate_export(rows, seed=seed).frame.drop(DROP)
    return frame.write_csv(include_header=False).encode("utf-8")


def make(path: Path, rows: int, seed: int = 0, workers: int | None = None) -> Path:
    """Write ``rows`` rows to ``path`` (atomically), reproducibly for a given seed."""

    from community_insights.safety.synth import generate_export

    header = ",".join(c for c in generate_export(1, seed=seed).frame.columns if c != DROP) + "\n"
    jobs = [(min(CHUNK, rows - start), seed * 10_000 + i) for i, start in enumerate(range(0, rows, CHUNK))]
    tmp = path.with_name(f".{path.name}.part")
    try:
        # spawn, not fork: the header above started Polars' thread pool, which does not survive a fork.
        spawn = multiprocessing.get_context("spawn")
        with tmp.open("wb") as out, ProcessPoolExecutor(workers or os.cpu_count() or 1, mp_context=spawn) as pool:
            out.write(header.encode("utf-8"))
            for done, data in enumerate(pool.map(_chunk, jobs), start=1):
                out.write(data)
                print(f"\r{min(done * CHUNK, rows):,} rows", end="", file=sys.stderr, flush=True)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    print(file=sys.stderr)
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("path", type=Path)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--workers", type=int, default=None)
    args = parser.parse_args()
    started = time.perf_counter()
    make(args.path, args.rows, args.seed, args.workers)
    size = args.path.stat().st_size / 1024 / 1024
    print(f"wrote {args.rows:,} rows, {size:.0f} MiB in {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
