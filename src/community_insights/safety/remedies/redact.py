"""Apply a remedy plan to a dataset and write the safe copy, streaming.

``redact_dataset`` reads the input batch by batch, applies each column's
action with vectorised Polars expressions (pseudonyms and span finding work
on the distinct values or texts of a batch), and hands the batches straight to
``write_table``, so memory stays flat however many rows the file has and a
failure leaves no partial safe copy behind.

When the plan names quasi-identifiers, the file is read twice: the first pass
only counts the combinations of those (already generalised) columns, so that
small-group suppression can decide what to coarsen before the second pass
writes anything. The same input, plan and key always give byte-identical
output: nothing depends on the clock, the order of a hash map or randomness.
"""

from __future__ import annotations

import dataclasses
import hashlib
import re
from collections import Counter, deque
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import polars as pl

from community_insights.safety.errors import InputError, KeyFileError, PlanError
from community_insights.safety.files import make_xlsx_reproducible, same_file, sha256_file
from community_insights.safety.masking import mask_word
from community_insights.safety.remedies.generalise import generalise, ladder_kind
from community_insights.safety.remedies.keys import KEY_BYTES, key_id, load_key
from community_insights.safety.remedies.plan import (
    ColumnRule,
    RemedyPlan,
    dumps_plan,
    load_plan,
    validate_plan,
)
from community_insights.safety.remedies.pseudonymise import (
    NORMALISERS,
    TOKEN_VERSION,
    Pseudonymiser,
)
from community_insights.safety.remedies.report import (
    ColumnRemedy,
    FileSummary,
    GroupSizes,
    PlanSummary,
    RedactReport,
    SensitiveDetail,
    SmallGroupsSummary,
)
from community_insights.safety.remedies.suppress import (
    COUNT,
    GroupCounter,
    GroupStats,
    apply_suppression,
    group_stats,
    plan_suppression,
)
from community_insights.safety.types import Action, ColumnKind, PiiType, Span

Progress = Callable[[int, int | None], None]

BATCH_ROWS = 100_000
_OUTPUT_SUFFIXES = {".csv": "csv", ".tsv": "tsv", ".xlsx": "xlsx", ".parquet": "parquet", ".jsonl": "jsonl"}
_EXAMPLES = 3

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
    span_counter: Counter[str] = dataclasses.field(default_factory=Counter)


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


_CHUNK_TEXTS = 2_000
_PARALLEL_MIN_TEXTS = 5_000
_SpanTuple = tuple[int, int, int, str, float, str]


def _scan_texts(texts: list[str], column: str) -> list[_SpanTuple]:
    """Worker entry point: spans as plain tuples (cheap to send between processes)."""

    from community_insights.safety.text import find_spans

    return [(s.row, s.start, s.end, s.type.value, s.score, s.source) for s in find_spans(texts, column=column)]


@dataclasses.dataclass(slots=True)
class _PendingSpans:
    texts: list[str]
    parts: list[Any]  # per chunk: a Future or a finished list of span tuples


class _SpanScanner:
    """Finds spans in distinct texts, spread over worker processes for big batches.

    spaCy is the slow part of redaction; with several cores, chunks of text go
    to a pool (spawned, because Polars and spaCy threads do not survive a
    fork) while the main process remedies the other columns and writes.
    Results are the same whichever process finds them.
    """

    def __init__(self, workers: int | None = None) -> None:
        self.workers = workers
        self._pool: Any = None

    def _ensure_pool(self, distinct: int) -> None:
        if self._pool is not None or self.workers == 0:
            return
        import os

        cores = os.cpu_count() or 1
        n = self.workers if self.workers is not None else (min(cores, 4) if cores > 1 else 0)
        if n > 1 and (self.workers is not None or distinct >= _PARALLEL_MIN_TEXTS):
            import multiprocessing
            from concurrent.futures import ProcessPoolExecutor

            self._pool = ProcessPoolExecutor(n, mp_context=multiprocessing.get_context("spawn"))

    def submit(self, texts: list[str], column: str) -> list[Any]:
        self._ensure_pool(len(texts))
        parts: list[Any] = []
        for i in range(0, len(texts), _CHUNK_TEXTS):
            chunk = texts[i : i + _CHUNK_TEXTS]
            if self._pool is not None:
                parts.append(self._pool.submit(_scan_texts, chunk, column))
            else:
                parts.append(_scan_texts(chunk, column))
        return parts

    def result(self, pending: _PendingSpans) -> list[list[Span]]:
        found: list[list[Span]] = [[] for _ in pending.texts]
        for index, part in enumerate(pending.parts):
            spans = part if isinstance(part, list) else part.result()
            base = index * _CHUNK_TEXTS
            for row, start, end, kind, score, source in spans:
                found[base + row].append(Span("", base + row, start, end, PiiType(kind), score, source))
        return found

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None


