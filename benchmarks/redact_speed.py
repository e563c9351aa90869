"""How fast is making a safe copy, and how much memory does it use?

Measures, each in a fresh process so that peak memory is honest:

1. **check** — ``check_dataset`` end to end (the yardstick);
2. **plan** — ``plan_dataset``: the check plus turning its findings into a plan;
3. **redact** — ``redact_dataset`` with that plan and a new key: pseudonyms,
   generalisation, free-text redaction, small-group suppression (two passes)
   and the before/after report.

The target is plan + redact within twice the time of the check, with peak
memory under 2 GiB. Peak memory is the largest sum of the resident memory of
the process and its workers, sampled every 0.1 s.

Usage::

    python benchmarks/make_benchmark_file.py benchmark.csv
    python benchmarks/redact_speed.py benchmark.csv [--pseudonymise nhs_no --pseudonymise ni_number]
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any


class _PeakMemory:
    """Samples the resident memory of this process and its children."""

    def __init__(self) -> None:
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        import psutil

        me = psutil.Process()
        while not self._stop.is_set():
            total = 0
            for proc in [me, *me.children(recursive=True)]:
                with contextlib.suppress(psutil.Error):
                    total += proc.memory_info().rss
            self.peak = max(self.peak, total)
            self._stop.wait(0.1)

    def __enter__(self) -> _PeakMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def _child(task: str, path: str, workdir: str, pseudonymise: list[str]) -> dict[str, Any]:
    from community_insights.safety import check_dataset, keygen, plan_dataset, redact_dataset, save_plan

    work = Path(workdir)
    with _PeakMemory() as memory:
        started = time.perf_counter()
        if task == "check":
            report = check_dataset(path)
            extra: dict[str, Any] = {"rows": report.source.rows}
        elif task == "plan":
            plan = plan_dataset(path, pseudonymise=pseudonymise)
            save_plan(plan, work / "plan.yaml")
            extra = {"actions": {r.column: r.action.value for r in plan.columns}}
        elif task == "redact":
            key = work / "bench.key"
            if not key.exists():
                keygen(key)
            result = redact_dataset(path, work / "plan.yaml", key, work / "safe.csv", work / "report.json")
            sg = result.small_groups
            extra = {
                "rows_in": result.source.rows,
                "rows_out": result.output.rows,
                "spans": sum(c.spans_redacted for c in result.columns),
                "k_before": None if sg is None else sg.before.smallest_group,
                "k_after": None if sg is None else sg.after.smallest_group,
                "records_generalised": None if sg is None else sg.records_generalised,
                "records_removed": None if sg is None else sg.records_removed,
            }
        else:  # pragma: no cover
            raise SystemExit(f"unknown task {task}")
        seconds = time.perf_counter() - started
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime
    return {"seconds": seconds, "cpu_seconds": cpu, "peak_rss_mib": memory.peak / 1024 / 1024, **extra}


def _run(task: str, path: Path, workdir: Path, pseudonymise: list[str]) -> dict[str, Any]:
    extra = [arg for column in pseudonymise for arg in ("--pseudonymise", column)]
    out = subprocess.run(
        [sys.executable, __file__, str(path), "--child", task, "--workdir", str(workdir), *extra],
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description="Speed and memory of plan + redact against the check.")
    parser.add_argument("path", type=Path)
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--workdir", help=argparse.SUPPRESS)
    parser.add_argument("--skip-check", action="store_true", help="do not time the check on its own")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    parser.add_argument(
        "--pseudonymise", action="append", default=[], help="pseudonymise this column instead of dropping it"
    )
    args = parser.parse_args()
    if args.child:
        print(json.dumps(_child(args.child, str(args.path), args.workdir, args.pseudonymise)))
        return

    size_mib = args.path.stat().st_size / 1024 / 1024
    machine = f"{os.cpu_count()} cores, Python {platform.python_version()}"
    print(f"file: {args.path.name}, {size_mib:.0f} MiB; machine: {machine}")
    with tempfile.TemporaryDirectory(prefix="redact-bench-") as tmp:
        work = Path(tmp)
        figures: dict[str, Any] = {}
        if not args.skip_check:
            figures["check"] = _run("check", args.path, work, [])
        figures["plan"] = _run("plan", args.path, work, args.pseudonymise)
        figures["redact"] = _run("redact", args.path, work, [])
        figures["safe_copy_mib"] = (work / "safe.csv").stat().st_size / 1024 / 1024
    redact = figures["redact"]
    rows = int(redact["rows_in"])
    plan_s = float(figures["plan"]["seconds"])
    redact_s = float(redact["seconds"])
    for name in ("check", "plan"):
        if name in figures:
            f = figures[name]
            print(
                f"{name + ':':<16} {f['seconds']:.1f} s wall, {f['cpu_seconds']:.1f} s CPU, "
                f"{rows / f['seconds']:,.0f} rows/s, peak {f['peak_rss_mib']:.0f} MiB"
            )
    print(
        f"{'redact:':<16} {redact_s:.1f} s wall, {redact['cpu_seconds']:.1f} s CPU, {rows / redact_s:,.0f} rows/s, "
        f"peak {redact['peak_rss_mib']:.0f} MiB"
    )
    print(
        f"{'':<16} {redact['rows_out']:,} of {rows:,} records out, {redact['spans']:,} pieces of free text "
        f"redacted, k {redact['k_before']} -> {redact['k_after']}, {redact['records_generalised']:,} records "
        f"generalised, {redact['records_removed']:,} removed"
    )
    total = plan_s + redact_s
    total_cpu = float(figures["plan"]["cpu_seconds"]) + float(redact["cpu_seconds"])
    line = f"{'plan + redact:':<16} {total:.1f} s wall, {total_cpu:.1f} s CPU"
    if "check" in figures:
        ratio = total / float(figures["check"]["seconds"])
        cpu_ratio = total_cpu / float(figures["check"]["cpu_seconds"])
        figures["ratio_to_check"] = ratio
        figures["cpu_ratio_to_check"] = cpu_ratio
        line += f" = {ratio:.2f}x the check's wall time, {cpu_ratio:.2f}x its CPU time (target: at most 2x)"
    print(line)
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
