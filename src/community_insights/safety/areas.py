"""Small areas: the guide's rule that postcodes covering fewer than ten households are not shared.

Two separate questions, both answered from counts only:

1. **Households.** With a postcode → household-count lookup (the layout of
   ONS's postcode-level household estimates: a CSV with the postcode and the
   count), every postcode in the data that covers fewer than
   ``household_threshold`` households is listed. Without one, any full unit
   postcode is treated as identifying and the advice is to generalise it to
   sector (``NW1 6``) or district (``NW1``).
2. **Records.** Independently of households, any area (postcode, sector,
   district, ward, LSOA …) with fewer than ``threshold`` records in the data is
   reported, because a small count in a small area points at people.

Counting happens batch by batch (:class:`AreaCounter`), so memory grows with
the number of distinct areas, never with the number of rows.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from importlib import resources
from pathlib import Path

import polars as pl

from community_insights.safety.combinations import records_share
from community_insights.safety.defaults import DEFAULT_HOUSEHOLD_THRESHOLD, DEFAULT_THRESHOLD
from community_insights.safety.errors import InputError
from community_insights.safety.masking import mask_postcode
from community_insights.safety.types import SmallArea, SmallAreasFinding

__all__ = [
    "AreaCounter",
    "assess_small_areas",
    "load_households",
    "normalise_postcode_expr",
    "sample_households_path",
]

_POSTCODE_COMPACT = r"^[A-Z]{1,2}[0-9][0-9A-Z]?[0-9][A-Z]{2}$"
_POSTCODE_SPACED = r"^[A-Z]{1,2}[0-9][0-9A-Z]? [0-9][A-Z]{2}$"
_MAX_EXAMPLES = 5


def sample_households_path() -> Path:
    """The small sample lookup shipped for tests and the demo (not real household counts)."""

    return Path(str(resources.files("community_insights.safety") / "data" / "sample_households.csv"))


def normalise_postcode_expr(expr: pl.Expr) -> pl.Expr:
    """Postcodes in Royal Mail form (``sw1a1aa`` → ``SW1A 1AA``); null when not a postcode."""

    compact = expr.cast(pl.String).str.to_uppercase().str.replace_all(r"\s+", "")
    spaced = pl.concat_str([compact.str.slice(0, compact.str.len_chars() - 3), pl.lit(" "), compact.str.slice(-3)])
    return pl.when(compact.str.contains(_POSTCODE_COMPACT)).then(spaced).otherwise(None)


def postcode_levels(unit: pl.Expr) -> tuple[pl.Expr, pl.Expr]:
    """Sector (``NW1 6``) and district (``NW1``) of a normalised unit postcode."""

    # The inward code is always a digit and two letters: the sector drops the letters, the
    # district the whole inward code and its space.
    return unit.str.head(-2), unit.str.head(-4)


def load_households(path: str | os.PathLike[str]) -> pl.DataFrame:
    """Read a postcode → households lookup as a frame of ``postcode`` and ``households``.

    The postcode column is the first whose header mentions a postcode (``pcd``,
    ``postcode``); the count is the first whose header mentions households,
    else ``count`` or ``total``. Postcodes are normalised so ``nw16xe`` matches
    ``NW1 6XE``.
    """

    p = Path(path)
    if p.exists() and not p.is_file():
        raise InputError(f"The households lookup {p.name} is not a regular file.")
    if not p.is_file():
        raise InputError(f"The households lookup {p.name} does not exist.")
    try:
        frame = pl.read_csv(p, infer_schema=False, encoding="utf8-lossy")
    except (pl.exceptions.PolarsError, OSError) as exc:
        raise InputError(f"The households lookup {p.name} is not a readable CSV file.") from exc
    lower = {c.lower().strip(): c for c in frame.columns}
    pc_col = next((orig for low, orig in lower.items() if "postcode" in low or low.startswith("pcd")), None)
    count_col = next((orig for low, orig in lower.items() if "household" in low), None) or next(
        (orig for low, orig in lower.items() if low in ("count", "total", "households", "n")), None
    )
    if pc_col is None or count_col is None:
        raise InputError(f"The households lookup {p.name} needs a postcode column and a household count column.")
    out = (
        frame.select(
            normalise_postcode_expr(pl.col(pc_col)).alias("postcode"),
            pl.col(count_col).str.replace_all(",", "").cast(pl.Int64, strict=False).alias("households"),
        )
        .drop_nulls()
        .group_by("postcode")
        .agg(pl.col("households").sum())
    )
    if out.height == 0:
        raise InputError(f"The households lookup {p.name} has no usable postcode rows.")
    return out


class AreaCounter:
    """Counts records per area value, batch by batch (memory bounded by distinct areas)."""

    def __init__(self, columns: Mapping[str, str]) -> None:
        #: column name → level (``postcode`` for unit postcode columns, else ``ward``, ``lsoa`` …)
        self.columns = dict(columns)
        self._parts: dict[str, list[pl.DataFrame]] = {c: [] for c in self.columns}
        self._pending: dict[str, int] = dict.fromkeys(self.columns, 0)

    def add(self, batch: pl.DataFrame) -> None:
        # Raw values are counted per batch and normalised once per distinct value at the end:
        # a postcode column has far fewer distinct values than rows, so the regular
        # expressions run a fraction as often.
        for col in self.columns:
            if col not in batch.columns:
                continue
            counts = (
                batch.select(pl.col(col).cast(pl.String).alias("value"))
                .drop_nulls()
                .group_by("value")
                .len(name="records")
            )
            parts = self._parts[col]
            parts.append(counts)
            self._pending[col] += counts.height
            if len(parts) > 16:
                self._parts[col] = [self._merge(parts)]

    def add_counts(self, column: str, counts: pl.DataFrame) -> None:
        """Take records already counted per value of ``column`` (columns ``value`` and ``records``).

        The check counts areas and combinations in one streaming query
        (:func:`~community_insights.safety.mosaic.count_combinations`) and
        hands each area column's share of it here, instead of counting twice.
        """

        self._parts[column].append(counts.select(pl.col("value").cast(pl.String), pl.col("records").cast(pl.UInt32)))

    @staticmethod
    def _merge(parts: list[pl.DataFrame]) -> pl.DataFrame:
        return pl.concat(parts).group_by("value").agg(pl.col("records").sum())

    def counts(self, column: str) -> pl.DataFrame:
        parts = self._parts.get(column) or []
        if not parts:
            return pl.DataFrame(schema={"value": pl.String, "records": pl.UInt32})
        raw = parts[0] if len(parts) == 1 else self._merge(parts)  # each part holds distinct values
        if self.columns[column] == "postcode":
            # Most values are already Royal Mail postcodes: only the rest go through the regular
            # expressions (a distinct postcode column can have hundreds of thousands of values).
            canonical = raw.get_column("value").str.contains(_POSTCODE_SPACED)
            if canonical.all():
                return raw
            messy = raw.filter(~canonical).select(
                normalise_postcode_expr(pl.col("value").str.strip_chars()).alias("value"), pl.col("records")
            )
            return (
                pl.concat([raw.filter(canonical), messy.drop_nulls("value")])
                .group_by("value")
                .agg(pl.col("records").sum())
            )
        expr = pl.col("value").str.strip_chars()
        return (
            raw.select(expr.alias("value"), pl.col("records"))
            .drop_nulls("value")
            .filter(pl.col("value").str.len_bytes() > 0)  # a cell of spaces is blank, not an area
            .group_by("value")
            .agg(pl.col("records").sum())
        )


def _n(count: int, noun: str) -> str:
    """``1 postcode``, ``3 postcodes`` (counts in reports read as plain English)."""

    return f"{count:,} {noun}" if count == 1 else f"{count:,} {noun}s"


def _area_finding(column: str, level: str, counts: pl.DataFrame, threshold: int) -> SmallArea:
    small = counts.filter(pl.col("records") < threshold)
    # Only the smallest few are shown: picking them costs one pass, sorting them all does not.
    first = small.bottom_k(_MAX_EXAMPLES, by=["records", "value"]).sort(["records", "value"])
    values = first.get_column("value").to_list()
    if level in ("postcode", "sector"):
        examples = [mask_postcode(v) if level == "postcode" else v.split(" ")[0] + " *" for v in values]
    elif level == "district":
        examples = []  # a district alone is large; the count is what matters
    else:
        examples = [str(v)[:40] for v in values]
    return SmallArea(
        column=column,
        level=level,
        threshold=threshold,
        areas=counts.height,
        areas_below=small.height,
        records_in_areas_below=int(small.get_column("records").sum() or 0),
        masked_examples=examples,
    )


def assess_small_areas(
    counter: AreaCounter,
    *,
    threshold: int = DEFAULT_THRESHOLD,
    households: pl.DataFrame | None = None,
    households_source: str | None = None,
    household_threshold: int = DEFAULT_HOUSEHOLD_THRESHOLD,
    records: int = 0,
) -> SmallAreasFinding:
    """Apply both small-area rules to the counts gathered by ``counter``.

    ``records`` is the number of rows counted: each count of records in the advice is given
    with its share of them.
    """

    finding = SmallAreasFinding(
        household_threshold=household_threshold, households_lookup=households_source, records=records
    )
    for column, level in counter.columns.items():
        counts = counter.counts(column)
        if level != "postcode":
            finding.areas.append(_area_finding(column, level, counts, threshold))
            continue
        finding.postcode_columns.append(column)
        if counts.height == 0:
            continue
        finding.full_postcodes_present = True
        finding.areas.append(_area_finding(column, "postcode", counts, threshold))
        sector, district = postcode_levels(pl.col("value"))
        for lvl, expr in (("sector", sector), ("district", district)):
            rolled = counts.group_by(expr.alias("value")).agg(pl.col("records").sum())
            finding.areas.append(_area_finding(column, lvl, rolled, threshold))
        finding.postcodes_checked += counts.height
        if households is not None:
            joined = counts.join(households, left_on="value", right_on="postcode", how="left")
            below = joined.filter(pl.col("households") < household_threshold)
            finding.postcodes_below_households += below.height
            finding.records_in_postcodes_below_households += int(below.get_column("records").sum() or 0)
            finding.postcodes_not_in_lookup += int(joined.get_column("households").is_null().sum())

    if finding.full_postcodes_present:
        cols = ", ".join(finding.postcode_columns)
        if households is None:
            finding.recommendations.append(
                f"Full postcodes in {cols} can point to a handful of homes; without a household lookup every "
                "full postcode is treated as identifying. Generalise to postcode sector (e.g. NW1 6) or district."
            )
        elif finding.postcodes_below_households:
            finding.recommendations.append(
                f"{_n(finding.postcodes_below_households, 'postcode')} in {cols} cover fewer than "
                f"{household_threshold} households "
                f"({records_share(finding.records_in_postcodes_below_households, records)}): "
                "remove these postcodes or generalise them to sector."
            )
        if households is not None and finding.postcodes_not_in_lookup:
            finding.recommendations.append(
                f"{_n(finding.postcodes_not_in_lookup, 'postcode')} not in the household lookup; treat them as small."
            )
    for area in finding.areas:
        if area.areas_below and area.level not in ("postcode",):
            finding.recommendations.append(
                f"{_n(area.areas_below, area.level + ' value')} in {area.column} with fewer than {threshold} records "
                f"({records_share(area.records_in_areas_below, records)} in all): "
                "merge them into larger areas or suppress them."
            )
    return finding