class _Remedies:
    """Applies the plan's per-column actions to one batch at a time."""

    def __init__(self, plan: RemedyPlan, key: bytes | None, scanner: _SpanScanner | None = None) -> None:
        self.plan = plan
        self.scanner = scanner or _SpanScanner(workers=0)
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
        record: bool,
        prepared: dict[str, _PendingSpans] | None = None,
    ) -> pl.Series | None:
        """The remedied column (None when dropped); *record* adds to the report figures."""

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
            out = self._redact_spans(state, batch, (prepared or {}).get(name), record=record)
        else:  # pragma: no cover - validated by the plan
            raise PlanError(f"Column '{name}' has an action this version cannot apply.")
        if record:
            self._record(state, values, out)
        return out

    def prepare(self, batch: pl.DataFrame) -> dict[str, _PendingSpans]:
        """Start finding spans in the batch's free text (in worker processes when worth it)."""

        prepared: dict[str, _PendingSpans] = {}
        for name in batch.columns:
            if self.states[name].rule.action is Action.REDACT_SPANS:
                values = batch[name].cast(pl.Utf8, strict=False)
                distinct = values.filter(_non_empty(values)).unique(maintain_order=True).to_list()
                prepared[name] = _PendingSpans(distinct, self.scanner.submit(distinct, name))
        return prepared

    def _redact_spans(
        self, state: _ColumnState, batch: pl.DataFrame, pending: _PendingSpans | None, *, record: bool
    ) -> pl.Series:
        from community_insights.safety.text import redact_text

        name = state.rule.column
        values = batch[name].cast(pl.Utf8, strict=False)
        if pending is None:
            pending = self.prepare(batch.select(name))[name]
        found = self.scanner.result(pending)
        # Each distinct text is redacted once, then mapped back onto the rows.
        redacted: list[str] = []
        per_text: list[Counter[str]] = []
        for text, spans in zip(pending.texts, found, strict=True):
            redacted.append(redact_text(text, spans) if spans else text)
            per_text.append(Counter(str(sp.type) for sp in spans))
        out = values.replace(pending.texts, redacted) if pending.texts else values
        if record and pending.texts:
            times = dict(values.value_counts().iter_rows())
            for text, counts in zip(pending.texts, per_text, strict=True):
                for kind, n in counts.items():
                    state.span_counter[kind] += n * times.get(text, 0)
        also = state.rule.params.get("also_values_of") or []
        if also:
            out = self._redact_echoes(state, batch, out, also, record=record)
        return out.alias(name)

    def _redact_echoes(
        self, state: _ColumnState, batch: pl.DataFrame, text: pl.Series, also: list[str], *, record: bool
    ) -> pl.Series:
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
        kinds = {c: self._kind_of(c) for c in also}
        for i in rows:
            cell = out[i]
            if not cell:
                continue
            for c in also:
                value = others[c][i]
                if not value:
                    continue
                cell, n = _replace_echoes(cell, _echo_words(value, person=person[c]), marks[c], person=person[c])
                if record and n:
                    state.span_counter[kinds[c]] += n
            out[i] = cell
        return pl.Series(text.name, out, dtype=pl.Utf8)

    def _kind_of(self, column: str) -> str:
        rule = self.states[column].rule
        return rule.pii_types[0].value if rule.pii_types else "REDACTED"

    def _placeholder_for(self, column: str) -> str:
        rule = self.states[column].rule
        return _placeholder(rule.pii_types[0] if rule.pii_types else None)

    def _record(self, state: _ColumnState, before: pl.Series, after: pl.Series | None) -> None:
        remedy = state.remedy
        present = _non_empty(before)
        remedy.values_in += int(present.sum())
        if after is None:
            remedy.values_changed += int(present.sum())
        else:
            b = before.cast(pl.Utf8, strict=False)
            a = after.cast(pl.Utf8, strict=False)
            remedy.values_changed += int((present & b.ne_missing(a)).sum())
            remedy.values_blanked += int((present & a.is_null()).sum())
        remedy.spans_redacted = sum(state.span_counter.values())
        remedy.span_types = dict(sorted(state.span_counter.items()))
        if len(remedy.examples_before) < _EXAMPLES and state.rule.action is not Action.KEEP:
            seen = set(remedy.examples_before)
            idx = present.arg_true()
            b_list = before.cast(pl.Utf8, strict=False)
            for i in idx.head(200).to_list():
                raw = b_list[i]
                masked = _mask(str(raw), state.rule)
                if masked in seen:
                    continue
                seen.add(masked)
                remedy.examples_before.append(masked)
                if after is not None and after[i] is not None and str(after[i]) == str(raw):
                    remedy.examples_after.append(masked)
                elif after is not None and after[i] is not None:
                    remedy.examples_after.append(_safe_after(state.rule, str(after[i])))
                elif after is not None:
                    remedy.examples_after.append("(empty)")
                else:
                    remedy.examples_after.append("(removed)")
                if len(remedy.examples_before) >= _EXAMPLES:
                    break

    def batch(
        self,
        batch: pl.DataFrame,
        row_offset: int,
        *,
        record: bool,
        prepared: dict[str, _PendingSpans] | None = None,
    ) -> pl.DataFrame:
        """All columns of one batch remedied, dropped columns left out."""

        columns = []
        for name in batch.columns:
            out = self.column(name, batch, row_offset, record=record, prepared=prepared)
            if out is not None:
                columns.append(out.alias(name))
        return pl.DataFrame(columns) if columns else pl.DataFrame()


