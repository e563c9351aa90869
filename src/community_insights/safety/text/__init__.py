"""Find personal data inside free text (case notes, comments, descriptions).

Why not just run a language model over every note: spaCy's small English
model manages a few hundred notes a second and, on UK case notes, misses half
the surnames from outside England and tags "Warm Home Discount" as a person.
So the span finder works in three layers:

1. **Identifiers by rule.** One pass of regular expressions finds NHS numbers
   (modulus 11 checked; not when the words before name another number, such
   as "Invoice" or "+44"), NI numbers (HMRC prefixes; spaced or dashed,
   "AB-12-34-56-C"), both also glued into a file name by underscores
   ("P60_AB123456C.pdf", "NHS_4857773457.pdf"), postcodes (Royal Mail
   format), phone numbers (validated with ``phonenumbers``), emails (also
   spelt out: "j.smith at gmail dot com"), IP addresses, payment cards
   (Luhn), UPNs (check letter), vehicle marks, street addresses, and dates of
   birth (a date with "DOB"/"born" nearby); bank details and passport numbers
   only with their keyword nearby; IBANs by the ISO 13616 check (``online``,
   reported as ``BANK_ACCOUNT``) and social-media handles and labelled
   usernames as one ``ONLINE_ID`` span each. Records laid out by other systems
   (``records``): an address as a house number, words and a postcode
   whatever its street word, sort codes near banking words, cards in every
   published range or after a card label, numbers written as UK phone
   numbers, and a date alone in a field of a person's record as the date of
   birth.
2. **Names by gazetteer and rules.** Tokens are looked up in the shipped name
   lists (every community in the UK; accents optional), titles (Mr, Mrs, Dr,
   Cllr, Imam …) mark the next word as a name, initials and surname
   particles (O', Mc, Ní, bin, al-) join a name, one-letter misspellings of a
   listed name count, and a phrase followed by an organisation or place word
   ("Hospital", "Street", "Discount", "Sainsbury's") or preceded by "St" is
   dropped. Names that are everyday words ("Hope", "Grace", "Will", "May")
   need context: a title, a surname beside them, a relation word ("son
   Will"), a reporting verb ("Grace said"), or the model (below). In
   lower-case and all-caps notes, where capitals cannot tell a name from a
   word, so does every listed name that is an English word ("over", "topic",
   "tom"), and a word typed with a slip ("emial adress") is not read as a
   misspelt name.
3. **spaCy, only where the rules are unsure**: a short window around each
   unresolved candidate goes through the NER pipe (``nlp.pipe``), and its
   PERSON entities are kept only if they overlap that candidate.

4. **Rules for notes written elsewhere** (``context``, with ``special`` for
   health, religion, ethnicity and sexual orientation): phone numbers in
   context even in reserved ranges, every Royal Mail and Welsh street word,
   the US Postal Service's street types before a town and an address run on
   to its town (``addresses``), month-first birth dates, accented emails, names after a cue, and
   organisations and places that are not people, firms named after people
   and towns named like them (``firms``).

Identical notes are processed once. Spans carry 0-based data rows and
character offsets into the cell, so the remedies can redact them exactly.

Each layer is a module of this package (``identifiers`` with ``records`` and ``online``, ``names`` with its
``name_words``, ``model``, ``context`` with ``special``, ``people``, ``firms``, ``addresses`` and ``phrases``); this
front holds the batch work and the public API.
"""

from __future__ import annotations

import dataclasses
import operator
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING

from community_insights.safety.names import NameLists, name_lists
from community_insights.safety.text.context import refine_spans
from community_insights.safety.text.gates import IDENTIFIER_MASK, gate_frame
from community_insights.safety.text.identifiers import ALL_GATES, identifier_spans
from community_insights.safety.text.model import model_confirms, spacy_pipeline
from community_insights.safety.text.names import case_modes_from_counts, name_candidates
from community_insights.safety.types import PiiType, Span

if TYPE_CHECKING:
    import polars as pl

__all__ = [
    "find_span_tuples",
    "find_spans",
    "find_spans_in_text",
    "placeholder",
    "redact_text",
    "warm_up",
]

# --------------------------------------------------------------------------
# Public API
# --------------------------------------------------------------------------


#: A constant: reading ``PiiType.PERSON`` looks it up on the enum class each time, and it is read per span.
_PERSON = PiiType.PERSON


