"""Entropy l-diversity and t-closeness: optional measures of a sensitive column inside the groups.

Distinct l-diversity (in :mod:`.mosaic`) counts the different values in a group, so a group
of a hundred records where 99 share one diagnosis still counts as "2-diverse". The two
measures here, asked for with ``--measures``, look at how the values are spread:

* **entropy l-diversity**: ``exp`` of the smallest entropy of a group's values (natural
  logarithm). A group split evenly between *l* values scores *l*; a skewed one scores less.
  Machanavajjhala et al. (2007) call a table entropy l-diverse when every group scores at least l.
* **t-closeness**: the largest distance between a group's spread of values and the whole
  file's, by the Earth Mover's Distance (Li, Li and Venkatasubramanian, 2007). For numbers the
  values are ordered and a record moved from the lowest to the highest value costs 1 (the
  "ordered distance"); for categories every pair of values is equally far, and the distance is
  half the sum of the differences in share. 0 is the same spread as the file, 1 the furthest.

Both are computed on the group table the mosaic already holds (one row per combination of
quasi-identifiers and sensitive values, with its records), never on the rows. Blank sensitive
values are left out, as they are for distinct l-diversity.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import numpy as np
import polars as pl

from community_insights.safety.combinations import COUNT
from community_insights.safety.types import DiversityMeasures

__all__ = ["categorical_t", "diversity_measures", "entropy_l", "ordered_t"]

#: Share of a column's distinct values that must be numbers for t-closeness to order them.
_NUMERIC = 0.9

_G = "__group"
_V = "__value"


def _grouped(frame: pl.DataFrame, groups: Sequence[str], column: str) -> pl.DataFrame:
    """Records per (group, value) of ``column``: columns ``__group`` (0…g-1), ``__value`` and ``n``."""

    present = frame.filter(pl.col(column).is_not_null() & (pl.col(COUNT) > 0))
    counted = present.group_by([*groups, column]).agg(pl.col(COUNT).sum().cast(pl.Float64).alias("n"))
    numbered = counted.select(groups).unique().with_row_index(_G)
    return counted.join(numbered, on=list(groups), how="left").select(
        pl.col(_G).cast(pl.Int64), pl.col(column).alias(_V), "n"
    )


def entropy_l(counts: pl.DataFrame) -> float | None:
    """``exp`` of the smallest entropy of values in a group (``counts`` as from :func:`_grouped`)."""

    if counts.height == 0:
        return None
    p = pl.col("n") / pl.col("n").sum().over(_G)
    entropy = counts.group_by(_G).agg((-(p * p.log())).sum().alias("h")).get_column("h")
    return math.exp(max(float(entropy.min()), 0.0))  # type: ignore[arg-type]


def categorical_t(counts: pl.DataFrame) -> float | None:
    """The largest equal-distance EMD of a group from the file: half the sum of ``|q - p|`` over every value.

    Values a group lacks add their whole-file share ``p``; so per group the sum is
    ``1 + Σ (|q - p| - p)`` over the values it holds.
    """

    if counts.height == 0:
        return None
    overall = counts.group_by(_V).agg(pl.col("n").sum().alias("p"))
    overall = overall.with_columns(pl.col("p") / pl.col("p").sum())
    q = pl.col("n") / pl.col("n").sum().over(_G)
    joined = counts.join(overall, on=_V, how="left").with_columns(q.alias("q"))
    per_group = joined.group_by(_G).agg(((pl.col("q") - pl.col("p")).abs() - pl.col("p")).sum().alias("d"))
    largest = per_group.get_column("d").to_numpy().max()
    return float(0.5 * (1.0 + largest))


def ordered_t(counts: pl.DataFrame, order: pl.Series) -> float | None:
    """The largest ordered-distance EMD of a group from the file (values ranked by ``order``).

    ``order`` maps each value (``__value``) to its rank, 0…m-1. The EMD of a group is
    ``Σ_i |Q(i) - P(i)| / (m - 1)`` over the ranks, where Q and P are the group's and the
    file's cumulative shares. Q is flat between the ranks a group holds and P only rises, so
    the sum over each flat stretch comes from prefix sums of P and one binary search for the
    rank where P passes Q: exact, in time proportional to the group table, not groups × values.
    """

    if counts.height == 0:
        return None
    ranked = counts.join(order.to_frame(_V).with_row_index("rank"), on=_V, how="left").sort([_G, "rank"])
    m = order.len()
    if m < 2:
        return 0.0
    rank = ranked.get_column("rank").to_numpy().astype(np.int64)
    group = ranked.get_column(_G).to_numpy()
    n = ranked.get_column("n").to_numpy()
    per_rank = np.bincount(rank, weights=n, minlength=m)
    cp = np.cumsum(per_rank) / per_rank.sum()  # P(i)
    prefix = np.concatenate([[0.0], np.cumsum(cp)])  # prefix[i] = P(0) + … + P(i-1)
    totals = np.bincount(group, weights=n)
    starts = np.flatnonzero(np.concatenate([[True], group[1:] != group[:-1]]))
    within = np.cumsum(n)
    within -= np.repeat(within[starts] - n[starts], np.diff(np.append(starts, group.size)))
    cq = within / totals[group]  # Q at each rank the group holds
    last = np.append(group[1:] != group[:-1], True)
    ends = np.where(last, m, np.append(rank[1:], m))
    # Stretches [rank, next rank) where Q = cq, and [0, first rank) where Q = 0.
    a = np.concatenate([rank, np.zeros(starts.size, dtype=np.int64)])
    b = np.concatenate([ends, rank[starts]])
    c = np.concatenate([cq, np.zeros(starts.size)])
    owner = np.concatenate([group, group[starts]])
    k = np.clip(np.searchsorted(cp, c, side="left"), a, b)
    stretch = c * (k - a) - (prefix[k] - prefix[a]) + (prefix[b] - prefix[k]) - c * (b - k)
    emd = np.bincount(owner, weights=stretch, minlength=totals.size) / (m - 1)
    return float(emd.max())


def _order(values: pl.Series) -> pl.Series | None:
    """The distinct values of a column ranked by number, or ``None`` when they are not (mostly) numbers."""

    distinct = values.drop_nulls().unique()
    numbers = distinct.cast(pl.String).str.strip_chars().cast(pl.Float64, strict=False)
    if distinct.len() == 0 or numbers.drop_nulls().len() < _NUMERIC * distinct.len():
        return None
    ranked = pl.DataFrame({"v": distinct, "x": numbers}).drop_nulls("x").sort("x")
    return ranked.get_column("v")


def diversity_measures(
    frame: pl.DataFrame,
    groups: Sequence[str],
    sensitive: Sequence[str],
    labels: Mapping[str, pl.Series],
    measures: Sequence[str],
) -> list[DiversityMeasures]:
    """The asked-for measures of each sensitive column over the groups ``groups`` of ``frame``.

    ``frame`` holds the group columns, each sensitive column (codes or hashes, null when blank)
    and the records of each row; ``labels`` each sensitive column's value per code, when
    known, which lets t-closeness order numbers.
    """

    out: list[DiversityMeasures] = []
    for column in sensitive:
        counts = _grouped(frame, groups, column)
        found = DiversityMeasures(column=column)
        if "entropy-l" in measures:
            found.entropy_l = entropy_l(counts)
        if "t-closeness" in measures:
            order = None
            if column in labels:
                named = labels[column]
                ranked = _order(named)
                if ranked is not None:
                    # code i is named[i - 1]: rank the codes by their values' order
                    code_of = pl.DataFrame({"v": named, "code": np.arange(1, named.len() + 1)})
                    order = ranked.to_frame("v").join(code_of, on="v", how="left").get_column("code")
                    order = order.cast(counts.get_column(_V).dtype)
                    kept = set(counts.get_column(_V).unique().to_list())
                    order = order.filter(order.is_in(list(kept)))
            if order is not None and order.len() == counts.get_column(_V).n_unique():
                found.t_closeness, found.t_ground = ordered_t(counts, order), "ordered"
            else:
                found.t_closeness, found.t_ground = categorical_t(counts), "categorical"
        out.append(found)
    return out
