"""Small-group suppression: no record is left in a group smaller than ``min_group_size``.

The quasi-identifiers (age band, postcode sector, ethnicity …) together put
every record in a group; a group of one is a person, whatever their name
column says. This module works on the *counts* of each combination (one row
per distinct combination, never per record), so memory follows the number of
combinations rather than the number of rows:

1. :class:`GroupCounter` adds up the combinations batch by batch.
2. :func:`plan_suppression` decides, for every combination that is too small,
   what it becomes. With ``small_groups: generalise`` it climbs each column's
   ladder one step at a time (postcode sector → district → area → ``*``;
   age band → broad band → ``*``; month → year → decade → ``*``; anything else
   → ``*``), always coarsening the column that still splits the small groups
   the most, until every group is large enough; records that are still alone
   when every column says ``*`` are removed. With ``small_groups: remove`` the
   records of small groups are removed straight away.
3. The redact step joins each batch to that mapping.

Only the records of small groups are coarsened; everyone else keeps the
planned detail. The report notes the residual risk this leaves (someone who
knows the rule can tell that a record shown as a district is in a small sector).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

import polars as pl

from community_insights.safety.generalisation import SUPPRESSED, up_one_level

COUNT = "__ci_count"
#: A group of quasi-identifiers as one 64-bit hash of its values (:class:`SensitiveCounter`).
GROUP = "__ci_group"
REMOVED = "__ci_removed"
_ORIG = "__ci_orig_"


class GroupCounter:
    """Counts records per combination of quasi-identifier values, batch by batch.

    Text is grouped as categorical codes (one 32-bit number per cell, each distinct text kept
    once) and handed back as text by :meth:`counts`. Why: grouped as text, each batch's partial
    counts held their own copy of the text: on the benchmark's 200,000 rows written four times
    over, merging eight batches' counts raised the first pass's peak from 239 MiB (the rows
    once) to 402 MiB.
    """

    def __init__(self, columns: Sequence[str], *, compact_every: int = 8, as_text: bool = True) -> None:
        self.columns = list(columns)
        self._as_text = as_text
        self._parts: list[pl.DataFrame] = []
        self._compact_every = compact_every

    def add(self, frame: pl.DataFrame) -> None:
        """Count the combinations in one batch (columns already remedied)."""

        if not self.columns or frame.height == 0:
            return
        part = frame.select(
            pl.col(c).cast(pl.Utf8).cast(pl.Categorical) if self._as_text else pl.col(c) for c in self.columns
        )
        self._parts.append(part.group_by(self.columns).agg(pl.len().alias(COUNT)))
        if len(self._parts) >= self._compact_every:
            self._parts = [self._merge()]

    def _merge(self) -> pl.DataFrame:
        if not self._parts:
            schema: dict[str, pl.DataType] = {c: pl.Utf8() if self._as_text else pl.UInt64() for c in self.columns}
            schema[COUNT] = pl.UInt32()
            return pl.DataFrame(schema=schema)
        both = pl.concat(self._parts, how="vertical_relaxed")
        return both.group_by(self.columns).agg(pl.col(COUNT).sum().cast(pl.UInt32))

    def counts(self) -> pl.DataFrame:
        """One row per combination with its record count (text as text)."""

        merged = self._merge()
        self._parts = [merged]
        return merged.with_columns(pl.col(c).cast(pl.Utf8) for c in self.columns) if self._as_text else merged


class SensitiveCounter(GroupCounter):
    """Counts records per group of quasi-identifiers and value of one sensitive column, as 64-bit hashes.

    Why hashes: the report only asks how many groups hold a single value of the column, never
    which groups or values, so a hash of the group's values and one of the sensitive value
    answer it in 16 bytes a combination. Counted as text (six columns of it), the safe copy of
    the benchmark's 200,000 rows written sixteen times over held 30 to 60 MiB more for every
    batch waiting to be merged, and its writing pass peaked at 938 MiB (582 MiB counted so).
    Two groups or values would be counted as one only if their 64-bit hashes collided (about
    once in 10^8 copies of a million groups).
    """

    def __init__(self, quasi: Sequence[str], column: str) -> None:
        super().__init__([GROUP, column], as_text=False)
        self.quasi = list(quasi)
        self.column = column

    def add(self, frame: pl.DataFrame) -> None:
        """Count one batch of the safe copy (it holds the quasi-identifiers and the column)."""

        if frame.height == 0:
            return
        super().add(
            frame.select(
                pl.struct([pl.col(c).cast(pl.Utf8) for c in self.quasi]).hash(seed=0).alias(GROUP),
                pl.col(self.column).cast(pl.Utf8).hash(seed=0),
            )
        )


@dataclasses.dataclass(slots=True)
class GroupStats:
    """k-anonymity figures for one table."""

    k: int | None
    groups: int
    records: int
    groups_below: int
    records_below: int


def group_stats(counts: pl.DataFrame, min_group_size: int) -> GroupStats:
    """Smallest group, and how many groups and records sit below *min_group_size*."""

    if counts.height == 0:
        return GroupStats(k=None, groups=0, records=0, groups_below=0, records_below=0)
    sizes = counts[COUNT].cast(pl.Int64)
    below = sizes < min_group_size
    return GroupStats(
        k=int(sizes.min()),  # type: ignore[arg-type]
        groups=counts.height,
        records=int(sizes.sum()),
        groups_below=int(below.sum()),
        records_below=int(sizes.filter(below).sum()),
    )


@dataclasses.dataclass(slots=True)
class SuppressionResult:
    """What suppression decided: a mapping for the redact pass and the figures for the report."""

    mapping: pl.DataFrame  # original combination -> new values (+ REMOVED flag), small groups only
    records_generalised: int
    records_removed: int
    columns_coarsened: dict[str, int]  # column -> records whose value was made coarser
    after: GroupStats
    rounds: int


def plan_suppression(
    counts: pl.DataFrame,
    columns: Sequence[str],
    ladders: dict[str, str],
    *,
    min_group_size: int,
    method: str,
) -> SuppressionResult:
    """Decide what every too-small combination becomes (see the module docstring)."""

    columns = list(columns)
    k = min_group_size
    state = counts.select(
        *[pl.col(c).alias(_ORIG + c) for c in columns],
        *[pl.col(c) for c in columns],
        pl.col(COUNT).cast(pl.Int64),
    ).with_columns(pl.lit(False).alias(REMOVED))

    def sizes(frame: pl.DataFrame) -> pl.Series:
        live = frame.filter(~pl.col(REMOVED))
        totals = live.group_by(columns).agg(pl.col(COUNT).sum().alias("__size"))
        joined = frame.join(totals, on=columns, how="left", nulls_equal=True, maintain_order="left")
        return joined["__size"].fill_null(0)

    rounds = 0
    if method == "remove":
        small = sizes(state) < k
        state = state.with_columns(pl.Series(REMOVED, small))
    else:
        while True:
            size = sizes(state)
            small = (size < k) & ~state[REMOVED]
            if not small.any():
                break
            rounds += 1
            small_rows = state.filter(small)
            best: str | None = None
            best_distinct = 0
            for c in columns:
                col = small_rows[c]
                not_done = col.is_null() | (col != SUPPRESSED)
                if not not_done.any():
                    continue
                distinct = col.filter(not_done).n_unique() + 1
                if distinct > best_distinct:
                    best, best_distinct = c, distinct
            if best is None:
                # Every column already says "*" and the group is still too small.
                state = state.with_columns(pl.Series(REMOVED, state[REMOVED] | small))
                break
            state = state.with_columns(
                pl.when(pl.Series(small))
                .then(up_one_level(pl.col(best), ladders.get(best, "other")))
                .otherwise(pl.col(best))
                .alias(best)
            )
    changed = pl.any_horizontal(
        *[pl.col(c).ne_missing(pl.col(_ORIG + c)) for c in columns],
        pl.col(REMOVED),
    )
    mapping = state.filter(changed)
    live = state.filter(~pl.col(REMOVED))
    after_counts = live.group_by(columns).agg(pl.col(COUNT).sum())
    removed = int(state.filter(pl.col(REMOVED))[COUNT].sum())
    generalised = int(mapping.filter(~pl.col(REMOVED))[COUNT].sum())
    coarsened = {
        c: int(mapping.filter(~pl.col(REMOVED) & pl.col(c).ne_missing(pl.col(_ORIG + c)))[COUNT].sum()) for c in columns
    }
    return SuppressionResult(
        mapping=mapping.select(
            *[pl.col(_ORIG + c) for c in columns],
            *[pl.col(c) for c in columns],
            pl.col(REMOVED),
        ),
        records_generalised=generalised,
        records_removed=removed,
        columns_coarsened=coarsened,
        after=group_stats(after_counts, k),
        rounds=rounds,
    )


def apply_suppression(
    batch: pl.DataFrame, columns: Sequence[str], mapping: pl.DataFrame
) -> tuple[pl.DataFrame, pl.Series]:
    """Apply the decided mapping to one remedied batch; returns the batch and which of its records were removed."""

    if mapping.height == 0 or batch.height == 0:
        return batch, pl.Series("removed", [False] * batch.height, dtype=pl.Boolean)
    columns = list(columns)
    keyed = batch.with_columns(pl.col(c).cast(pl.Utf8).alias(_ORIG + c) for c in columns)
    new_names = {c: f"__ci_new_{c}" for c in columns}
    right = mapping.rename(new_names)
    joined = keyed.join(
        right,
        on=[_ORIG + c for c in columns],
        how="left",
        nulls_equal=True,
        maintain_order="left",
    )
    hit = joined[REMOVED].is_not_null()
    removed_mask = joined[REMOVED].fill_null(False)
    out = joined.with_columns(
        pl.when(pl.Series(hit)).then(pl.col(new_names[c])).otherwise(pl.col(c).cast(pl.Utf8)).alias(c) for c in columns
    )
    out = out.filter(~pl.Series(removed_mask)).select(batch.columns)
    return out, removed_mask
