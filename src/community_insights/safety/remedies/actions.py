"""Each column's action (drop, redact spans, pseudonymise, generalise, keep) applied to a batch.

Why a module of its own: this is what the plan's actions mean, value by value, with the masked
examples before and after that the report shows; reading the file and writing the safe copy
around it is the job of :mod:`.redact`.
"""

from __future__ import annotations

import dataclasses
import re

import polars as pl

from community_insights.safety.errors import PlanError
from community_insights.safety.generalisation import generalise
from community_insights.safety.masking import mask_word
from community_insights.safety.remedies.plan import (
    ColumnRule,
    RemedyPlan,
)
from community_insights.safety.remedies.pseudonymise import (
    NORMALISERS,
    Pseudonymiser,
)
from community_insights.safety.remedies.report import (
    ColumnRemedy,
)
from community_insights.safety.remedies.spans import PendingSpans, SpanScanner
from community_insights.safety.types import Action, PiiType

_PLACEHOLDER = {PiiType.PERSON: "NAME"}


def _placeholder(pii: PiiType | str | None) -> str:
    if pii is None:
        return "[REDACTED]"
    kind = PiiType(pii) if not isinstance(pii, PiiType) else pii
    return f"[{_PLACEHOLDER.get(kind, kind.value)}]"


def _what_was_done(rule: ColumnRule) -> str:
    """The action in plain words for the report."""

    p = rule.params
    a = rule.action
    if a is Action.KEEP:
        return "Kept as it is."
    if a is Action.DROP:
        return "Removed from the safe copy."
    if a is Action.REDACT_SPANS:
        extra = ""
        if p.get("also_values_of"):
            extra = f" Values of {', '.join(p['also_values_of'])} in the same record were redacted too."
        return "Personal data found inside the text replaced by a placeholder such as [NAME]." + extra
    if a is Action.PSEUDONYMISE:
        return (
            f"Replaced by a keyed pseudonym ({p.get('prefix', 'P-')}…) after normalising it as "
            f"{p.get('type', 'TEXT')}; the same person gets the same pseudonym with the same key."
        )
    if a is Action.HASH_FILE_REFERENCE:
        return (
            f"Replaced by a keyed reference ({p.get('prefix', 'R-')}…) for system "
            f"'{p.get('system', 'default')}'; the key holder can match it back to the record."
        )
    if a is Action.SUPPRESS_SMALL_GROUPS:
        return "Kept, except in records whose group is too small, where it is coarsened or hidden."
    to = p.get("to")
    words = {
        "age_band": "age band on the reference date",
        "year": "year",
        "month": "month",
        "sector": "postcode sector",
        "district": "postcode district",
        "area": "postcode area",
        "band": "band",
        "ons_ethnic_group_5": "the five ONS high-level ethnic groups (Census 2021)",
    }
    return f"Generalised to {words.get(str(to), str(to))}."


def _safe_after(rule: ColumnRule, value: str) -> str:
    if rule.action in (Action.PSEUDONYMISE, Action.HASH_FILE_REFERENCE):
        prefix = str(rule.params.get("prefix", "P-" if rule.action is Action.PSEUDONYMISE else "R-"))
        return value[: len(prefix) + 4] + "…"
    if rule.action is Action.REDACT_SPANS:
        return _mask_text(value)
    return value


_PLACEHOLDER_WORD = re.compile(r"^\[[A-Z_]+\][^\w]*$")


def _mask_text(value: str, words: int = 6) -> str:
    """The start of a note with every word masked except placeholders: ``S**** t* [NAME] …``."""

    parts = value.split()
    shown = [w if _PLACEHOLDER_WORD.match(w) else mask_word(w) for w in parts[:words]]
    return " ".join(shown) + (" …" if len(parts) > words else "")


@dataclasses.dataclass(slots=True)
class _ColumnState:
    rule: ColumnRule
    remedy: ColumnRemedy
    pseudonymiser: Pseudonymiser | None = None