def _spans_for_text(
    text: str, lists: NameLists, gates: int = ALL_GATES, mode: str | None = None
) -> tuple[list[tuple[int, int, PiiType]], list[tuple[int, int]]]:
    ids = identifier_spans(text, gates)
    sure, unsure = name_candidates(text, lists, mode)
    if not ids:  # nothing for a name to overlap
        return sorted((c.start, c.end, _PERSON) for c in sure), unsure
    names = [(c.start, c.end, _PERSON) for c in sure if _clear_of(c.start, c.end, ids)]
    # ADDRESS spans swallow street names; a person inside one is not a person.
    pending = [(s, e) for s, e in unsure if _clear_of(s, e, ids)]
    return sorted(ids + names), pending


def _clear_of(s: int, e: int, ids: list[tuple[int, int, PiiType]]) -> bool:
    """Does ``[s, e)`` overlap none of ``ids``?

    A plain loop, not ``all()`` over a generator: that costs three times as much, and this runs for every name.
    """

    for a, b, _ in ids:  # noqa: SIM110 (see above)
        if e > a and s < b:
            return False
    return True


_Found = tuple[int, int, PiiType, str]
#: Spans of notes seen lately in this process (notes recur across batches: "No answer", "Called, no reply").
_NOTE_CACHE: dict[tuple[str, bool], tuple[_Found, ...]] = {}
_NOTE_CACHE_MAX = 50_000
_TUPLE_ROW_START = operator.itemgetter(0, 1)
_SPAN_FIELDS = ("column", "row", "start", "end", "type", "score", "source")


def _span_maker() -> Callable[[str, int, int, int, PiiType, float, str], Span]:
    """A constructor for :class:`Span` that is about three times quicker than ``Span(...)``.

    ``Span`` is a frozen dataclass, whose ``__init__`` goes through
    ``object.__setattr__`` once per field; a batch of notes makes hundreds of
    thousands of them. Writing the slots directly gives an equal object. If
    ``Span`` ever gains a field, this falls back to the ordinary constructor.
    """

    if tuple(f.name for f in dataclasses.fields(Span)) != _SPAN_FIELDS or not hasattr(Span, "__slots__"):
        return Span
    set_column, set_row, set_start, set_end, set_type, set_score, set_source = (
        getattr(Span, name).__set__ for name in _SPAN_FIELDS
    )
    new = object.__new__

    def make(column: str, row: int, start: int, end: int, pii: PiiType, score: float, source: str) -> Span:
        span = new(Span)
        set_column(span, column)
        set_row(span, row)
        set_start(span, start)
        set_end(span, end)
        set_type(span, pii)
        set_score(span, score)
        set_source(span, source)
        return span

    return make


_make_span = _span_maker()


def find_spans_in_text(text: str) -> list[tuple[int, int, PiiType]]:
    """All spans in one piece of text as (start, end, type); convenience for tests."""

    spans = find_spans([text], column="text")
    return [(s.start, s.end, s.type) for s in spans]


def _analyse(
    texts: Sequence[str | None] | Iterable[str | None], use_model: bool, gated: pl.DataFrame | None = None
) -> tuple[dict[str, list[int]], dict[str, tuple[_Found, ...]]]:
    """Rows of each distinct non-empty text, and that text's spans sorted by start.

    ``gated`` is :func:`~.gates.gate_frame` of ``texts`` already made by the caller (one row per text).
    """

    lists = name_lists()
    rows_of: dict[str, list[int]] = {}
    for i, text in enumerate(texts):
        if text is None or not isinstance(text, str) or not text.strip():
            continue
        rows_of.setdefault(text, []).append(i)

    results: dict[str, tuple[_Found, ...]] = {}
    fresh: dict[str, list[_Found]] = {}
    for text in rows_of:
        hit = _NOTE_CACHE.get((text, use_model))
        if hit is None:
            fresh[text] = []
        else:
            results[text] = hit
    jobs: list[tuple[str, int, int]] = []
    distinct = list(fresh)
    if not distinct:
        return rows_of, results
    if gated is None:
        gated = gate_frame(distinct)
    elif len(distinct) < gated.height:  # the gates of the notes still to analyse, in their order
        gated = gated[[rows_of[text][0] for text in distinct]]
    masks = gated.get_column(IDENTIFIER_MASK).to_list()
    for text, gates, mode in zip(distinct, masks, case_modes_from_counts(distinct, gated), strict=True):
        found, pending = _spans_for_text(text, lists, gates, mode)
        fresh[text] = [(s, e, t, "list" if t is _PERSON else "rule") for s, e, t in found]
        if use_model:
            jobs.extend((text, s, e) for s, e in pending)
    if jobs:
        for (text, s, e), ok in zip(jobs, model_confirms(jobs), strict=True):
            if ok:
                fresh[text].append((s, e, PiiType.PERSON, "model"))
    if fresh:  # layer 4: the rules for notes written elsewhere (text/context.py)
        refined_all = refine_spans(distinct, [sorted(fresh[t]) for t in distinct], gated)
        for text, refined in zip(distinct, refined_all, strict=True):
            fresh[text] = refined
    if len(_NOTE_CACHE) + len(fresh) > _NOTE_CACHE_MAX:
        _NOTE_CACHE.clear()
    for text, found_list in fresh.items():
        results[text] = _NOTE_CACHE[(text, use_model)] = tuple(sorted(found_list))
    return rows_of, results


