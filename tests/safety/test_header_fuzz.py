"""Fuzz: personal data in every header, cell and sheet name is never printed raw by the check or the redaction.

A file whose first row is a record is read as data under generated names;
a first row that may be one has every name masked in every report (Markdown,
JSON, HTML), in the findings, in the plan written from it, in the safe-copy
report and in the sentence refusing a sheet that is not there.
"""

from __future__ import annotations

import json
import logging
import tempfile
from pathlib import Path

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from community_insights.safety import (
    CheckOptions,
    InputError,
    check_dataset,
    dumps_plan,
    open_table,
    plan_dataset,
    plan_from_check,
    redact_dataset,
    render_report,
)

NAMES = ["Zebedee Quockerwodger", "Philippa Marchbanks", "Oluwaseun Adeyemi", "Siobhan McGillicuddy"]
VALUES = {
    "name": NAMES,
    "email": ["zq.secret@example.org", "p.marchbanks@example.net"],
    "nhs": ["943 476 5919", "401 023 2137"],
    "ni": ["AB 12 34 56 C", "JG 10 37 54 A"],
    "phone": ["07911 123456", "020 7946 0018"],
}
ALL = [v for values in VALUES.values() for v in values]
FUZZ = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _leaks(text: str, planted: list[str]) -> list[str]:
    folded = text.lower()
    return [v for v in planted if v.lower() in folded or v.replace(" ", "").lower() in folded.replace(" ", "")]


def _everything_printed(path: Path, sheet: str | None, folder: Path) -> str:
    spans: list[str] = []

    def sink(found: list) -> None:  # type: ignore[type-arg]
        spans.extend(f"{s.column}:{s.type}" for s in found)

    report = check_dataset(path, CheckOptions(sheet=sheet), findings_sink=sink)
    printed = [render_report(report, fmt) for fmt in ("markdown", "json", "html")]
    plan = dumps_plan(plan_dataset(path, CheckOptions(sheet=sheet, free_text=False)))
    try:
        open_table(path, sheet=NAMES[-1])  # a sheet that is not there, named like a person
        refused = ""
    except InputError as error:
        refused = str(error)
    return "\n".join([*printed, *spans, plan, refused, json.dumps([c.name for c in report.columns])])


def _write_xlsx(path: Path, sheet: str, header: list[str], rows: list[list[str]]) -> None:
    from openpyxl import Workbook

    book = Workbook()
    ws = book.active
    assert ws is not None
    ws.title = sheet[:31]
    for row in [header, *rows]:
        ws.append(row)
    book.save(path)


@FUZZ
@given(
    kinds=st.lists(st.sampled_from(sorted(VALUES)), min_size=2, max_size=5),
    pick=st.integers(min_value=0, max_value=1),
    as_xlsx=st.booleans(),
    sheet_kind=st.sampled_from(["name", "email", "plain"]),
)
def test_personal_data_in_headers_cells_and_sheet_names_is_never_printed(
    kinds: list[str], pick: int, as_xlsx: bool, sheet_kind: str
) -> None:
    header = [VALUES[k][pick % len(VALUES[k])] for k in kinds]
    header = list(dict.fromkeys(header)) + [f"extra_{i}" for i in range(len(kinds) - len(set(header)))]
    rows = [[VALUES[k][(pick + r + 1) % len(VALUES[k])] for k in kinds] for r in range(30)]
    frame = pl.DataFrame(rows, schema=header, orient="row")
    sheet = {"name": NAMES[pick], "email": VALUES["email"][pick], "plain": "Referrals"}[sheet_kind]
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        path = folder / ("data.xlsx" if as_xlsx else "data.csv")
        if as_xlsx:
            _write_xlsx(path, sheet, header, rows)
        else:
            frame.write_csv(path)
        try:
            text = _everything_printed(path, None, folder)
        except InputError as refused:
            text = str(refused)
        assert not _leaks(text, ALL), _leaks(text, ALL)


def test_a_doubtful_header_is_masked_in_the_safe_copy_report_too(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    path = tmp_path / "data.csv"
    rows = ["Zebedee Quockerwodger,Abbey,food"] + [f"{NAMES[i % 3 + 1]},Castle,debt" for i in range(40)]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    report = check_dataset(path)
    assert any("masked" in p for p in report.source.problems)
    plan = plan_from_check(report, columns=["Zebedee Quockerwodger", "Abbey", "food"])
    key = tmp_path / "k.key"
    key.write_text("ab" * 32 + "\n", encoding="ascii")
    key.chmod(0o600)
    redact_dataset(path, plan, key, tmp_path / "safe.csv", tmp_path / "report.html")
    redact_dataset(path, plan, key, tmp_path / "safe2.csv", tmp_path / "report.json")
    for written in ("report.html", "report.json"):
        assert "Zebedee" not in (tmp_path / written).read_text(encoding="utf-8"), written
    assert "Zebedee" not in caplog.text
