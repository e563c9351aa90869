"""Primary suppression rules: which cells are too risky to publish on their own.

The rules and their defaults follow common output-checking practice (the
SDC handbook of Hundepool et al., ONS guidance, and the ACRO tool used in UK
trusted research environments), so an information rights officer can compare
our tables with the ones they already know:

* **threshold** — a count (or, in a magnitude table, the number of people
  contributing) of 1 to threshold−1 is hidden. Default 10, because the
  Community Insights guide says no group of fewer than ten people may show.
* **zeros** — shown by default (a zero is not a person), hidden if the
  programme decides empty cells are themselves revealing ("nobody in this
  ward receives X" can be a disclosure about everyone in it).
* **p% rule** — a total is hidden if the second-largest contributor could
  estimate the largest to within p% by subtracting their own value:
  ``T − x1 − x2 < p·x1``. Default p = 10%.
* **n,k rule** — a total is hidden if its n largest contributors make up more
  than k of it. Default n = 2, k = 90%.
* **minimum count** — a mean or median needs at least this many contributors
  (default: the threshold).

Dominance rules work on absolute values, so a column with refunds or other
negative amounts is still checked sensibly.
"""

from __future__ import annotations

import dataclasses
from typing import Literal

import numpy as np
import numpy.typing as npt

from community_insights.safety.defaults import DEFAULT_NK_K, DEFAULT_NK_N, DEFAULT_P_PERCENT, DEFAULT_THRESHOLD

Statistic = Literal["count", "sum", "mean", "median"]
Method = Literal["suppression", "rounding", "perturbation"]

#: Rule names, as they appear in table metadata (``hidden_by_rule``).
THRESHOLD = "threshold"
ZERO = "zero"
MIN_COUNT = "minimum count"
P_PERCENT = "p% rule"
NK = "n,k rule"
SECONDARY = "secondary"

PRIMARY_RULES = (THRESHOLD, MIN_COUNT, ZERO, P_PERCENT, NK)


@dataclasses.dataclass(frozen=True, slots=True)
class DisclosureRules:
    """The settings a programme chooses for its published tables.

    Defaults follow common UK output-checking practice (ACRO's defaults:
    threshold 10, p = 10%, n,k = 2, 90%) and the guide's "fewer than ten
    people" rule.
    """

    threshold: int = DEFAULT_THRESHOLD
    hide_zeros: bool = False
    p_percent: float | None = DEFAULT_P_PERCENT
    nk_n: int = DEFAULT_NK_N
    nk_k: float | None = DEFAULT_NK_K
    min_count: int | None = None  # for means and medians; None = threshold
    # How uncertain a hidden count must stay: "threshold" = the published
    # figures must allow it to be as large as the threshold (nobody can tell
    # it is a small cell); "minimal" = merely not exactly recoverable.
    count_protection: Literal["threshold", "minimal"] = "threshold"

    def __post_init__(self) -> None:
        if self.threshold < 0:
            raise ValueError("The threshold cannot be negative.")
        if self.p_percent is not None and not 0 < self.p_percent < 1:
            raise ValueError("The p% rule needs p between 0 and 1 (for example 0.10).")
        if self.nk_k is not None and not 0 < self.nk_k <= 1:
            raise ValueError("The n,k rule needs k between 0 and 1 (for example 0.90).")
        if self.count_protection not in ("threshold", "minimal"):
            raise ValueError("count_protection is 'threshold' or 'minimal'.")
        if self.nk_n < 1:
            raise ValueError("The n,k rule needs n of at least 1.")

    @property
    def effective_min_count(self) -> int:
        """Contributors a mean or median needs (the threshold unless set)."""
        return self.threshold if self.min_count is None else self.min_count

    @property
    def top_n(self) -> int:
        """How many largest contributors each cell must remember for the dominance rules."""
        return max(2, self.nk_n)


FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]


def primary_flags(
    statistic: Statistic,
    rules: DisclosureRules,
    *,
    rows: FloatArray,
    contributors: FloatArray | None = None,
    abs_total: FloatArray | None = None,
    top: FloatArray | None = None,
) -> dict[str, BoolArray]:
    """Return, per rule, a mask of the cells that rule hides.

    ``rows`` is the count of records per cell (the value of a frequency
    table); ``contributors`` the non-empty values in a magnitude table;
    ``abs_total`` the sum of absolute values and ``top`` the largest absolute
    values (last axis, descending). A cell may be flagged by several rules;
    the caller attributes it to the first in :data:`PRIMARY_RULES` order.
    """

    flags: dict[str, BoolArray] = {}
    if statistic == "count":
        flags[THRESHOLD] = (rows >= 1) & (rows < rules.threshold)
        flags[ZERO] = (rows == 0) if rules.hide_zeros else np.zeros(rows.shape, dtype=bool)
        return flags

    assert contributors is not None and abs_total is not None and top is not None
    n = contributors
    if statistic == "sum":
        flags[THRESHOLD] = (n >= 1) & (n < rules.threshold)
    else:
        flags[MIN_COUNT] = (n >= 1) & (n < rules.effective_min_count)
    if rules.hide_zeros:
        # An empty mean or median would otherwise show as [x] ("no values"), which says it is empty.
        flags[ZERO] = n == 0
    else:
        flags[ZERO] = np.zeros(n.shape, dtype=bool)
    if statistic in ("sum", "mean"):
        x1 = top[..., 0]
        x2 = top[..., 1] if top.shape[-1] > 1 else np.zeros_like(x1)
        if rules.p_percent is not None:
            remainder = abs_total - x1 - x2
            # A small tolerance keeps float round-off from flagging exact ties.
            flags[P_PERCENT] = (n >= 1) & (x1 > 0) & (remainder < rules.p_percent * x1 - 1e-9 * abs_total)
        if rules.nk_k is not None:
            top_sum = top[..., : rules.nk_n].sum(axis=-1)
            flags[NK] = (n >= 1) & (abs_total > 0) & (top_sum > rules.nk_k * abs_total + 1e-9 * abs_total)
    return flags


def dominance_protection(rules: DisclosureRules, *, abs_total: FloatArray, top: FloatArray) -> FloatArray:
    """How far the published figures must leave a dominated total uncertain.

    This is the standard protection level for the p% rule (as in tau-ARGUS):
    the second-largest contributor must not be able to pin the largest down
    to within p%, so the total must be uncertain by at least
    ``p·x1 − (T − x1 − x2)``.
    """

    p = rules.p_percent if rules.p_percent is not None else DEFAULT_P_PERCENT
    x1 = top[..., 0]
    x2 = top[..., 1] if top.shape[-1] > 1 else np.zeros_like(x1)
    need = p * x1 - (abs_total - x1 - x2)
    result: FloatArray = np.maximum(need, p * abs_total)
    return result
