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
    python benchmarks/scale.py benchmark.csv --operation redact --no-free-text
    python benchmarks/scale.py benchmark.csv --operation table

``--operation redact`` and ``--operation table`` compare the engines: the plan
and the key are made once, before either engine runs, and the safe copies are
read back and compared row for row, the tables cell for cell.
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
from typing import Any


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


#: The table measured by ``--operation table``: three small categorical columns, so some cells are small.
TABLE_BY = ["ward", "gender", "ethnicity"]


def _spark_or_none(engine: str) -> Any:
    if engine != "spark":
        return None
    from community_insights.safety import SparkBackend

    return SparkBackend()


def _one_redact(path: str, engine: str, work: Path) -> dict[str, object]:
    """Make the safe copy of ``path`` on ``engine`` with the plan and key in ``work``; twice on Spark."""

    from community_insights.safety import redact_dataset

    backend = _spark_or_none(engine)
    plan, key, output = work / "plan.yaml", work / "partnership.key", work / engine / "safe.parquet"
    output.parent.mkdir(exist_ok=True)
    started = time.perf_counter()
    report = redact_dataset(path, plan, key, output, backend=backend)
    result: dict[str, object] = {"engine": engine, "seconds": round(time.perf_counter() - started, 2)}
    if engine == "spark":
        started = time.perf_counter()
        again = redact_dataset(path, plan, key, output, backend=backend)
        result["seconds_in_a_running_session"] = round(time.perf_counter() - started, 2)
        assert again.output.sha256 == report.output.sha256  # the same copy, replaced whole
    data = report.to_dict()
    data["output"] = {k: v for k, v in data["output"].items() if k not in ("sha256", "path")}
    result.update(rows=report.output.rows, report=data)
    return result


def _one_table(path: str, engine: str) -> dict[str, object]:
    """Count and protect the table of :data:`TABLE_BY` on ``engine``; twice on Spark."""

    from community_insights.safety import protect_table

    backend = _spark_or_none(engine)
    started = time.perf_counter()
    table = protect_table(path, by=TABLE_BY, statistic="count", backend=backend)
    result: dict[str, object] = {"engine": engine, "seconds": round(time.perf_counter() - started, 2)}
    if engine == "spark":
        started = time.perf_counter()
        again = protect_table(path, by=TABLE_BY, statistic="count", backend=backend)
        result["seconds_in_a_running_session"] = round(time.perf_counter() - started, 2)
        assert again.to_frame().equals(table.to_frame())
    frame = table.to_frame()
    result.update(cells=frame.height, report=frame.write_csv())  # every published figure and mark, as text
    return result


def _prepare_redact(path: str, free_text: bool, work: Path) -> None:
    """Write the engine's own plan (two identifiers pseudonymised) and a key into ``work``, untimed.

    Without free text, a notes column the plan would redact span by span is dropped instead, so the
    figures are those of the structured remedies (the span finder is the check's figure to read).
    """

    import dataclasses

    from community_insights.safety import CheckOptions, keygen, save_plan
    from community_insights.safety.remedies import plan_dataset
    from community_insights.safety.types import Action

    plan = plan_dataset(path, CheckOptions(free_text=free_text), pseudonymise=["nhs_no", "ni_number"])
    if not free_text:
        plan.columns = [
            dataclasses.replace(r, action=Action.DROP, params={}) if r.action == Action.REDACT_SPANS else r
            for r in plan.columns
        ]
    save_plan(plan, work / "plan.yaml")
    keygen(work / "partnership.key")


def _same_copies(work: Path, engines: list[str]) -> bool:
    """The safe copies read back are equal row for row (Spark's is a folder of Parquet parts)."""

    import polars as pl

    copies = []
    for engine in engines:
        output = work / engine / "safe.parquet"
        parts = sorted(output.glob("part-*.parquet")) if output.is_dir() else [output]
        copies.append(pl.concat([pl.read_parquet(p) for p in parts]))
    return all(c.equals(copies[0]) for c in copies)


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
    parser.add_argument("--operation", choices=["check", "redact", "table"], default="check")
    parser.add_argument("--one", help=argparse.SUPPRESS)
    parser.add_argument("--work", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.one and args.operation == "redact":
        print(json.dumps(_one_redact(args.path, args.one, Path(args.work))))
        return 0
    if args.one and args.operation == "table":
        print(json.dumps(_one_table(args.path, args.one)))
        return 0
    if args.operation != "check":
        return _compare_main(
            args.path, [e.strip() for e in args.engines.split(",")], args.operation, not args.no_free_text
        )
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


def _compare_main(path: str, engines: list[str], operation: str, free_text: bool) -> int:
    """The table, or the safe copy (planned once, one folder per engine), on each engine; compared."""

    import tempfile

    if operation == "table":
        results = [_measured(path, e, free_text, ["--operation", "table"]) for e in engines]
        tables = [r.pop("report") for r in results]
        _print(path, operation, free_text, all(t == tables[0] for t in tables), results)
        return 0 if all(t == tables[0] for t in tables) else 1
    with tempfile.TemporaryDirectory(prefix="scale-redact-", dir=Path(path).parent) as folder:
        _prepare_redact(path, free_text, Path(folder))
        results = [_measured(path, e, free_text, ["--operation", "redact", "--work", folder]) for e in engines]
        reports = [r.pop("report") for r in results]
        same = all(r == reports[0] for r in reports) and _same_copies(Path(folder), engines)
    _print(path, operation, free_text, same, results)
    return 0 if same else 1


def _print(path: str, operation: str, free_text: bool, same: bool, results: list[dict[str, object]]) -> None:
    key = "same_report" if operation == "check" else ("same_copy" if operation == "redact" else "same_table")
    print(
        json.dumps(
            {
                "file": Path(path).name,
                "size_mib": round(os.path.getsize(path) / 2**20),
                "operation": operation,
                "free_text": free_text if operation != "table" else None,  # a table scans no notes
                "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
                "load_average": [round(x, 1) for x in os.getloadavg()],
                key: same,
                "results": results,
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    sys.exit(main())