def _mask(value: str, rule: ColumnRule) -> str:
    from community_insights.safety.masking import mask_value

    pii = rule.pii_types[0] if rule.pii_types else None
    if rule.action is Action.REDACT_SPANS:
        return _mask_text(value)
    return mask_value(value, pii)


def _non_empty(values: pl.Series) -> pl.Series:
    text = values.cast(pl.Utf8, strict=False)
    return text.is_not_null() & (text.str.strip_chars().str.len_chars() > 0)


def _echo_words(value: str, *, person: bool) -> list[str]:
    """The pieces of a record's own identifier worth looking for in its free text.

    A name is looked for word by word (notes say "Grace", not "Grace Smith"),
    with its own capitalisation so that a resident called Will does not take
    the word "will" out of every sentence; other identifiers whole.
    """

    value = value.strip()
    if len(value) < 3:
        return []
    if not person:
        return [value]
    words = {value}
    for part in re.split(r"[\s,]+", value):
        if len(part) >= 3:
            words.update({part, part.title(), part.upper()})
    return sorted(words, key=len, reverse=True)


def _replace_echoes(text: str, words: list[str], mark: str, *, person: bool) -> tuple[str, int]:
    total = 0
    for word in words:
        present = word in text if person else word.casefold() in text.casefold()
        if not present:
            continue  # the common case: nothing to do, no regex needed
        flags = 0 if person else re.IGNORECASE
        text, n = re.subn(rf"(?<!\w){re.escape(word)}(?!\w)", mark, text, flags=flags)
        total += n
    return text, total


