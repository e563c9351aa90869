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
    python benchmarks/scale.py benchmark.csv --operation redact --no-free-text
    python benchmarks/scale.py benchmark.csv --operation table
    python benchmarks/scale.py benchmark.csv --operation redact --engines polars --once

``--operation redact`` and ``--operation table`` compare the engines: the plan
and the key are made once, before either engine runs, and the safe copies are
read back and compared row for row, the tables cell for cell. ``--once`` leaves
out Spark's second run in the running session (the dearest part on a large
file). Each result gives the CPU time of the process tree (user and system, its
worker processes and Spark's JVM included) beside the wall time: on a shared
machine the wall time says how busy the machine was, the CPU time what the
work cost.
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

    backend = _spark_or_none(engine)
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


#: The table measured by ``--operation table``: three small categorical columns, so some cells are small.
TABLE_BY = ["ward", "gender", "ethnicity"]


def _spark_or_none(engine: str) -> Any:
    if engine != "spark":
        return None
    from community_insights.safety import SparkBackend

    return SparkBackend()


def _one_redact(path: str, engine: str, work: Path, warm: bool = True) -> dict[str, object]:
    """Make the safe copy of ``path`` on ``engine`` with the plan and key in ``work``; twice on Spark if ``warm``."""

    from community_insights.safety import redact_dataset

    backend = _spark_or_none(engine)
    plan, key, output = work / "plan.yaml", work / "partnership.key", work / engine / "safe.parquet"
    output.parent.mkdir(exist_ok=True)
    started = time.perf_counter()
    report = redact_dataset(path, plan, key, output, backend=backend)
    result: dict[str, object] = {"engine": engine, "seconds": round(time.perf_counter() - started, 2)}
    if engine == "spark" and warm:
        started = time.perf_counter()
        again = redact_dataset(path, plan, key, output, backend=backend)
        result["seconds_in_a_running_session"] = round(time.perf_counter() - started, 2)
        assert again.output.sha256 == report.output.sha256  # the same copy, replaced whole
    data = report.to_dict()
    data["output"] = {k: v for k, v in data["output"].items() if k not in ("sha256", "path")}
    result.update(rows=report.output.rows, report=data)
    return result


def _one_table(path: str, engine: str, warm: bool = True) -> dict[str, object]:
    """Count and protect the table of :data:`TABLE_BY` on ``engine``; twice on Spark if ``warm``."""

    from community_insights.safety import protect_table

    backend = _spark_or_none(engine)
    started = time.perf_counter()
    table = protect_table(path, by=TABLE_BY, statistic="count", backend=backend)
    result: dict[str, object] = {"engine": engine, "seconds": round(time.perf_counter() - started, 2)}
    if engine == "spark" and warm:
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


def _measured(path: str, engine: str, free_text: bool, extra: list[str]) -> dict[str, object]:
    """Run one engine's job (``--one``) in a child; sample its process tree's memory and CPU time.

    The CPU time is the larger of two counts, as neither sees everything: what the kernel adds up
    for the processes this one waited for (the child and the workers it waited for itself), and the
    last sample of each process seen in the tree (Spark's JVM and its Python workers are not always
    waited for; a sample misses at most the last 50 ms of each process).
    """

    import resource

    import psutil

    args = [sys.executable, __file__, path, "--one", engine, *([] if free_text else ["--no-free-text"]), *extra]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    child = subprocess.Popen(args, stdout=subprocess.PIPE, text=True)
    parent = psutil.Process(child.pid)
    peak, cpu = 0, {}
    while child.poll() is None:
        try:
            tree = [parent, *parent.children(recursive=True)]
            peak = max(peak, sum(p.memory_info().rss for p in tree))
            for p in tree:
                times = p.cpu_times()
                cpu[p.pid] = times.user + times.system
        except psutil.Error:
            pass
        time.sleep(0.05)
    out, _ = child.communicate()
    if child.returncode:
        raise SystemExit(f"{engine}: {' '.join(extra[:2])} failed (exit {child.returncode})")
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    waited = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    result: dict[str, object] = json.loads(out)
    result["wall_seconds_with_start"] = round(time.perf_counter() - started, 2)
    result["cpu_seconds"] = round(max(waited, sum(cpu.values())), 1)
    result["peak_mib"] = round(peak / 2**20)
    # Each engine's figures as soon as they are known: a long run stopped later still gave them.
    print(json.dumps({k: v for k, v in result.items() if k != "report"}), file=sys.stderr, flush=True)
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path")
    parser.add_argument("--engines", default="polars,spark")
    parser.add_argument("--no-free-text", action="store_true", help="the structured check only")
    parser.add_argument("--once", action="store_true", help="on Spark, no second run in the running session")
    parser.add_argument("--operation", choices=["check", "redact", "table"], default="check")
    parser.add_argument("--one", help=argparse.SUPPRESS)
    parser.add_argument("--work", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.one:
        print(json.dumps(_one_job(args)))
        return 0
    engines = [e.strip() for e in args.engines.split(",")]
    return _compare_main(args.path, engines, args.operation, not args.no_free_text, args.once)


def _one_job(args: argparse.Namespace) -> dict[str, object]:
    """The job of one engine, in the child process :func:`_measured` started."""

    warm = not args.once
    if args.operation == "redact":
        return _one_redact(args.path, args.one, Path(args.work), warm)
    if args.operation == "table":
        return _one_table(args.path, args.one, warm)
    return _one(args.path, args.one, not args.no_free_text, warm)


def _compare_main(path: str, engines: list[str], operation: str, free_text: bool, once: bool) -> int:
    """The check, the table, or the safe copy (planned once, one folder per engine) on each engine; compared."""

    import tempfile

    extra = ["--operation", operation, *(["--once"] if once else [])]
    load = os.getloadavg()
    if operation != "redact":
        results = [_measured(path, e, free_text, extra) for e in engines]
        reports = [r.pop("report") for r in results]
        same = all(r == reports[0] for r in reports)
    else:
        with tempfile.TemporaryDirectory(prefix="scale-redact-", dir=Path(path).parent) as folder:
            _prepare_redact(path, free_text, Path(folder))
            results = [_measured(path, e, free_text, [*extra, "--work", folder]) for e in engines]
            reports = [r.pop("report") for r in results]
            same = all(r == reports[0] for r in reports) and _same_copies(Path(folder), engines)
    _print(path, operation, free_text, same, results, load)
    return 0 if same else 1


def _print(
    path: str, operation: str, free_text: bool, same: bool, results: list[dict[str, object]], load: tuple[float, ...]
) -> None:
    """The figures as JSON, with the machine and its load average (1, 5, 15 minutes) at the start and the end."""

    key = "same_report" if operation == "check" else ("same_copy" if operation == "redact" else "same_table")
    print(
        json.dumps(
            {
                "file": Path(path).name,
                "size_mib": round(os.path.getsize(path) / 2**20),
                "operation": operation,
                "free_text": free_text if operation != "table" else None,  # a table scans no notes
                "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
                "load_average_at_start": [round(x, 1) for x in load],
                "load_average_at_end": [round(x, 1) for x in os.getloadavg()],
                key: same,
                "results": results,
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    sys.exit(main())