def find_spans(
    texts: Sequence[str | None] | Iterable[str | None],
    *,
    column: str,
    row_offset: int = 0,
    use_model: bool = True,
) -> list[Span]:
    """Find personal-data spans in a batch of cells of one free-text column.

    ``row_offset`` is the data row of ``texts[0]`` so that batches from a
    streaming reader get true row numbers. Identical cells are analysed once.
    ``use_model=False`` skips spaCy (rules and lists only) for the fastest scan.
    """

    return [
        _make_span(column, row, start, end, _PII_BY_VALUE[pii], score, source)
        for row, start, end, pii, score, source in find_span_tuples(texts, row_offset=row_offset, use_model=use_model)
    ]


_PII_BY_VALUE = {p.value: p for p in PiiType}
SpanTuple = tuple[int, int, int, str, float, str]


def warm_up(*, use_model: bool = True) -> None:
    """Load the name lists, the misspelling index and (unless ``use_model`` is false) spaCy now.

    They load lazily on first need, which costs a few seconds in each new
    worker process; a caller that times the scan, or wants the first batch
    as quick as the rest, calls this first.
    """

    lists = name_lists()
    lists.fuzzy_name("warmup")
    find_spans(["Mrs Begum rang on 07700 900123 about SW1A 1AA."], column="warm_up", use_model=False)
    if use_model:
        spacy_pipeline()


def find_span_tuples(
    texts: Sequence[str | None] | Iterable[str | None],
    *,
    row_offset: int = 0,
    use_model: bool = True,
    gated: pl.DataFrame | None = None,
) -> list[SpanTuple]:
    """:func:`find_spans` as plain ``(row, start, end, type, score, source)`` tuples.

    For worker processes: tuples pickle and travel between processes far
    more cheaply than :class:`Span` objects, and nothing is built twice. The
    order and content are exactly those of :func:`find_spans`. ``gated`` is
    :func:`~.gates.gate_frame` of ``texts`` when the caller made it already
    (for a whole batch at once, which costs less than a pass per chunk).
    """

    rows_of, results = _analyse(texts, use_model, gated)
    out: list[SpanTuple] = []
    repeats = False
    for text, rows in rows_of.items():
        found_spans = results[text]
        if not found_spans:
            continue
        if len(rows) > 1:
            repeats = True
        as_str = [(s, e, t.value, src) for s, e, t, src in found_spans]
        for row in rows:
            r = row + row_offset
            out.extend([(r, s, e, t, 1.0, src) for s, e, t, src in as_str])
    if repeats:
        out.sort(key=_TUPLE_ROW_START)
    return out


def placeholder(pii: PiiType) -> str:
    """The text that replaces a span: ``[NAME]``, ``[NHS_NUMBER]``, ``[POSTCODE]`` …"""

    return "[NAME]" if pii is PiiType.PERSON else f"[{pii.value}]"


def redact_text(text: str, spans: Sequence[Span]) -> str:
    """Replace each span with its placeholder; overlapping spans merge to the first."""

    pieces: list[str] = []
    pos = 0
    for span in sorted(spans, key=lambda s: (s.start, -s.end)):
        if span.start < pos:
            continue
        start = max(0, span.start)
        end = min(len(text), span.end)
        if start >= end:
            continue
        pieces.append(text[pos:start])
        pieces.append(placeholder(span.type))
        pos = end
    pieces.append(text[pos:])
    return "".join(pieces)