class Remedies:
    """Applies the plan's per-column actions to one batch at a time."""

    def __init__(self, plan: RemedyPlan, key: bytes | None, scanner: SpanScanner | None = None) -> None:
        self.plan = plan
        self.scanner = scanner or SpanScanner(workers=0)
        self.states: dict[str, _ColumnState] = {}
        for rule in plan.columns:
            remedy = ColumnRemedy(
                name=rule.column,
                action=rule.action.value,
                params=dict(rule.params),
                reason=rule.reason,
                what_was_done=_what_was_done(rule),
                kind=None if rule.kind is None else rule.kind.value,
                pii_types=[t.value for t in rule.pii_types],
            )
            state = _ColumnState(rule=rule, remedy=remedy)
            if rule.action is Action.PSEUDONYMISE:
                assert key is not None
                ptype = str(rule.params.get("type", "TEXT"))
                state.pseudonymiser = Pseudonymiser(
                    key,
                    domain=f"pseudonym:{ptype}",
                    normaliser=NORMALISERS[ptype],
                    prefix=str(rule.params.get("prefix", "P-")),
                    length=int(rule.params.get("length", 16)),
                )
            elif rule.action is Action.HASH_FILE_REFERENCE:
                assert key is not None
                system = str(rule.params.get("system", "default")).strip()
                state.pseudonymiser = Pseudonymiser(
                    key,
                    domain=f"file-reference:{system}",
                    normaliser=NORMALISERS["SYSTEM_ID"],
                    prefix=str(rule.params.get("prefix", "R-")),
                    length=int(rule.params.get("length", 16)),
                )
            self.states[rule.column] = state
        self.output_columns = [r.column for r in plan.columns if r.action is not Action.DROP]

    def column(
        self,
        name: str,
        batch: pl.DataFrame,
        row_offset: int,
        *,
        prepared: dict[str, PendingSpans] | None = None,
    ) -> pl.Series | None:
        """The remedied column (None when dropped); the report's figures are counted later, from the file."""

        state = self.states[name]
        rule = state.rule
        values = batch[name]
        action = rule.action
        out: pl.Series | None
        if action in (Action.KEEP, Action.SUPPRESS_SMALL_GROUPS):
            out = values
        elif action is Action.DROP:
            out = None
        elif action in (Action.PSEUDONYMISE, Action.HASH_FILE_REFERENCE):
            assert state.pseudonymiser is not None
            out = state.pseudonymiser.series(values)
        elif action is Action.GENERALISE:
            out = generalise(values, rule.params, self.plan.reference_date)
        elif action is Action.REDACT_SPANS:
            out = self._redact_spans(state, batch, (prepared or {}).get(name))
        else:  # pragma: no cover - validated by the plan
            raise PlanError(f"Column '{name}' has an action this version cannot apply.")
        return out

    def prepare(self, batch: pl.DataFrame) -> dict[str, PendingSpans]:
        """Start finding spans in the batch's free text (in worker processes when worth it)."""

        prepared: dict[str, PendingSpans] = {}
        for name in batch.columns:
            if self.states[name].rule.action is Action.REDACT_SPANS:
                values = batch[name].cast(pl.Utf8, strict=False)
                distinct = values.filter(_non_empty(values)).unique(maintain_order=True).to_list()
                prepared[name] = PendingSpans(distinct, self.scanner.submit(distinct, name))
        return prepared

    def _redact_spans(self, state: _ColumnState, batch: pl.DataFrame, pending: PendingSpans | None) -> pl.Series:
        from community_insights.safety.text import redact_text

        name = state.rule.column
        values = batch[name].cast(pl.Utf8, strict=False)
        if pending is None:
            pending = self.prepare(batch.select(name))[name]
        found = self.scanner.result(pending)
        # Each distinct text is redacted once, then mapped back onto the rows.
        redacted = [
            redact_text(text, spans) if spans else text for text, spans in zip(pending.texts, found, strict=True)
        ]
        out = values.replace(pending.texts, redacted) if pending.texts else values
        also = state.rule.params.get("also_values_of") or []
        if also:
            out = self._redact_echoes(batch, out, also)
        return out.alias(name)

    def _redact_echoes(self, batch: pl.DataFrame, text: pl.Series, also: list[str]) -> pl.Series:
        """Take a record's own identifiers out of its free text, whatever the span finder missed.

        A vectorised containment test picks the few rows where any piece of a
        record's own name or identifier still appears; only those rows are
        edited one by one.
        """

        frame = batch.select([pl.col(c).cast(pl.Utf8, strict=False) for c in also]).with_columns(
            text.alias("__ci_text")
        )
        lowered = pl.col("__ci_text").str.to_lowercase()
        hits = []
        for c in also:
            value = pl.col(c).str.strip_chars()
            hits.append(lowered.str.contains(value.str.to_lowercase(), literal=True) & (value.str.len_chars() >= 3))
            if PiiType.PERSON in self.states[c].rule.pii_types:
                for i in range(4):
                    part = value.str.split(" ").list.get(i, null_on_oob=True)
                    hits.append(
                        lowered.str.contains(part.str.to_lowercase(), literal=True) & (part.str.len_chars() >= 3)
                    )
        mask = frame.select(pl.any_horizontal(hits).fill_null(False)).to_series()
        rows = mask.arg_true().to_list()
        if not rows:
            return text
        out = text.to_list()
        others = {c: frame[c].to_list() for c in also}
        marks = {c: self._placeholder_for(c) for c in also}
        person = {c: PiiType.PERSON in self.states[c].rule.pii_types for c in also}
        for i in rows:
            cell = out[i]
            if not cell:
                continue
            for c in also:
                value = others[c][i]
                if not value:
                    continue
                cell, _ = _replace_echoes(cell, _echo_words(value, person=person[c]), marks[c], person=person[c])
            out[i] = cell
        return pl.Series(text.name, out, dtype=pl.Utf8)

    def _placeholder_for(self, column: str) -> str:
        rule = self.states[column].rule
        return _placeholder(rule.pii_types[0] if rule.pii_types else None)

    def batch(
        self,
        batch: pl.DataFrame,
        row_offset: int,
        *,
        prepared: dict[str, PendingSpans] | None = None,
    ) -> pl.DataFrame:
        """All columns of one batch remedied, dropped columns left out."""

        columns = []
        for name in batch.columns:
            out = self.column(name, batch, row_offset, prepared=prepared)
            if out is not None:
                columns.append(out.alias(name))
        return pl.DataFrame(columns) if columns else pl.DataFrame()
