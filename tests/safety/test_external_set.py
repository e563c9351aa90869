"""The external evaluation set is well formed: every label points at real text and names a real type."""

from __future__ import annotations

import json
from pathlib import Path

from community_insights.safety.types import ColumnKind, PiiType

DATA = Path(__file__).parent / "data" / "external"
SECOND = Path(__file__).parent / "data" / "external2"


def _notes(folder: Path = DATA) -> list[dict[str, object]]:
    return [json.loads(line) for line in (folder / "notes.jsonl").read_text(encoding="utf-8").splitlines()]


def test_every_span_and_negative_points_at_trimmed_text_and_names_a_known_type() -> None:
    types = {p.value for p in PiiType}
    notes = _notes()
    assert len(notes) >= 700
    for note in notes:
        text = str(note["text"])
        assert str(note["source"]).startswith(("presidio-research templates.txt line", "ONS Census 2021"))
        for span in note["spans"]:  # type: ignore[attr-defined]
            value = text[span["start"] : span["end"]]
            assert value and value == value.strip(), note
            assert span["type"] in types
        for neg in note["negatives"]:  # type: ignore[attr-defined]
            assert text[neg["start"] : neg["end"]].strip(), note
            assert neg["kind"] in {"place", "country", "organisation", "nationality"}


def test_special_categories_and_the_hard_forms_are_all_present() -> None:
    notes = _notes()
    found = {s["type"] for n in notes for s in n["spans"]}  # type: ignore[attr-defined]
    assert {"ETHNICITY", "RELIGION", "SEXUAL_ORIENTATION", "HEALTH", "PERSON", "ADDRESS", "PHONE"} <= found
    texts = "\n".join(str(n["text"]) for n in notes)
    assert "07700 900" in texts  # a reserved drama number
    assert "Heol " in texts or "heol " in texts  # a Welsh street
    emails = [str(n["text"])[s["start"] : s["end"]] for n in notes for s in n["spans"] if s["type"] == "EMAIL"]  # type: ignore[attr-defined]
    assert any(not e.split("@")[0].isascii() for e in emails)  # accented letters before the @


def test_table_labels_use_the_engines_kinds_and_types() -> None:
    spec = json.loads((DATA / "tables.json").read_text(encoding="utf-8"))
    kinds = {k.value for k in ColumnKind}
    types = {p.value for p in PiiType}
    for table in spec["tables"]:
        assert table["licence"] and table["title"]
        for name, label in table["columns"].items():
            assert label["kinds"] and set(label["kinds"]) <= kinds, name
            assert set(label["types"]) | set(label.get("allow", [])) <= types, name


def test_the_second_set_is_well_formed_and_from_its_own_sources() -> None:
    types = {p.value for p in PiiType}
    notes = _notes(SECOND)
    assert len(notes) >= 300
    for note in notes:
        text = str(note["text"])
        assert str(note["source"]).startswith("pii-anon generator.py template ")
        for span in note["spans"]:  # type: ignore[attr-defined]
            value = text[span["start"] : span["end"]]
            assert value and value == value.strip() and span["type"] in types, note
        for neg in note["negatives"]:  # type: ignore[attr-defined]
            assert neg["kind"] in {"organisation", "nationality"}
    spec = json.loads((SECOND / "tables.json").read_text(encoding="utf-8"))
    first = {
        (t["package"], t["dataset"]) for t in json.loads((DATA / "tables.json").read_text(encoding="utf-8"))["tables"]
    }
    first_packages = {p for p, _ in first}
    kinds = {k.value for k in ColumnKind}
    for table in spec["tables"]:
        assert table["package"] not in first_packages  # tables from R packages the first set does not use
        for name, label in table["columns"].items():
            assert label["kinds"] and set(label["kinds"]) <= kinds, name
            assert set(label["types"]) | set(label.get("allow", [])) <= types, name


THIRD = Path(__file__).parent / "data" / "external3"


def test_the_third_set_is_well_formed_and_from_a_third_source() -> None:
    types = {p.value for p in PiiType}
    notes = _notes(THIRD)
    assert len(notes) >= 400
    for note in notes:
        text = str(note["text"])
        assert str(note["source"]).startswith("scrubadub (LeapBeyond/scrubadub, Apache-2.0) tests/")
        for span in note["spans"]:  # type: ignore[attr-defined]
            value = text[span["start"] : span["end"]]
            assert value and value == value.strip() and span["type"] in types, note
        for neg in note["negatives"]:  # type: ignore[attr-defined]
            assert neg["kind"] in {"organisation", "place"}
    spec = json.loads((THIRD / "tables.json").read_text(encoding="utf-8"))
    kinds = {k.value for k in ColumnKind}
    for table in spec["tables"]:
        assert table["source"] == "statsmodels" and table["licence"]  # neither earlier set reads statsmodels
        for name, label in table["columns"].items():
            assert label["kinds"] and set(label["kinds"]) <= kinds, name
            assert set(label["types"]) | set(label.get("allow", [])) <= types, name
    earlier = {json.loads(line)["text"] for folder in (DATA, SECOND) for line in (folder / "notes.jsonl").open()}
    assert not earlier & {str(n["text"]) for n in notes}
