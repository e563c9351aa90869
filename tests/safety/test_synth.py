"""The synthetic export is reproducible and its labels are true."""

from __future__ import annotations

import json
from pathlib import Path

from community_insights.safety import detectors as d
from community_insights.safety import synth
from community_insights.safety.types import ColumnKind, PiiType


def test_same_seed_same_data() -> None:
    a = synth.generate_export(300, seed=5)
    b = synth.generate_export(300, seed=5)
    assert a.frame.equals(b.frame)
    assert a.notes == b.notes
    c = synth.generate_export(300, seed=6)
    assert not a.frame.equals(c.frame)


def test_labels_are_true() -> None:
    export = synth.generate_export(400, seed=1)
    frame = export.frame
    assert all(d.is_nhs_number(v) for v in frame["nhs_no"])
    assert all(d.is_ni_number(v) for v in frame["ni_number"])
    assert all(d.is_postcode(v) for v in frame["postcode"])
    assert all(d.is_uk_phone(v) for v in frame["tel"])
    assert all(d.is_email(v) for v in frame["contact"])
    assert all(d.parse_uk_date(v) for v in frame["dob"])
    assert set(export.columns) == set(frame.columns)
    assert export.columns["notes"].kind is ColumnKind.FREE_TEXT
    for note in export.notes:
        for start, end, pii in note.spans:
            piece = note.text[start:end]
            assert piece and piece == piece.strip()
            if pii is PiiType.NHS_NUMBER:
                assert d.is_nhs_number(piece)
            if pii is PiiType.POSTCODE:
                assert d.is_postcode(piece)


def test_many_communities_and_styles() -> None:
    notes = synth.generate_notes(600, seed=2)
    assert {n.style for n in notes} == {"formal", "terse", "caps", "lower", "bullets", "none"}
    names = {n.text[s:e] for n in notes for s, e, t in n.spans if t is PiiType.PERSON}
    assert len(names) > 300


def test_write_export(tmp_path: Path) -> None:
    path = synth.write_export(tmp_path / "export.csv", 50, seed=3)
    truth = json.loads(path.with_suffix(".truth.json").read_text())
    assert truth["columns"]["nhs_no"] == {"kind": "direct_identifier", "pii_types": ["NHS_NUMBER"]}
    assert truth["spans"] and {"column", "row", "start", "end", "type"} <= set(truth["spans"][0])
    assert path.read_text().count("\n") >= 51
