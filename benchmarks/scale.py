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

With ``--redact PLAN --key KEY`` the Polars path's safe copy is measured too
(``redact_dataset`` with that plan and key, written to a temporary file that is
deleted afterwards): the default path must check and redact ten million rows
in memory that does not grow with the rows.

Usage::

    python benchmarks/make_benchmark_file.py benchmark.csv --rows 1000000
    python benchmarks/scale.py benchmark.csv --engines polars,spark
    python benchmarks/scale.py benchmark.csv --engines polars --redact plan.yaml --key partnership.key
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


def _one(path: str, engine: str, free_text: bool, warm: bool = True) -> dict[str, object]:
    """Check ``path`` on ``engine`` in this process; twice on Spark (session start, then warm) unless not ``warm``."""

    from community_insights.safety import CheckOptions, check_dataset, to_jsonable

    backend = None
    if engine == "spark":
        from community_insights.safety import SparkBackend

        backend = SparkBackend()
    options = CheckOptions(free_text=free_text)
    started = time.perf_counter()
    report = check_dataset(path, options, backend=backend)
    result: dict[str, object] = {"engine": engine, "seconds": round(time.perf_counter() - started, 2)}
    if engine == "spark" and warm:
        started = time.perf_counter()
        again = check_dataset(path, options, backend=backend)
        result["seconds_in_a_running_session"] = round(time.perf_counter() - started, 2)
        assert to_jsonable(again.mosaic) == to_jsonable(report.mosaic)
    data = to_jsonable(report)
    data["summary"].pop("seconds")
    result.update(rows=report.source.rows_checked, verdict=report.summary.verdict.value, report=data)
    return result


def _redact(path: str, plan: str, key: str) -> dict[str, object]:
    """Make a safe copy of ``path`` in this process (Polars path) into a temporary file, then delete it."""

    import tempfile

    from community_insights.safety import redact_dataset

    with tempfile.TemporaryDirectory(prefix="scale-") as folder:
        started = time.perf_counter()
        # The plan is made once, for the benchmark file; a copy of it made of more rows is another file.
        result = redact_dataset(path, plan, key, Path(folder) / "safe.csv", force=True)
        seconds = round(time.perf_counter() - started, 2)
    return {"engine": "polars", "command": "redact", "seconds": seconds, "rows": result.source.rows}


def _measured(path: str, engine: str, free_text: bool, extra: list[str] | None = None) -> dict[str, object]:
    """Run :func:`_one` (or, with ``extra``, another ``--one`` job) in a child and sample its process tree's memory."""

    import psutil

    args = [sys.executable, __file__, path, "--one", engine, *([] if free_text else ["--no-free-text"]), *(extra or [])]
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
    parser.add_argument("--once", action="store_true", help="on Spark, no second check in the running session")
    parser.add_argument("--redact", metavar="PLAN", help="also measure a safe copy on the Polars path with this plan")
    parser.add_argument("--key", help="the key file for --redact")
    parser.add_argument("--one", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.one == "redact":
        print(json.dumps(_redact(args.path, args.redact, args.key)))
        return 0
    if args.one:
        print(json.dumps(_one(args.path, args.one, not args.no_free_text, warm=not args.once)))
        return 0
    once = ["--once"] if args.once else []
    results = [_measured(args.path, e.strip(), not args.no_free_text, once) for e in args.engines.split(",")]
    reports = [r.pop("report") for r in results]
    same = all(r == reports[0] for r in reports)
    if args.redact:
        results.append(_measured(args.path, "redact", True, ["--redact", args.redact, "--key", args.key]))
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
