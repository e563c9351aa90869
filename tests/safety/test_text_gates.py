"""The span finder's gates made once per batch give the same spans as gates made per chunk."""

from __future__ import annotations

import polars as pl
import pytest

from community_insights.safety import text_scan
from community_insights.safety.text import find_span_tuples, find_spans
from community_insights.safety.text.gates import IDENTIFIER_MASK, gate_frame
from community_insights.safety.text.identifiers import gate_masks
from community_insights.safety.text.names import case_modes, case_modes_from_counts

#: Each note opens different gates, so a note read with another note's gates loses spans.
NOTES = [
    "Spoke to Ms Lororaish by phone on 020 8727 0018. New address OL1 9HX.",
    "Please email vikram.ishdodo29@mail.example.org with the forms.",
    "NHS number 485 777 3457, born 2 April 1939, sort code 20-00-00 for the bank account 12345678.",
    "my name is thilini and i live at 12 heol y bont, cf10 1aa",
    "MRS BEGUM ATTENDED WITH SON ALI ON 14/02/2024",
    "Neighbour says Tomasz moved out; he has depression and is a wheelchair user.",
    "Visit www.johnlewis.com or Marks & Spencer; Derby said hello.",
    "siân.evans@example.cymru rang from +44 (0)7700 900123",
]


def test_one_pass_matches_the_gates_asked_one_by_one() -> None:
    frame = gate_frame(NOTES)
    assert frame.height == len(NOTES)
    assert frame.get_column(IDENTIFIER_MASK).to_list() == gate_masks(NOTES)
    assert case_modes_from_counts(NOTES, frame) == case_modes(NOTES)
    assert len(set(frame.get_column(IDENTIFIER_MASK).to_list())) > 4  # the notes open different gates


def test_spans_with_the_batch_gates_equal_spans_without() -> None:
    texts = [*NOTES, None, "", "   ", NOTES[1], NOTES[4]]
    expected = find_span_tuples(texts, use_model=False)
    gated = gate_frame([t or "" for t in texts])
    assert find_span_tuples(texts, use_model=False, gated=gated) == expected
    assert {s[3] for s in expected} >= {"PHONE", "EMAIL", "NHS_NUMBER", "POSTCODE", "ADDRESS", "PERSON"}


def test_gates_of_notes_already_seen_are_left_out_in_order() -> None:
    """Notes found in the span cache are not analysed again: the rest must keep their own gates."""

    seen = [NOTES[0], NOTES[3], NOTES[6]]
    find_span_tuples(seen, use_model=False)  # now in the cache
    texts = [NOTES[0], NOTES[1], NOTES[3], NOTES[2], NOTES[6], NOTES[5]]
    gated = gate_frame(texts)
    one_by_one = [find_span_tuples([t], row_offset=i, use_model=False) for i, t in enumerate(texts)]
    assert find_span_tuples(texts, use_model=False, gated=gated) == [s for spans in one_by_one for s in spans]


def test_scanner_sends_each_chunk_with_its_own_gates(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(text_scan, "_CHUNK_TEXTS", 3)  # several chunks of one batch, each with its slice
    rows = [*NOTES, NOTES[2], "ok", None, *reversed(NOTES)]
    found: list[object] = []
    scanner = text_scan.FreeTextScanner(["notes"], found.extend, workers=0)
    scanner.add(pl.DataFrame({"notes": rows}), row_offset=100)
    scanner.finish()
    expected = find_spans(rows, column="notes", row_offset=100)
    assert found == expected
    assert len(expected) > 20


def test_a_warmed_worker_sets_what_it_loaded_aside_from_the_garbage_collector() -> None:
    import gc

    gc.unfreeze()
    try:
        text_scan.warm_worker()
        assert gc.get_freeze_count() > 10_000  # spaCy's model and the name lists, at least
        assert find_spans([NOTES[0]], column="notes")  # and the span finder still works
    finally:
        gc.unfreeze()
