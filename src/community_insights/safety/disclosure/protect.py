"""``protect_table``: the one function the command line and the portal call.

It builds a table (counts, sums, means or medians over one to four grouping
columns, with margins and grand total), applies the primary rules, then makes
the table safe against differencing by the method chosen (secondary
suppression by default, or rounding, or labelled perturbation), and returns a
:class:`ProtectedTable`: the published cells with ONS-style ``[c]`` marks and
metadata saying, as data and in plain words, which rules were applied and how
many cells each one hid.

Which cells were hidden and why is kept apart (:meth:`ProtectedTable.explain`)
because knowing which cells are *primary* narrows them to 1–9 people: it is
for the analyst's eyes and is never written to an output file.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import polars as pl

from community_insights.safety.defaults import DEFAULT_P_PERCENT, DEFAULT_ROUNDING_BASE, ROUNDING_BASES
from community_insights.safety.disclosure import rules as r
from community_insights.safety.disclosure.rounding import perturb_small_counts, round_to_base
from community_insights.safety.disclosure.rules import (
    BoolArray,
    DisclosureRules,
    FloatArray,
    Method,
    Statistic,
    dominance_protection,
    primary_flags,
)
from community_insights.safety.disclosure.suppression import secondary_suppression
from community_insights.safety.disclosure.tables import (
    MAX_CELLS,
    TOTAL_LABEL,
    Cube,
    DisclosureError,
    TableSource,
    aggregate,
    build_cube,
)
from community_insights.safety.types import to_jsonable

if TYPE_CHECKING:  # pragma: no cover - for type checkers only
    from community_insights.safety.backend import Backend

SCHEMA_VERSION = 1
CONFIDENTIAL = "[c]"  # ONS: confidential
NOT_AVAILABLE = "[x]"  # ONS: not available (a mean of nobody)
SECONDARY_METHOD = "linear programming (sequential minimum-cost LP per hidden cell, HiGHS), audited by LP"


@dataclasses.dataclass(slots=True)
class PublishedCell:
    """One cell as published: its categories (``None`` = total), figure and mark."""

    categories: dict[str, str | None]
    value: int | float | None
    mark: str | None = None
    is_total: bool = False


@dataclasses.dataclass(slots=True)
class HiddenCell:
    """Why one cell was hidden. For the analyst only; never published."""

    categories: dict[str, str | None]
    rules: list[str]
    reason: str


@dataclasses.dataclass(slots=True)
class TableMetadata:
    """What was done to a table, as data; ``note`` says it in plain words."""

    statistic: str
    value_column: str | None
    by: list[str]
    method: str
    rules_applied: list[str]
    threshold: int
    zeros: str
    p_percent: float | None
    nk: list[float] | None
    min_count: int | None
    rounding_base: int | None
    secondary_method: str | None
    cells: int
    hidden: int
    hidden_by_rule: dict[str, int]
    perturbed: int
    audit: dict[str, Any]
    rows_read: int
    note: str
    schema_version: int = SCHEMA_VERSION


@dataclasses.dataclass
class ProtectedTable:
    """A table that is safe to publish, with marks and metadata.

    Every field is publishable; :func:`to_jsonable` gives the JSON the
    portal's charts read. The analyst-only explanation lives outside the
    fields (see :meth:`explain`).
    """

    by: list[str]
    statistic: str
    value_column: str | None
    levels: dict[str, list[str]]
    cells: list[PublishedCell]
    metadata: TableMetadata

    def __post_init__(self) -> None:
        self._explanation: list[HiddenCell] = []

    def explain(self) -> list[HiddenCell]:
        """Which cells were hidden and why — for the analyst, never for publication."""

        return list(self._explanation)

    def to_jsonable(self) -> dict[str, Any]:
        """Plain JSON types: cells, marks and metadata (no analyst-only detail)."""

        result: dict[str, Any] = to_jsonable(self)
        return result

    def cell(self, **categories: str | None) -> PublishedCell:
        """The published cell with these categories (omit a column for its total)."""

        wanted = {name: categories.get(name) for name in self.by}
        for cell in self.cells:
            if cell.categories == wanted:
                return cell
        raise KeyError("No cell with those categories.")

    @property
    def label(self) -> str:
        """What the figures are, e.g. ``count`` or ``mean of hours``."""

        return self.statistic if self.value_column is None else f"{self.statistic} of {self.value_column}"

    def to_frame(self) -> pl.DataFrame:
        """Long ("tidy") layout: one row per cell, ``Total`` for margins, ``[c]`` for hidden.

        The figure column is text so a mark can stand in place of a number, as
        in ONS spreadsheets.
        """

        columns: dict[str, list[str]] = {name: [] for name in self.by}
        figures: list[str] = []
        for cell in self.cells:
            for name in self.by:
                label = cell.categories[name]
                columns[name].append(TOTAL_LABEL if label is None else label)
            figures.append(format_figure(cell, self.statistic))
        columns[self.label] = figures
        return pl.DataFrame(columns, schema={name: pl.Utf8 for name in columns})


def format_figure(cell: PublishedCell, statistic: str) -> str:
    """A figure as text: whole numbers for counts, two decimals otherwise, or its mark."""

    if cell.value is None:
        return cell.mark or NOT_AVAILABLE
    if statistic == "count":
        return str(round(cell.value))
    return f"{cell.value:.2f}"


def protect_table(
    source: TableSource,
    *,
    by: Sequence[str],
    statistic: Statistic = "count",
    value: str | None = None,
    rules: DisclosureRules | None = None,
    threshold: int | None = None,
    method: Method = "suppression",
    rounding_base: int = DEFAULT_ROUNDING_BASE,
    perturbation_key: bytes | None = None,
    batch_rows: int = 100_000,
    max_cells: int = MAX_CELLS,
    allow_identifiers: bool = False,
    backend: Backend | None = None,
) -> ProtectedTable:
    """Build a table from ``source`` and make it safe to publish.

    ``source`` is a file path (any format the safety check reads), a polars
    frame, or an iterable of frames. ``threshold`` overrides
    ``rules.threshold`` (the programme's setting). ``method`` is
    ``"suppression"`` (primary and secondary suppression, the default),
    ``"rounding"`` (primary suppression, then every figure rounded to
    ``rounding_base`` 5 or 10, totals independently) or ``"perturbation"``
    (counts below the threshold changed by a keyed −2…+2, labelled).
    A grouping column that the data safety check calls direct personal data
    (names, NHS numbers, emails…) is refused, because every one of its values
    would become a published row label, unless ``allow_identifiers`` is True.
    A Spark DataFrame, a path only Spark reads, or Spark's ``backend`` has the
    cells counted by Spark and protected here (``safety.disclosure.spark_table``).

    Example::

        table = protect_table("cases.csv", by=["ward", "age_band"], statistic="count")
        table.metadata.note   # "Cells marked [c] are hidden ..."
    """

    rules = rules or DisclosureRules()
    if threshold is not None:
        rules = dataclasses.replace(rules, threshold=threshold)
    if statistic not in ("count", "sum", "mean", "median"):
        raise DisclosureError("The statistic must be count, sum, mean or median.")
    if method not in ("suppression", "rounding", "perturbation"):
        raise DisclosureError("The method must be suppression, rounding or perturbation.")
    if method == "rounding" and statistic not in ("count", "sum"):
        raise DisclosureError("Rounding protects counts and sums; use suppression for means and medians.")
    if method == "rounding" and rounding_base not in ROUNDING_BASES:
        raise DisclosureError("Rounding is to base 5 or base 10.")
    if method == "perturbation":
        if statistic != "count":
            raise DisclosureError("Perturbation is for counts only.")
        if perturbation_key is None or len(perturbation_key) < 16:
            raise DisclosureError("Perturbation needs the programme's secret key (at least 16 bytes).")

    if _on_spark(source, backend):
        from community_insights.safety.disclosure.spark_table import spark_stats

        stats = spark_stats(
            source,
            by,
            statistic=statistic,
            value=value,
            top_n=rules.top_n,
            refuse=None if allow_identifiers else lambda sample: refuse_identifying_groups(sample, by),
            backend=backend,  # type: ignore[arg-type]
        )
    else:
        if not allow_identifiers:
            refuse_identifying_groups(source, by)
        stats = aggregate(source, by, statistic=statistic, value=value, top_n=rules.top_n, batch_rows=batch_rows)
    cube = build_cube(stats, top_n=rules.top_n, max_cells=max_cells)
    return protect_cube(
        cube, rules=rules, method=method, rounding_base=rounding_base, perturbation_key=perturbation_key
    )


def _on_spark(source: Any, backend: Backend | None) -> bool:
    """Whether Spark counts the cells: a Spark source, or a file with Spark's backend (frames stay in Polars)."""

    from community_insights.safety.spark_backend import is_spark_source

    if is_spark_source(source):
        return True
    return backend is not None and backend.name == "spark" and isinstance(source, (str, Path))


#: Rows of the source the grouping columns are classified from (as the check's first look does).
IDENTIFIER_SAMPLE_ROWS = 2000


def refuse_identifying_groups(source: TableSource, by: Sequence[str]) -> None:
    """Raise ``DisclosureError`` when a grouping column holds direct personal data."""

    from community_insights.safety.classify import classify_column
    from community_insights.safety.types import ColumnKind

    if isinstance(source, (str, Path)):
        from community_insights.safety.readers import open_table

        sample: pl.DataFrame | None = open_table(source).head(IDENTIFIER_SAMPLE_ROWS)
    elif isinstance(source, pl.DataFrame):
        sample = source.head(IDENTIFIER_SAMPLE_ROWS)
    elif isinstance(source, pl.LazyFrame):
        sample = source.head(IDENTIFIER_SAMPLE_ROWS).collect()
    else:
        sample = None  # an iterable of batches can be read only once: it is the caller's own frame
    if sample is None:
        return
    for name in by:
        if name not in sample.columns:
            continue  # aggregate() names the missing column in its own sentence
        finding = classify_column(name, sample.get_column(name).cast(pl.String, strict=False))
        hint = finding.evidence.header_hint
        # A header that names something else (a ward, an age band) outweighs a few values that look
        # like names in a small sample ("Bridge", "Abbey").
        contradicted = hint is not None and hint not in {str(t) for t in finding.pii_types}
        if finding.kind is ColumnKind.DIRECT_IDENTIFIER and not contradicted:
            kinds = ", ".join(str(t).replace("_", " ").lower() for t in finding.pii_types) or "identifiers"
            raise DisclosureError(
                f"The column {name} holds direct personal data ({kinds}), so a table by it would publish "
                "every value as a row label; group by another column (or force it if you are sure)."
            )


def protect_cube(
    cube: Cube,
    *,
    rules: DisclosureRules,
    method: Method = "suppression",
    rounding_base: int = DEFAULT_ROUNDING_BASE,
    perturbation_key: bytes | None = None,
) -> ProtectedTable:
    """Protect an already built table (see :func:`protect_table`)."""

    shown = cube.statistic_values().copy()
    flags = primary_flags(
        cube.statistic,
        rules,
        rows=cube.rows,
        contributors=cube.contributors,
        abs_total=cube.abs_total,
        top=cube.top,
    )
    if method == "perturbation":
        flags = {name: np.zeros(cube.shape, dtype=bool) for name in flags}
    primary = np.zeros(cube.shape, dtype=bool)
    for mask in flags.values():
        primary |= mask

    audit: dict[str, Any] = {"checked": False}
    secondary_mask = np.zeros(cube.shape, dtype=bool)
    secondary_method: str | None = None
    perturbed = 0
    if method == "suppression" and cube.statistic != "median":
        secondary_method = SECONDARY_METHOD
        upper, lower = _protection_levels(cube, rules, flags)
        # Per cell: a refund in one cell must not let the audit forget that every other cell is >= 0.
        nonnegative = np.ones(cube.shape, dtype=bool) if cube.statistic == "count" else cube.non_negative_cells()
        result = secondary_suppression(
            cube.additive_values(), primary, upper=upper, lower=lower, nonnegative=nonnegative
        )
        secondary_mask = result.secondary
        audit = {
            "checked": True,
            "primary_cells": result.audited_cells,
            "all_protected": result.audit_passed,
            "lp_solves": result.lp_solves,
            "seconds": round(result.seconds, 3),
        }
        if not result.audit_passed:  # pragma: no cover - the method guarantees protection
            raise DisclosureError("The table could not be protected; please report this.")
    elif method == "suppression":
        secondary_method = "not needed: medians cannot be added up, so hidden medians cannot be recovered"
    elif method == "rounding":
        shown = round_to_base(shown, rounding_base)
    else:
        assert perturbation_key is not None
        shown, changed = perturb_small_counts(
            cube.rows, threshold=rules.threshold, key=perturbation_key, labels=cube.levels
        )
        perturbed = int(changed.sum())

    hidden = primary | secondary_mask
    table = _assemble(cube, rules, method, rounding_base, shown, flags, hidden, secondary_mask, perturbed, audit)
    table.metadata.secondary_method = secondary_method
    return table


def _protection_levels(
    cube: Cube, rules: DisclosureRules, flags: dict[str, BoolArray]
) -> tuple[FloatArray, FloatArray]:
    """How uncertain each hidden cell must stay for an intruder (up, down).

    Counts: the published figures must allow the hidden cell to be as large
    as the threshold (so nobody can tell it is a small cell) and one less than
    it is (so nobody can tell it is not empty). Sums and means: at least p%
    of the figure either way, and for dominated totals the p% rule's own
    protection level (the amount the second-largest contributor must not be
    able to narrow the largest down to).
    """

    values = cube.additive_values()
    if cube.statistic == "count":
        if rules.count_protection == "minimal":
            upper = np.ones(cube.shape)
        else:
            upper = np.maximum(1.0, rules.threshold - values)
        lower = np.minimum(values, 1.0)
        return upper, lower
    p = rules.p_percent if rules.p_percent is not None else DEFAULT_P_PERCENT
    base = np.maximum(1.0, p * np.abs(values))
    upper = base.copy()
    dominated = flags.get(r.P_PERCENT, np.zeros(cube.shape, dtype=bool)) | flags.get(
        r.NK, np.zeros(cube.shape, dtype=bool)
    )
    if dominated.any():
        need = dominance_protection(rules, abs_total=cube.abs_total, top=cube.top)
        upper = np.where(dominated, np.maximum(upper, need), upper)
    lower = upper.copy()
    return upper, lower


_REASONS = {
    r.THRESHOLD: "fewer than {t} people (threshold rule)",
    r.MIN_COUNT: "fewer than {m} values behind this figure (minimum count)",
    r.ZERO: "an empty cell, and this programme hides zeros",
    r.P_PERCENT: "one or two contributors make up almost all of this total (p% rule, p = {p:.0%})",
    r.NK: "the {n} largest contributors make up more than {k:.0%} of this total (n,k rule)",
    r.SECONDARY: "hidden so that the other hidden cells cannot be worked out from the totals",
}


def _assemble(
    cube: Cube,
    rules: DisclosureRules,
    method: Method,
    rounding_base: int,
    shown: FloatArray,
    flags: dict[str, BoolArray],
    hidden: BoolArray,
    secondary: BoolArray,
    perturbed: int,
    audit: dict[str, Any],
) -> ProtectedTable:
    cells: list[PublishedCell] = []
    explanation: list[HiddenCell] = []
    counts = {name: 0 for name in (*flags, r.SECONDARY)}
    fmt = {
        "t": rules.threshold,
        "m": rules.effective_min_count,
        "p": rules.p_percent or 0.0,
        "n": rules.nk_n,
        "k": rules.nk_k or 0.0,
    }
    order = [name for name in r.PRIMARY_RULES if name in flags]
    for index in np.ndindex(cube.shape):
        labels = cube.labels(index)
        is_total = any(v is None for v in labels.values())
        if hidden[index]:
            which = [name for name in order if flags[name][index]] or [r.SECONDARY]
            counts[which[0]] += 1
            cells.append(PublishedCell(labels, None, CONFIDENTIAL, is_total))
            reason = "; ".join(_REASONS[name].format(**fmt) for name in which)
            explanation.append(HiddenCell(labels, which, reason))
            continue
        figure = shown[index]
        if np.isnan(figure):
            cells.append(PublishedCell(labels, None, NOT_AVAILABLE, is_total))
        elif cube.statistic == "count":
            cells.append(PublishedCell(labels, int(np.rint(figure)), None, is_total))
        else:
            cells.append(PublishedCell(labels, float(figure), None, is_total))

    hidden_by_rule = {name: counts[name] for name in (*order, r.SECONDARY)}
    applied = _rules_applied(cube.statistic, rules, method, order)
    empty = any(c.mark == NOT_AVAILABLE for c in cells)
    note = _note(cube, rules, method, rounding_base, hidden_by_rule, perturbed, empty)
    metadata = TableMetadata(
        statistic=cube.statistic,
        value_column=cube.value,
        by=list(cube.by),
        method=method,
        rules_applied=applied,
        threshold=rules.threshold,
        zeros="hidden" if rules.hide_zeros else "shown",
        p_percent=rules.p_percent if cube.statistic in ("sum", "mean") else None,
        nk=[rules.nk_n, rules.nk_k] if cube.statistic in ("sum", "mean") and rules.nk_k else None,
        min_count=rules.effective_min_count if cube.statistic in ("mean", "median") else None,
        rounding_base=rounding_base if method == "rounding" else None,
        secondary_method=None,
        cells=int(np.prod(cube.shape)),
        hidden=int(hidden.sum()),
        hidden_by_rule=hidden_by_rule,
        perturbed=perturbed,
        audit=audit,
        rows_read=cube.rows_read,
        note=note,
    )
    table = ProtectedTable(
        by=list(cube.by),
        statistic=cube.statistic,
        value_column=cube.value,
        levels={name: list(levels) for name, levels in zip(cube.by, cube.levels, strict=True)},
        cells=cells,
        metadata=metadata,
    )
    table._explanation = explanation
    return table


def _rules_applied(statistic: str, rules: DisclosureRules, method: Method, order: list[str]) -> list[str]:
    if method == "perturbation":
        return [f"small-count perturbation (counts below {rules.threshold} changed by up to ±2)"]
    applied = []
    for name in order:
        if name == r.THRESHOLD:
            applied.append(f"threshold rule (fewer than {rules.threshold} hidden)")
        elif name == r.MIN_COUNT:
            applied.append(f"minimum count ({rules.effective_min_count})")
        elif name == r.ZERO:
            applied.append("zeros hidden" if rules.hide_zeros else "zeros shown")
        elif name == r.P_PERCENT:
            applied.append(f"p% rule (p = {rules.p_percent:.0%})")
        elif name == r.NK:
            applied.append(f"n,k rule (n = {rules.nk_n}, k = {rules.nk_k:.0%})")
    if method == "rounding":
        applied.append("rounding (totals rounded independently)")
    elif statistic != "median":
        applied.append("secondary suppression")
    return applied


def _plural(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def _note(
    cube: Cube,
    rules: DisclosureRules,
    method: Method,
    rounding_base: int,
    hidden_by_rule: dict[str, int],
    perturbed: int,
    empty: bool = False,
) -> str:
    """The table's rules in plain words, for the footnote of a published table."""

    people = "people" if cube.statistic == "count" else "people contributing"
    if method == "perturbation":
        return (
            f"To protect privacy, counts below {rules.threshold} have been changed slightly at random "
            f"(by up to 2 either way); {_plural(perturbed, 'cell was', 'cells were')} changed. "
            "Totals are the sums of the changed figures, so they may differ slightly from the true totals."
        )
    parts = []
    primary = sum(v for k, v in hidden_by_rule.items() if k != r.SECONDARY)
    secondary = hidden_by_rule.get(r.SECONDARY, 0)
    if primary or secondary:
        parts.append(f"Cells marked {CONFIDENTIAL} are hidden to protect confidentiality.")
        reasons = []
        if hidden_by_rule.get(r.THRESHOLD):
            reasons.append(
                f"{_plural(hidden_by_rule[r.THRESHOLD], 'cell', 'cells')} with fewer than {rules.threshold} {people}"
            )
        if hidden_by_rule.get(r.MIN_COUNT):
            reasons.append(
                f"{_plural(hidden_by_rule[r.MIN_COUNT], 'cell', 'cells')} based on fewer than "
                f"{rules.effective_min_count} values"
            )
        if hidden_by_rule.get(r.ZERO):
            reasons.append(f"{_plural(hidden_by_rule[r.ZERO], 'empty cell', 'empty cells')}")
        dominance = hidden_by_rule.get(r.P_PERCENT, 0) + hidden_by_rule.get(r.NK, 0)
        if dominance:
            reasons.append(
                f"{_plural(dominance, 'cell', 'cells')} where one or two contributors make up most of the total"
            )
        if reasons:
            parts.append("Hidden: " + "; ".join(reasons) + ".")
        if secondary:
            parts.append(
                f"{_plural(secondary, 'more cell was', 'more cells were')} hidden so that those cannot be "
                "worked out from the totals."
            )
    else:
        parts.append("No cells needed hiding.")
    if method == "rounding":
        parts.append(
            f"All figures are rounded to the nearest {rounding_base}. Totals are rounded independently, "
            "so they may not equal the sum of the rounded figures."
        )
    elif primary or secondary:
        parts.append("Totals include the hidden cells.")
    if cube.statistic in ("count", "sum"):
        parts.append("Zeros are hidden." if rules.hide_zeros else "Zeros are shown: they are not people.")
    if empty:
        parts.append(f"{NOT_AVAILABLE} means there were no values to work from.")
    return " ".join(parts)
