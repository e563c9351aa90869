"""The data safety check on Polars and on Spark ``local[2]``: wall time and peak memory of each.

Why: a council checks a million rows on one machine; a regional data exchange
pools tens of millions and runs Spark. The Spark backend counts areas and
combinations in Spark's executors; on two cores it is not expected to beat
Polars, and these figures show by how much it loses there, so the crossover
on a cluster can be judged.

Each engine runs in a fresh process; its peak memory is the largest sum of the
resident memory of that process and all its children (the JVM is a child of
the Python driver), sampled every 50 ms. Spark's time includes starting its
session, which a notebook or ``spark-submit`` job has already paid, so the
time of a second check in the same session is given too.

Usage::

    python benchmarks/make_benchmark_file.py benchmark.csv --rows 1000000
    python benchmarks/scale.py benchmark.csv --engines polars,spark
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path


def _one(path: str, engine: str, free_text: bool) -> dict[str, object]:
    """Check ``path`` on ``engine`` in this process; twice on Spark (session start, then warm)."""

    from community_insights.safety import CheckOptions, check_dataset, to_jsonable

    backend = None
    if engine == "spark":
        from community_insights.safety import SparkBackend

        backend = SparkBackend()
    options = CheckOptions(free_text=free_text)
    started = time.perf_counter()
    report = check_dataset(path, options, backend=backend)
    result: dict[str, object] = {"engine": engine, "seconds": round(time.perf_counter() - started, 2)}
    if engine == "spark":
        started = time.perf_counter()
        again = check_dataset(path, options, backend=backend)
        result["seconds_in_a_running_session"] = round(time.perf_counter() - started, 2)
        assert to_jsonable(again.mosaic) == to_jsonable(report.mosaic)
    data = to_jsonable(report)
    data["summary"].pop("seconds")
    result.update(rows=report.source.rows_checked, verdict=report.summary.verdict.value, report=data)
    return result


def _measured(path: str, engine: str, free_text: bool) -> dict[str, object]:
    """Run :func:`_one` in a child process and sample the memory of its whole process tree."""

    import psutil

    args = [sys.executable, __file__, path, "--one", engine, *([] if free_text else ["--no-free-text"])]
    started = time.perf_counter()
    child = subprocess.Popen(args, stdout=subprocess.PIPE, text=True)
    parent = psutil.Process(child.pid)
    peak = 0
    while child.poll() is None:
        try:
            tree = [parent, *parent.children(recursive=True)]
            peak = max(peak, sum(p.memory_info().rss for p in tree))
        except psutil.Error:
            pass
        time.sleep(0.05)
    out, _ = child.communicate()
    if child.returncode:
        raise SystemExit(f"{engine}: the check failed (exit {child.returncode})")
    result: dict[str, object] = json.loads(out)
    result["wall_seconds_with_start"] = round(time.perf_counter() - started, 2)
    result["peak_mib"] = round(peak / 2**20)
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path")
    parser.add_argument("--engines", default="polars,spark")
    parser.add_argument("--no-free-text", action="store_true", help="the structured check only")
    parser.add_argument("--one", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.one:
        print(json.dumps(_one(args.path, args.one, not args.no_free_text)))
        return 0
    results = [_measured(args.path, e.strip(), not args.no_free_text) for e in args.engines.split(",")]
    reports = [r.pop("report") for r in results]
    same = all(r == reports[0] for r in reports)
    print(
        json.dumps(
            {
                "file": Path(args.path).name,
                "size_mib": round(os.path.getsize(args.path) / 2**20),
                "free_text": not args.no_free_text,
                "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
                "same_report": same,
                "results": results,
            },
            indent=2,
        )
    )
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
