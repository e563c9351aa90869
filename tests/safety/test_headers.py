"""The first row is judged, not assumed: a record is refused, a doubtful row is masked everywhere."""

from __future__ import annotations

import dataclasses

import pytest

from community_insights.safety.headers import HeaderKind, assess_header, display_name, mask_names


@pytest.mark.parametrize(
    "names",
    [
        ["client_name", "ward", "nhs_number"],
        ["First Name", "Last Name", "Date of birth", "Postcode"],
        ["Name", "Age", "Email address", "Phone"],
        ["id", "2024", "notes"],
    ],
)
def test_labels_are_a_header(names: list[str]) -> None:
    assert assess_header(names).kind is HeaderKind.PRESENT


@pytest.mark.parametrize(
    ("names", "position"),
    [
        (["Amira Khan", "Abbey", "943 476 5919"], 2),
        (["zq.secret@example.org", "Abbey"], 0),
        (["x", "AB 12 34 56 C"], 1),
        (["x", "07911 123456"], 1),
        (["SW1A 1AA", "x"], 0),
        (["12/03/1984", "x"], 0),
    ],
)
def test_a_record_in_the_first_row_is_found(names: list[str], position: int) -> None:
    assessment = assess_header(names)
    assert assessment.kind is HeaderKind.ABSENT
    assert position in assessment.suspicious


@pytest.mark.parametrize("names", [["Amira Khan", "Abbey", "food"], ["a" * 80, "b"], ["ref", "12345678"]])
def test_a_row_that_may_be_a_record_is_doubtful(names: list[str]) -> None:
    assert assess_header(names).kind is HeaderKind.DOUBTFUL


def test_display_name_masks_like_a_value() -> None:
    assert display_name("Amira Khan", 0) == "column 1 (A**** K***)"
    assert display_name("", 4) == "column 5"


@dataclasses.dataclass(frozen=True)
class _Finding:
    name: str
    reason: str
    examples: list[str]


def test_mask_names_reaches_every_string_and_only_whole_words() -> None:
    report = {
        "columns": [_Finding("Amira Khan", "Amira Khan looks like names; see the page on age", ["A**** K***"])],
        "combos": [("Amira Khan", "age")],
        "sha": "deadbeefage",
    }
    masked = mask_names(report, ["Amira Khan", "age"])
    flat = repr(masked)
    assert "Amira" not in flat
    assert "page" in flat and "deadbeefage" in flat, "parts of longer words are left alone"
    assert masked["combos"] == [("column 1 (A**** K***)", "column 2 (a**)")]