def _stats(g: GroupStats) -> GroupSizes:
    return GroupSizes(
        smallest_group=g.k,
        groups=g.groups,
        records=g.records,
        groups_below_min=g.groups_below,
        records_below_min=g.records_below,
    )


def _one_value_groups(column: str, qis: list[str], counter: GroupCounter) -> SensitiveDetail:
    """Groups of the safe copy in which every record has the same value of *column*."""

    counts = counter.counts()
    if counts.height == 0:
        return SensitiveDetail(column, 0, 0)
    per_group = counts.group_by(qis).agg(
        pl.col(column).n_unique().alias("__values"), pl.col(COUNT).sum().alias("__records")
    )
    alike = per_group.filter(pl.col("__values") == 1)
    return SensitiveDetail(column, alike.height, int(alike["__records"].sum()))


def _resolve_key(plan: RemedyPlan, key: bytes | str | Path | None) -> bytes | None:
    if not plan.needs_key():
        return None if key is None else (key if isinstance(key, bytes) else load_key(key))
    if key is None:
        raise KeyFileError("This plan pseudonymises columns, so it needs a key file; make one with 'insights keygen'.")
    if isinstance(key, bytes):
        if len(key) != KEY_BYTES:
            raise KeyFileError("The key must be 256 bits (32 bytes).")
        return key
    return load_key(key)


def _residual_risks(
    plan: RemedyPlan, remedies: _Remedies, small: SmallGroupsSummary | None, same_file_as_planned: bool | None
) -> list[str]:
    risks: list[str] = []
    pseudo = [r.column for r in plan.columns if r.action in (Action.PSEUDONYMISE, Action.HASH_FILE_REFERENCE)]
    if pseudo:
        risks.append(
            f"Pseudonymised columns and keyed references ({', '.join(pseudo)}) are still personal data under "
            "UK GDPR: "
            "anyone holding the key can link them back to people. Keep the key away from the recipients "
            "of this copy and share the copy under a data sharing agreement."
        )
    free = [r.column for r in plan.columns if r.action is Action.REDACT_SPANS]
    if free:
        found = sum(remedies.states[c].remedy.spans_redacted for c in free)
        risks.append(
            f"Free text ({', '.join(free)}) had {found:,} pieces of personal data redacted automatically; "
            "automatic redaction misses some (unusual names, nicknames, descriptions of people), so a "
            "person should read a sample before it is shared."
        )
    kept = [
        r.column for r in plan.columns if r.action is Action.KEEP and r.kind is not None and r.kind.value != "other"
    ]
    if kept:
        risks.append(f"Columns the check flagged are kept as they are ({', '.join(kept)}); make sure that is intended.")
    blanked = [s.remedy.name for s in remedies.states.values() if s.remedy.values_blanked]
    if blanked:
        risks.append(
            f"Some values could not be read and were left empty ({', '.join(blanked)}); check the input "
            "for unusual formats."
        )
    if small is None:
        risks.append(
            "No quasi-identifiers were named, so the copy was not checked for small groups of people "
            "(the mosaic effect)."
        )
    else:
        if small.records_generalised:
            risks.append(
                "Records of small groups were made coarser than the rest; someone who knows the rule can "
                "tell that such a record comes from a small group."
            )
        if small.after.smallest_group is not None and small.after.smallest_group < small.min_group_size:
            risks.append(
                f"A group of {small.after.smallest_group} records remains, below the minimum of {small.min_group_size}."
            )
        for detail in small.sensitive_details:
            if detail.groups_with_one_value:
                risks.append(
                    f"In {detail.groups_with_one_value:,} groups ({detail.records_in_those_groups:,} records) "
                    f"everyone has the same {detail.column}: anyone who knows a person is in such a group "
                    "learns it."
                )
        risks.append(
            "Group sizes only cover the named quasi-identifiers; a recipient who holds other data about "
            "these people may still match records (the mosaic effect)."
        )
    if same_file_as_planned is False:
        risks.append(
            "The plan was made from a different file with the same columns; check that its decisions "
            "still fit this file."
        )
    return risks


