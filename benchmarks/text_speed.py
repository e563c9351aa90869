"""Speed of the free-text span finder (``safety.text.find_spans``) in notes a second.

Why a separate benchmark: in the full data safety check the notes column
costs far more than all the structured columns together, so its speed decides
how long a million-row check takes. This measures the span finder alone, the
way the check calls it (chunks of 2,000 texts, one call per chunk), on:

* **distinct** notes: every note different (the worst case);
* **with repeats**: the notes column of the generated export, where some notes
  recur ("No answer", "Called, no reply"), as in the 1,000,000-row benchmark
  file.

Each set runs in 1 process and in N worker processes (spawned, as the check
does); the model is loaded in every worker before the clock starts. Notes per
CPU-second (CPU time of the processes doing the work) is printed beside the
wall-clock rate, because on a shared machine the wall clock mostly measures
the neighbours.

Usage::

    python benchmarks/text_speed.py --notes 40000 --processes 1 2
    python benchmarks/text_speed.py --no-model      # rules and name lists only
"""

from __future__ import annotations

import argparse
import multiprocessing
import platform
import time
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor

CHUNK = 2_000


def _warm(use_model: bool) -> None:
    from community_insights.safety.text import warm_up

    warm_up(use_model=use_model)


def _scan(texts: list[str], use_model: bool) -> tuple[int, float]:
    """Spans found and the CPU seconds this process spent finding them."""

    from community_insights.safety.text import find_spans

    cpu = time.process_time()
    found = len(find_spans(texts, column="notes", use_model=use_model))
    return found, time.process_time() - cpu


def _rate(texts: Sequence[str], processes: int, use_model: bool) -> tuple[float, float, int]:
    """Notes a second by the wall clock, notes per CPU-second, spans found."""

    chunks = [list(texts[i : i + CHUNK]) for i in range(0, len(texts), CHUNK)]
    # Fresh worker processes every time, even for one, so no run inherits another's caches;
    # the lists and the model load before the clock starts (a few seconds per process, once).
    with ProcessPoolExecutor(max(1, processes), mp_context=multiprocessing.get_context("spawn")) as pool:
        list(pool.map(_warm, [use_model] * processes * 2))
        started = time.perf_counter()
        results = list(pool.map(_scan, chunks, [use_model] * len(chunks)))
    wall = time.perf_counter() - started
    cpu = sum(c for _, c in results)
    return len(texts) / wall, len(texts) / cpu, sum(s for s, _ in results)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--notes", type=int, default=40_000, help="notes per set (default 40,000)")
    parser.add_argument("--processes", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument("--no-model", action="store_true", help="skip spaCy (rules and lists only)")
    args = parser.parse_args()

    from community_insights.safety import synth

    use_model = not args.no_model
    distinct = list(dict.fromkeys(n.text for n in synth.generate_notes(args.notes * 2, seed=args.seed)))
    distinct = distinct[: args.notes]
    export = synth.generate_export(args.notes, seed=args.seed + 1).frame.get_column("notes")
    repeated = [t for t in export.to_list() if t]
    share = 1 - len(set(repeated)) / max(1, len(repeated))

    print(
        f"Python {platform.python_version()}, {multiprocessing.cpu_count()} cores, model {'on' if use_model else 'off'}"
    )
    print("| notes | processes | notes/s (wall clock) | notes per CPU-second | spans |")
    print("|---|---|---|---|---|")
    for label, texts in (
        (f"{len(distinct):,} distinct", distinct),
        (f"{len(repeated):,} from the export ({share:.0%} repeats)", repeated),
    ):
        for processes in args.processes:
            rate, per_cpu, spans = _rate(texts, processes, use_model)
            print(f"| {label} | {processes} | {rate:,.0f} | {per_cpu:,.0f} | {spans:,} |", flush=True)


if __name__ == "__main__":
    main()
