"""Free-text span finder: names from many communities, classic false positives, offsets."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from community_insights.safety.text import find_spans, find_spans_in_text, redact_text
from community_insights.safety.types import PiiType

DATA = Path(__file__).parent / "data" / "handwritten_notes.jsonl"


def names_in(text: str) -> list[str]:
    return [text[s:e] for s, e, t in find_spans_in_text(text) if t is PiiType.PERSON]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Spoke to Mrs Begum about her housing.", ["Begum"]),
        ("Kwame came to the drop-in.", ["Kwame"]),
        ("Siobhán O'Neill rang back.", ["Siobhán O'Neill"]),
        ("Siobhan O'Neill rang back.", ["Siobhan O'Neill"]),
        ("Met Gwenllian Pritchard and Dafydd at the library.", ["Gwenllian Pritchard", "Dafydd"]),
        ("Gurpreet Kaur and her son Jaswinder attended.", ["Gurpreet Kaur", "Jaswinder"]),
        ("Rukhsana Bibi's daughter Zainab phoned.", ["Rukhsana Bibi", "Zainab"]),
        ("Abdirahman Warsame needs an interpreter.", ["Abdirahman Warsame"]),
        ("Chinedu Okonkwo and Ngozi visited.", ["Chinedu Okonkwo", "Ngozi"]),
        ("Delroy Campbell asked about the lunch club.", ["Delroy Campbell"]),
        ("Łukasz Wiśniewski needs a Polish interpreter.", ["Łukasz Wiśniewski"]),
        ("Wei Zhang will co-host.", ["Wei Zhang"]),
        ("Dr Nkansah-Boateng phoned.", ["Nkansah-Boateng"]),
        ("MRS BEGUM ATTENDED WITH SON ALI", ["BEGUM", "ALI"]),
        ("spoke to john smith and his wife priya patel", ["john smith", "priya patel"]),
        ("Siobahn rang again.", ["Siobahn"]),
        ("Cllr Jones raised it.", ["Jones"]),
        ("Will said he is fine.", ["Will"]),
        ("Her daughter Grace visits on Sundays.", ["Grace"]),
    ],
)
def test_names_from_many_communities(text: str, expected: list[str]) -> None:
    assert names_in(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "I hope the client will get support in May.",
        "Grace period agreed on the arrears.",
        "Will apply for the Warm Home Discount.",
        "Hope to close the case next month.",
        "May need a follow-up visit.",
        "Food voucher from Sainsbury's.",
        "Discharged from St Mary's Hospital today.",
        "Referred to the Job Centre and Jobcentre Plus.",
        "Lives near Grace Street.",
        "Referred to Age UK Camden for befriending.",
        "Meeting at Victoria Park and Hope House.",
        "Session cancelled - Storm Darragh.",
        "Universal Credit and Pension Credit claims made.",
        "nothing to report this week",
    ],
)
def test_classic_false_positives(text: str) -> None:
    assert names_in(text) == []


def test_identifiers_inside_sentences_and_offsets() -> None:
    text = (
        "Client NHS 943 476 5919, NI JG 10 37 89 A, lives at LS6 2AB, tel 07911 123456, "
        "email j.smith@example.org, DOB 03/04/1958, card 4111 1111 1111 1111, ip 10.1.2.3."
    )
    found = {(text[s:e], t) for s, e, t in find_spans_in_text(text)}
    assert ("943 476 5919", PiiType.NHS_NUMBER) in found
    assert ("JG 10 37 89 A", PiiType.NI_NUMBER) in found
    assert ("LS6 2AB", PiiType.POSTCODE) in found
    assert ("07911 123456", PiiType.PHONE) in found
    assert ("j.smith@example.org", PiiType.EMAIL) in found
    assert ("03/04/1958", PiiType.DATE_OF_BIRTH) in found
    assert ("4111 1111 1111 1111", PiiType.PAYMENT_CARD) in found
    assert ("10.1.2.3", PiiType.IP_ADDRESS) in found
    # An NHS number is never also reported as a phone number.
    assert not any(t is PiiType.PHONE and "943" in text[s:e] for s, e, t in find_spans_in_text(text))


def test_bad_checksums_are_not_reported() -> None:
    assert find_spans_in_text("ref 943 476 5918 and NI QQ123456C") == []


def test_rows_columns_dedupe_and_offset() -> None:
    texts = ["Spoke to Mrs Begum.", None, "", "Spoke to Mrs Begum.", "nothing"]
    spans = find_spans(texts, column="notes", row_offset=100)
    assert [(s.row, s.start, s.end, s.type, s.column) for s in spans] == [
        (100, 13, 18, PiiType.PERSON, "notes"),
        (103, 13, 18, PiiType.PERSON, "notes"),
    ]


def test_redact_text() -> None:
    text = "Mrs Begum, NHS 943 476 5919, LS6 2AB"
    spans = find_spans([text], column="n")
    assert redact_text(text, spans) == "Mrs [NAME], NHS [NHS_NUMBER], [POSTCODE]"
    assert redact_text("abc", []) == "abc"


def test_rules_only_mode_needs_no_model() -> None:
    spans = find_spans(["Grace was there."], column="n", use_model=False)
    assert spans == []


def _handwritten() -> list[dict[str, object]]:
    return [json.loads(line) for line in DATA.read_text(encoding="utf-8").splitlines()]


def test_handwritten_person_floors() -> None:
    """Hand-written notes (not from the generator): PERSON precision and recall floors."""

    items = _handwritten()
    texts = [str(i["text"]) for i in items]
    truth = {
        (row, s["start"], s["end"])
        for row, item in enumerate(items)
        for s in item["spans"]  # type: ignore[attr-defined]
        if s["type"] == "PERSON"
    }
    pred = {(s.row, s.start, s.end) for s in find_spans(texts, column="notes") if s.type is PiiType.PERSON}
    tp = len(truth & pred)
    precision = tp / len(pred)
    recall = tp / len(truth)
    assert len(truth) >= 60
    assert precision >= 0.95, precision
    assert recall >= 0.90, recall


def test_handwritten_identifiers_all_found() -> None:
    items = _handwritten()
    texts = [str(i["text"]) for i in items]
    truth = {
        (row, s["start"], s["end"], s["type"])
        for row, item in enumerate(items)
        for s in item["spans"]  # type: ignore[attr-defined]
        if s["type"] != "PERSON"
    }
    pred = {
        (s.row, s.start, s.end, s.type.value) for s in find_spans(texts, column="notes") if s.type is not PiiType.PERSON
    }
    assert truth <= pred
    assert len(pred - truth) <= 1