def redact_dataset(
    path: str | Path,
    plan: RemedyPlan | str | Path,
    key: bytes | str | Path | None,
    output: str | Path,
    report: str | Path | None = None,
    *,
    sheet: str | None = None,
    batch_rows: int = BATCH_ROWS,
    progress: Progress | None = None,
    workers: int | None = None,
) -> RedactReport:
    """Write a safe copy of *path* to *output* by applying *plan*; return the before/after report.

    *key* is the pseudonymisation key as bytes or the path of a key file (it
    may be None when the plan pseudonymises nothing). *report*, when given, is
    written as HTML (``.html``) or JSON. Raises ``InputError``, ``PlanError``
    or ``KeyFileError`` with one plain sentence for bad input, before any
    output exists. *workers* is the number of processes that look for
    personal data in free text (default: up to four when the machine has
    several cores and the text is large; 0 keeps it in this process).
    """

    from community_insights.safety.readers import open_table

    source = Path(path)
    target = Path(output)
    if same_file(source, target):
        raise InputError(
            "The output path is the same as the input; choose another name so the original stays as it is."
        )
    if report is not None and (same_file(source, Path(report)) or same_file(target, Path(report))):
        raise InputError("The report path must differ from the input and the output.")
    if target.suffix.lower() not in _OUTPUT_SUFFIXES:
        raise InputError(
            f"Cannot write {target.name}: the safe copy's format must be one of "
            f"{', '.join(sorted(set(_OUTPUT_SUFFIXES)))}."
        )
    if not (target.parent if str(target.parent) else Path(".")).is_dir():
        raise InputError(f"The folder for {target.name} does not exist.")
    if isinstance(plan, RemedyPlan):
        plan_obj = plan
        plan_sha = hashlib.sha256(dumps_plan(plan).encode("utf-8")).hexdigest()
        plan_name = None
    else:
        plan_obj = load_plan(plan)
        plan_sha = sha256_file(Path(plan))
        plan_name = Path(plan).name
    table = open_table(source, sheet=sheet or plan_obj.source.sheet)
    validate_plan(plan_obj, table.columns)
    key_bytes = _resolve_key(plan_obj, key)
    source_sha = table.sha256()
    same_as_planned = None if plan_obj.source.sha256 is None else plan_obj.source.sha256 == source_sha

    scanner = _SpanScanner(workers)
    try:
        return _redact(
            table,
            plan_obj,
            key_bytes,
            scanner,
            source,
            target,
            report,
            plan_name=plan_name,
            plan_sha=plan_sha,
            source_sha=source_sha,
            same_as_planned=same_as_planned,
            batch_rows=batch_rows,
            progress=progress,
        )
    finally:
        scanner.close()


