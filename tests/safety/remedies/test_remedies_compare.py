"""The report's figures against the safe copy itself: for every remedy action, counted by hand from both files."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from pathlib import Path

import polars as pl
import pytest

from community_insights.safety.remedies import (
    ColumnRule,
    RemedyPlan,
    SourceFingerprint,
    columns_fingerprint,
    keygen,
    redact_dataset,
)
from community_insights.safety.types import Action, ColumnKind, PiiType

from .residents import residents

REF = dt.date(2025, 1, 31)
RULES = [
    ColumnRule("row", Action.KEEP),
    ColumnRule("case_ref", Action.HASH_FILE_REFERENCE, {"system": "case"}, kind=ColumnKind.SYSTEM_ID),
    ColumnRule("full_name", Action.DROP, kind=ColumnKind.DIRECT_IDENTIFIER, pii_types=[PiiType.PERSON]),
    ColumnRule("ni_number", Action.PSEUDONYMISE, {"type": "NI_NUMBER"}, pii_types=[PiiType.NI_NUMBER]),
    ColumnRule("date_of_birth", Action.GENERALISE, {"to": "age_band"}, pii_types=[PiiType.DATE_OF_BIRTH]),
    ColumnRule("postcode", Action.GENERALISE, {"to": "sector"}, pii_types=[PiiType.POSTCODE]),
    ColumnRule("ethnicity", Action.SUPPRESS_SMALL_GROUPS, kind=ColumnKind.SPECIAL_CATEGORY),
    ColumnRule("ethnic_group", Action.GENERALISE, {"to": "ons_ethnic_group_5"}),
    ColumnRule("notes", Action.REDACT_SPANS, {"also_values_of": ["full_name"]}, kind=ColumnKind.FREE_TEXT),
]
ACTIONS_COVERED = {rule.action for rule in RULES}


def _dataset(path: Path) -> Path:
    people = residents(80, seed=15)
    pl.DataFrame(
        {
            "row": [str(i) for i in range(len(people))],
            "case_ref": [f"CASE-{i:05d}" for i in range(len(people))],
            "full_name": [f"{p.first} {p.last}" for p in people],
            "ni_number": [p.ni if i % 9 else "" for i, p in enumerate(people)],
            "date_of_birth": [p.dob if i % 11 else "unknown" for i, p in enumerate(people)],
            "postcode": [p.postcode for p in people],
            "ethnicity": [p.ethnicity for p in people],
            "ethnic_group": [p.ethnicity if i % 7 else "Z" for i, p in enumerate(people)],
            "notes": [f"{p.first} called about rent; ring {p.phone}" if i % 3 else "" for i, p in enumerate(people)],
        }
    ).write_csv(path)
    return path


def _by_hand(source: pl.DataFrame, copy: pl.DataFrame, column: str) -> dict[str, object]:
    """The figures of one column, counted with plain loops over the two files aligned on ``row``."""

    out = dict(zip(copy["row"].to_list(), copy[column].to_list(), strict=True)) if column in copy.columns else None
    tally: Counter[str] = Counter()
    placeholders: Counter[str] = Counter()
    for row, raw in zip(source["row"].to_list(), source[column].to_list(), strict=True):
        before = (raw or "").strip()
        if not before:
            continue
        tally["values_in"] += 1
        if out is None or row not in out:
            tally["values_removed"] += 1
            continue
        after = (out[row] or "").strip()
        key = (
            "values_blanked"
            if not after
            else "values_kept"
            if after == before
            else "values_suppressed"
            if after == "*"
            else "values_changed"
        )
        tally[key] += 1
        placeholders.update(re.findall(r"\[[A-Z_]+\]", after))
    left = set() if out is None else {v.strip() for v in out.values() if v and v.strip() not in ("", "*")}
    figures: dict[str, object] = {k: tally[k] for k in ("values_in", "values_kept", "values_changed")}
    figures.update({k: tally[k] for k in ("values_suppressed", "values_blanked", "values_removed")})
    figures["distinct_after"] = len(left)
    figures["spans_redacted"] = sum(placeholders.values()) if column == "notes" else 0
    return figures


@pytest.mark.parametrize("small_groups", ["generalise", "remove"])
def test_every_figure_of_the_report_is_what_the_safe_copy_holds(tmp_path: Path, small_groups: str) -> None:
    assert set(Action) == ACTIONS_COVERED, "one column for every remedy action"
    source = _dataset(tmp_path / "people.csv")
    columns = [rule.column for rule in RULES]
    plan = RemedyPlan(
        source=SourceFingerprint("people.csv", "csv", columns, columns_fingerprint(columns)),
        columns=[ColumnRule(r.column, r.action, dict(r.params), kind=r.kind, pii_types=r.pii_types) for r in RULES],
        reference_date=REF,
        quasi_identifiers=["date_of_birth", "postcode"],
        small_groups=small_groups,
    )
    key = keygen(tmp_path / "k.key")
    safe = tmp_path / "safe.csv"
    report = redact_dataset(source, plan, key, safe, tmp_path / "report.html")

    before = pl.read_csv(source, infer_schema=False)
    after = pl.read_csv(safe, infer_schema=False)
    assert report.output.rows == after.height
    if small_groups == "remove":
        assert report.small_groups is not None and report.small_groups.records_removed > 0
        assert after.height == before.height - report.small_groups.records_removed
    else:
        assert (after["ethnicity"] == "*").sum() > 0, "small groups hide some ethnicity values"
    html = (tmp_path / "report.html").read_text(encoding="utf-8")
    for column in report.columns:
        expected = _by_hand(before, after, column.name)
        got = {name: getattr(column, name) for name in expected}
        assert got == expected, column.name
        assert f"Of {column.values_in:,} values: {column.values_kept:,} kept as they were" in html


def test_examples_show_what_the_file_holds_in_the_same_rows(tmp_path: Path) -> None:
    source = tmp_path / "few.csv"
    pl.DataFrame({"ethnicity": ["Irish", "Indian", "Irish", "Bangladeshi"], "ward": ["A", "A", "A", "A"]}).write_csv(
        source
    )
    plan = RemedyPlan(
        source=SourceFingerprint("few.csv", "csv", ["ethnicity", "ward"], columns_fingerprint(["ethnicity", "ward"])),
        columns=[ColumnRule("ethnicity", Action.SUPPRESS_SMALL_GROUPS), ColumnRule("ward", Action.KEEP)],
        reference_date=REF,
        min_group_size=3,
    )
    report = redact_dataset(source, plan, None, tmp_path / "safe.csv")
    ethnicity = report.columns[0]
    assert ethnicity.values_suppressed == 4 and ethnicity.values_kept == 0, "every group is smaller than 3"
    assert ethnicity.examples_after == ["*", "*", "*"]
