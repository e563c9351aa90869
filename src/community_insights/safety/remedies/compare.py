"""The before/after figures of a safe copy, counted from the written file against the input.

Why: the report used to count what changed while the plan was applied, before
small-group suppression had its say, so it read "Ethnicity: kept, 0 of 178
changed" over a file in which every value was ``*``, and showed postcode
districts for rows that had been coarsened to areas. Now, once the copy is
written, the input and the copy are read side by side, row by row (the rows
small-group suppression removed are known, so the two stay aligned), and every
figure and example of a column comes from that comparison: values kept as they
were, changed, suppressed (``*``), left blank or removed with their column or
record, the different values left, and the placeholders the text gained.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl

from community_insights.safety.generalisation import SUPPRESSED
from community_insights.safety.remedies.actions import Remedies, _ColumnState, _mask, _safe_after
from community_insights.safety.types import Action

#: Masked examples before and after, per column.
EXAMPLES = 3
#: Different values are counted exactly up to this many per column (a column of
#: pseudonyms has as many as rows; beyond the cap the count says "at least").
DISTINCT_CAP = 100_000
_NO_HASHES = pl.Series("hash", [], dtype=pl.UInt64)
_PLACEHOLDER = r"\[[A-Z_]+\]"
_PLACEHOLDER_TYPES = {"NAME": "PERSON"}


class _Rows:
    """The copy's rows handed out in the sizes the input's batches need."""

    def __init__(self, frames: Iterator[pl.DataFrame]) -> None:
        self._frames = frames
        self._buffer: pl.DataFrame | None = None

    def take(self, n: int) -> pl.DataFrame:
        parts: list[pl.DataFrame] = []
        while n > 0:
            if self._buffer is None or self._buffer.height == 0:
                self._buffer = next(self._frames, None)
                if self._buffer is None:
                    break
            part = self._buffer.head(n)
            self._buffer = self._buffer.slice(n)
            parts.append(part)
            n -= part.height
        if not parts:
            return pl.DataFrame()
        return pl.concat(parts, how="vertical_relaxed") if len(parts) > 1 else parts[0]


@dataclasses.dataclass(slots=True)
class _Tally:
    """One column's running counts while the two files are read.

    The different values are held as 64-bit hashes in one Polars column, not as Python
    strings: 8 bytes each rather than about a hundred, in memory that is given back whole
    (a collision would count two values as one, once in some 10^9 columns of a hundred thousand).
    """

    distinct: pl.Series = dataclasses.field(default_factory=lambda: _NO_HASHES)
    placeholders_in: Counter[str] = dataclasses.field(default_factory=Counter)
    placeholders_out: Counter[str] = dataclasses.field(default_factory=Counter)


def _text(values: pl.Series) -> pl.Series:
    return values.cast(pl.Utf8, strict=False).str.strip_chars()


def _present(values: pl.Series) -> pl.Series:
    text = _text(values)
    return (text.is_not_null() & (text != "")).fill_null(False)


def _placeholders(values: pl.Series) -> Counter[str]:
    found = _text(values).str.extract_all(_PLACEHOLDER).explode().drop_nulls()
    return Counter({str(k): int(v) for k, v in found.value_counts().iter_rows()})


def compare_with_input(table: Any, output: Path, remedies: Remedies, removed_rows: np.ndarray, batch_rows: int) -> None:
    """Fill each column's figures and examples in the report from the written copy and the input.

    *removed_rows* are the input's row numbers (from 0, ascending) that small-group
    suppression left out of the copy.
    """

    from community_insights.safety.readers import open_table

    copy = _Rows(open_table(output).iter_batches(batch_rows))
    removed = np.asarray(removed_rows, dtype=np.int64)
    tallies = {name: _Tally() for name in remedies.states}
    for state in remedies.states.values():
        remedy = state.remedy
        remedy.values_in = remedy.values_kept = remedy.values_changed = 0
        remedy.values_suppressed = remedy.values_blanked = remedy.values_removed = 0
        remedy.examples_before, remedy.examples_after = [], []
    offset = 0
    for batch in table.iter_batches(batch_rows):
        # The removed rows of this batch are one slice of the ascending numbers: no set of them all per batch.
        first, last = np.searchsorted(removed, [offset, offset + batch.height])
        kept_rows = np.ones(batch.height, dtype=bool)
        kept_rows[removed[first:last] - offset] = False
        kept = pl.Series("kept", kept_rows)
        offset += batch.height
        rows = batch.filter(kept)
        gone = batch.filter(~kept)
        after = copy.take(rows.height)
        for name in batch.columns:
            state = remedies.states[name]
            column = after.get_column(name) if name in after.columns else None
            _count(state, tallies[name], rows.get_column(name), column, gone.get_column(name))
    for name, state in remedies.states.items():
        tally = tallies[name]
        state.remedy.distinct_after = tally.distinct.len()
        if state.rule.action is Action.REDACT_SPANS:
            gained = {
                _PLACEHOLDER_TYPES.get(k[1:-1], k[1:-1]): n - tally.placeholders_in.get(k, 0)
                for k, n in tally.placeholders_out.items()
            }
            state.remedy.span_types = {k: v for k, v in sorted(gained.items()) if v > 0}
            state.remedy.spans_redacted = sum(state.remedy.span_types.values())


def _count(state: _ColumnState, tally: _Tally, before: pl.Series, after: pl.Series | None, gone: pl.Series) -> None:
    """Add one batch of one column to its figures: kept, changed, suppressed, blank or removed."""

    remedy = state.remedy
    present = _present(before)
    lost_with_records = int(_present(gone).sum())
    remedy.values_in += int(present.sum()) + lost_with_records
    remedy.values_removed += lost_with_records
    if after is None:  # the column is not in the copy
        remedy.values_removed += int(present.sum())
        _examples(state, before, None, present)
        return
    b, a = _text(before), _text(after)
    blank = ~_present(after)
    star = (a == SUPPRESSED).fill_null(False)
    same = (a == b).fill_null(False)
    remedy.values_kept += int((present & same).sum())
    remedy.values_suppressed += int((present & star & ~same).sum())
    remedy.values_blanked += int((present & blank).sum())
    remedy.values_changed += int((present & ~blank & ~star & ~same).sum())
    if tally.distinct.len() < DISTINCT_CAP:
        seen = a.filter(~blank & ~star).unique().hash(seed=0)
        tally.distinct = pl.concat([tally.distinct, seen]).unique()
    if state.rule.action is Action.REDACT_SPANS:
        tally.placeholders_in.update(_placeholders(before))
        tally.placeholders_out.update(_placeholders(after))
    _examples(state, before, after, present)


def _examples(state: _ColumnState, before: pl.Series, after: pl.Series | None, present: pl.Series) -> None:
    """Up to three masked values of the input and what the copy holds in the same rows."""

    remedy = state.remedy
    if len(remedy.examples_before) >= EXAMPLES or state.rule.action is Action.KEEP:
        return
    seen = set(remedy.examples_before)
    raw = before.cast(pl.Utf8, strict=False)
    for i in present.arg_true().head(200).to_list():
        masked = _mask(str(raw[i]), state.rule)
        if masked in seen:
            continue
        seen.add(masked)
        remedy.examples_before.append(masked)
        remedy.examples_after.append(_after_example(state, str(raw[i]), masked, after, i))
        if len(remedy.examples_before) >= EXAMPLES:
            return


def _after_example(state: _ColumnState, raw: str, masked: str, after: pl.Series | None, i: int) -> str:
    if after is None:
        return "(removed)"
    value = after[i]
    if value is None or not str(value).strip():
        return "(empty)"
    value = str(value)
    if value.strip() == raw.strip():
        return masked
    if value == SUPPRESSED:
        return SUPPRESSED
    return _safe_after(state.rule, value)