def _redact(
    table: Any,
    plan_obj: RemedyPlan,
    key_bytes: bytes | None,
    scanner: _SpanScanner,
    source: Path,
    target: Path,
    report: str | Path | None,
    *,
    plan_name: str | None,
    plan_sha: str,
    source_sha: str,
    same_as_planned: bool | None,
    batch_rows: int,
    progress: Progress | None,
) -> RedactReport:
    from community_insights.safety.readers import write_table

    remedies = _Remedies(plan_obj, key_bytes, scanner)
    if not remedies.output_columns:
        raise PlanError("The plan drops every column, so the safe copy would be empty.")
    qis = plan_obj.effective_quasi_identifiers()
    k = plan_obj.min_group_size
    small: SmallGroupsSummary | None = None
    total_rows: int | None = None
    mapping = None
    if qis:
        # Before: raw combinations are nearly as many as rows, so only a 64-bit hash of each
        # is counted (a collision would merge two groups once in ~10^10 files of a million rows).
        before = GroupCounter(["__ci_combination"], as_text=False)
        level0 = GroupCounter(qis)
        rows = 0
        for batch in table.iter_batches(batch_rows):
            before.add(batch.select(pl.struct(qis).hash(seed=0).alias("__ci_combination")))
            remedied = pl.DataFrame(
                [remedies.column(c, batch, rows, record=False) for c in qis]  # type: ignore[misc]
            )
            level0.add(remedied)
            rows += batch.height
            if progress is not None:
                progress(rows, None)
        total_rows = rows
        ladders = {
            c: ladder_kind(
                plan_obj.rule(c).action.value,
                plan_obj.rule(c).params,
                [t.value for t in plan_obj.rule(c).pii_types],
            )
            for c in qis
        }
        before_stats = group_stats(before.counts(), k)
        del before
        decided = plan_suppression(level0.counts(), qis, ladders, min_group_size=k, method=plan_obj.small_groups)
        del level0
        mapping = decided.mapping
        small = SmallGroupsSummary(
            quasi_identifiers=list(qis),
            min_group_size=k,
            method=plan_obj.small_groups,
            before=_stats(before_stats),
            after=_stats(decided.after),
            records_generalised=decided.records_generalised,
            records_removed=decided.records_removed,
            columns_coarsened=decided.columns_coarsened,
        )

    counts = {"in": 0, "out": 0}
    sensitive = [
        r.column
        for r in plan_obj.columns
        if r.kind is ColumnKind.SPECIAL_CATEGORY and r.action is Action.KEEP and r.column not in qis
    ]
    diversity = {c: GroupCounter([*qis, c]) for c in sensitive} if qis else {}

    def finish(batch: pl.DataFrame, offset: int, prepared: dict[str, _PendingSpans]) -> pl.DataFrame:
        safe = remedies.batch(batch, offset, record=True, prepared=prepared)
        if mapping is not None and safe.width:
            safe, _removed = apply_suppression(safe, qis, mapping)
        counts["in"] += batch.height
        counts["out"] += safe.height
        for column, counter in diversity.items():
            counter.add(safe.select([*qis, column]))
        if progress is not None:
            progress(counts["in"], total_rows)
        return safe

    def batches() -> Iterator[pl.DataFrame]:
        # One batch of look-ahead: its free text is with the workers while this one is finished.
        waiting: deque[tuple[pl.DataFrame, int, dict[str, _PendingSpans]]] = deque()
        done = 0
        produced = False
        for batch in table.iter_batches(batch_rows):
            waiting.append((batch, done, remedies.prepare(batch)))
            done += batch.height
            if len(waiting) > 1:
                produced = True
                yield finish(*waiting.popleft())
        while waiting:
            produced = True
            yield finish(*waiting.popleft())
        if not produced:
            yield pl.DataFrame({c: pl.Series(c, [], dtype=pl.Utf8) for c in remedies.output_columns})

    write_table(batches(), target)
    if target.suffix.lower() == ".xlsx":
        make_xlsx_reproducible(target, plan_obj.reference_date.isoformat())

    output_sha = sha256_file(target)
    if small is not None:
        for column, n in small.columns_coarsened.items():
            remedies.states[column].remedy.coarsened_in_small_groups = n
    if small is not None:
        small.sensitive_details = [_one_value_groups(c, qis, counter) for c, counter in diversity.items()]
    out_format = target.suffix.lower().lstrip(".")
    result = RedactReport(
        source=FileSummary(
            file_name=source.name,
            format=table.format,
            rows=counts["in"],
            columns=list(table.columns),
            sha256=source_sha,
        ),
        output=FileSummary(
            file_name=target.name,
            format=out_format,
            rows=counts["out"],
            columns=list(remedies.output_columns),
            sha256=output_sha,
        ),
        plan=PlanSummary(
            file_name=plan_name,
            sha256=plan_sha,
            plan_version=plan_obj.plan_version,
            reference_date=plan_obj.reference_date.isoformat(),
            made_for=plan_obj.source.file_name,
            made_for_sha256=plan_obj.source.sha256,
            same_file_as_planned=same_as_planned,
        ),
        columns=[remedies.states[c].remedy for c in table.columns],
        small_groups=small,
        residual_risks=[],
        key_id=None if key_bytes is None else key_id(key_bytes),
        token_version=TOKEN_VERSION if plan_obj.needs_key() else None,
    )
    result.residual_risks = _residual_risks(plan_obj, remedies, small, same_as_planned)
    if report is not None:
        result.write(report)
    return result
