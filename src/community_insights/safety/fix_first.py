"""Which quasi-identifier to generalise first, and what one step of it would achieve.

A risk report that says "31,000 records sit in small groups" leaves the team guessing which
column to coarsen. This module tries one step of the engine's own generalisation remedies
(:mod:`.generalisation`: ages in 10-year bands, postcodes cut to sector or district, dates to
month or year, numbers top-coded) on each quasi-identifier in turn, recomputes k-anonymity
over all of them, and ranks the steps by the records they take out of groups below the
threshold.

Why it is cheap: the step is applied to each column's *distinct values* (a few thousand ages
or postcodes, not a million rows), which gives a lookup from old code to new code; the group
table the mosaic already holds (one row per combination, with its records) is then re-scored
with that lookup. No row of the file is read again.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np
import polars as pl

from community_insights.safety.combinations import column_label, on_two_cores, records_share
from community_insights.safety.ethnic_groups import ons_ethnic_groups
from community_insights.safety.generalisation import (
    age_at,
    as_dates,
    band_labels,
    postcode_part,
    up_one_level,
)
from community_insights.safety.types import CombinationRisk, GeneralisationStep

__all__ = ["Candidate", "candidate_steps", "rank_steps"]

#: A column's values must be at least this share numbers (or dates, or postcodes) for a step to be tried.
_READABLE = 0.9
#: Top-coding puts the highest values of a number column, this share of its records, into one "N+" group.
_TOP_SHARE = 0.05

_POSTCODE_UNIT = r"^[A-Z]{1,2}[0-9][A-Z0-9]?\s*[0-9][A-Z]{2}$"
_POSTCODE_SECTOR = r"^[A-Z]{1,2}[0-9][A-Z0-9]? [0-9]$"
_POSTCODE_DISTRICT = r"^[A-Z]{1,2}[0-9][A-Z0-9]?$"
_AGE_BAND = r"^(\d{1,3}\s*-\s*\d{1,3}|\d{1,3}\+|under \d{1,3})$"
_MONTH = r"^\d{4}-\d{2}$"

#: A column's distinct values are sampled up to this many to decide which step fits them.
_SAMPLE = 10_000

#: (step in words after the column's name, the plan's generalise parameters, the new label per
#: value, made only if the step can change anything: see :func:`rank_steps`)
Candidate = tuple[str, dict[str, Any], Callable[[], pl.Series]]


def _share_of(values: pl.Series, pattern: str) -> float:
    filled = values.head(_SAMPLE).drop_nulls()
    if filled.len() == 0:
        return 0.0
    return float(filled.str.to_uppercase().str.contains(pattern).mean() or 0.0)  # type: ignore[arg-type]


def _postcode_steps(values: pl.Series) -> list[Candidate]:
    """Unit → sector, sector → district, district → area: whichever is one step up from what the column holds."""

    for pattern, to, words in (
        (_POSTCODE_UNIT, "sector", "cut to sector"),
        (_POSTCODE_SECTOR, "district", "cut to district"),
        (_POSTCODE_DISTRICT, "area", "cut to area"),
    ):
        if _share_of(values, pattern) >= _READABLE:
            return [(words, {"to": to}, functools.partial(postcode_part, values, to))]
    return []


def _numbers(values: pl.Series) -> pl.Series | None:
    numbers = values.str.strip_chars().cast(pl.Float64, strict=False)
    filled = values.drop_nulls().len()
    return numbers if filled and numbers.drop_nulls().len() >= _READABLE * filled else None


def _top_value(numbers: pl.Series, records: np.ndarray) -> float | None:
    """The value from which the top :data:`_TOP_SHARE` of records are one group (None if that is one value)."""

    frame = pl.DataFrame({"x": numbers, "n": records}).drop_nulls("x").sort("x", descending=True)
    if frame.height < 3:
        return None
    covered = frame.get_column("n").cum_sum().to_numpy()
    cut = int(np.searchsorted(covered, _TOP_SHARE * covered[-1]))
    top = float(frame.get_column("x")[min(cut + 1, frame.height - 1)])
    return top if top < float(frame.get_column("x")[0]) else None


def _top_coded(numbers: pl.Series, top: float) -> pl.Series:
    label = f"{int(top)}+" if top.is_integer() else f"{top:g}+"
    x = pl.lit(numbers)
    text = pl.when(x == x.floor()).then(x.cast(pl.Int64).cast(pl.String)).otherwise(x.cast(pl.String))
    return pl.select(pl.when(x >= top).then(pl.lit(label)).otherwise(text)).to_series()


def _date_steps(values: pl.Series, birth: bool, today: dt.date) -> list[Candidate]:
    """Dates to month (or month to year); dates of birth to 10-year age bands or year of birth.

    Whether the values are dates is decided on a sample; they are parsed in full only if the
    step is computed.
    """

    if _share_of(values, _MONTH) >= _READABLE:
        return [("to year", {"to": "year"}, lambda: pl.select(up_one_level(pl.lit(values), "date")).to_series())]
    sample = values.head(_SAMPLE)
    if as_dates(sample).drop_nulls().len() < _READABLE * max(sample.drop_nulls().len(), 1):
        return []
    if birth:
        return [
            (
                "as age in 10-year bands",
                {"to": "age_band", "width": 10, "top": 90},
                lambda: band_labels(age_at(as_dates(values), today), width=10, top=90),
            ),
            ("to year of birth", {"to": "year"}, lambda: as_dates(values).dt.year().cast(pl.String)),
        ]
    return [("to month", {"to": "month"}, lambda: as_dates(values).dt.strftime("%Y-%m"))]


def candidate_steps(
    values: pl.Series,
    records: Callable[[], np.ndarray],
    kinds: Sequence[str],
    *,
    today: dt.date | None = None,
) -> list[Candidate]:
    """The one-step generalisations worth trying on a column with these distinct ``values``.

    ``values`` are stripped text; ``records()`` gives each value's records (for top-coding);
    ``kinds`` the column's personal data types (``POSTCODE``, ``DATE_OF_BIRTH``, ``AGE`` …).
    A column of names of areas or of category answers has no step: the engine cannot coarsen
    them without a lookup. Which step fits is decided on a sample of the values; the new
    labels are made only when a step is computed (see :func:`rank_steps`), so a column of a
    million distinct postcodes costs nothing when no step on it can help.
    """

    today = today or dt.date.today()
    values = values.cast(pl.String)
    postcode = _postcode_steps(values)  # a full postcode, or a sector or district column named anything
    if postcode or "POSTCODE" in kinds:
        return postcode
    if "DATE_OF_BIRTH" in kinds:
        return _date_steps(values, True, today)
    if "ETHNICITY" in kinds:
        return [
            (
                "grouped into the five ONS groups",
                {"to": "ons_ethnic_group_5"},
                functools.partial(ons_ethnic_groups, values),
            )
        ]
    if _share_of(values, _AGE_BAND) >= _READABLE:
        return [
            (
                "in broad age bands (0-17, 18-64, 65+)",
                {"to": "age_band", "bands": [18, 65]},
                lambda: pl.select(up_one_level(pl.lit(values), "age")).to_series(),
            )
        ]
    if _numbers(values.head(_SAMPLE)) is None:
        return _date_steps(values, False, today)
    numbers = values.str.strip_chars().cast(pl.Float64, strict=False)
    steps: list[Candidate] = []
    if "AGE" in kinds:
        steps.append(
            (
                "in 10-year bands",
                {"to": "age_band", "from": "age", "width": 10, "top": 90},
                functools.partial(band_labels, numbers, width=10, top=90),
            )
        )
    top = _top_value(numbers, records())
    if top is not None:
        steps.append((f"top-coded at {top:g}+", {}, functools.partial(_top_coded, numbers, top)))
    return steps


def _lookup(labels: pl.Series) -> np.ndarray:
    """Old code → new code: code ``i`` (1…n) is ``labels[i - 1]``; blank and unreadable become 0 (blank)."""

    frame = pl.DataFrame({"label": labels.cast(pl.String)})
    numbered = (
        frame.filter(pl.col("label").is_not_null() & (pl.col("label") != "")).unique().with_row_index("code", offset=1)
    )
    codes = frame.join(numbered, on="label", how="left", maintain_order="left").get_column("code").fill_null(0)
    return np.concatenate([[0], codes.to_numpy().astype(np.int64)])


def _records_per_value(codes: np.ndarray, records: np.ndarray, distinct: int) -> np.ndarray:
    """Records holding each value (code 1…n) of a column."""

    return np.bincount(codes, weights=records, minlength=distinct + 1)[1:]


def rank_steps(
    codes: Mapping[str, np.ndarray],
    labels: Mapping[str, pl.Series],
    records: np.ndarray,
    kinds: Mapping[str, Sequence[str]],
    whole: CombinationRisk,
    score: Callable[[dict[str, np.ndarray]], CombinationRisk],
    *,
    total: int,
    threshold: int,
    floors: Mapping[str, int] | None = None,
) -> list[GeneralisationStep]:
    """Every step tried on every quasi-identifier with known values, the one that removes most risk first.

    ``codes`` are the quasi-identifiers' codes on each row of the group table (``records`` in
    each), ``labels`` each column's value per code, ``score`` k-anonymity over all the columns
    for a set of codes, ``whole`` that score as the data stands.

    ``floors`` gives, per column, the records in small groups over the *other* columns alone
    (from the subsets the mosaic scored). Coarsening a column can never do better than
    leaving it out, so when that floor is already the whole set's figure the step cannot
    help: it is reported as changing nothing, without being computed (a date of birth beside
    a full postcode: banding the dates still leaves every postcode a group of its own).
    """

    floors = floors or {}
    tried: list[tuple[str, str, dict[str, Any], Callable[[], pl.Series] | None]] = []
    for column, values in labels.items():
        if column not in codes or values.len() == 0:
            continue
        per_value = functools.partial(_records_per_value, codes[column], records, values.len())
        hopeless = floors.get(column, 0) >= whole.records_below_threshold
        for words, params, make in candidate_steps(values, per_value, kinds.get(column, ())):
            tried.append((column, f"{column_label(column)} {words}", params, None if hopeless else make))

    def effect(item: tuple[str, str, dict[str, Any], Callable[[], pl.Series] | None]) -> GeneralisationStep:
        column, step, params, make = item
        found = GeneralisationStep(
            column=column,
            step=step,
            params=params,
            records_below_before=whole.records_below_threshold,
            records_below_after=whole.records_below_threshold,
            unique_before=whole.unique_records,
        )
        if make is not None:
            after = score({**codes, column: _lookup(make())[codes[column]]})
            found.records_below_after = after.records_below_threshold
            found.unique_after = after.unique_records
            found.smallest_group_after = after.smallest_group
        return found

    steps = on_two_cores(effect, tried, parallel=records.size > 200_000)
    for s in steps:
        before = records_share(s.records_below_before, total, noun=False)
        after = records_share(s.records_below_after, total, noun=False)
        change = f"stay at {before}" if after == before else f"fall from {before} to {after}"
        # Not capitalised: the step starts with the column's name, which a masked header must match.
        s.sentence = f"{s.step}: records in groups under {threshold} {change}."
    steps.sort(key=lambda s: (s.records_below_after, s.unique_after if s.unique_after is not None else s.unique_before))
    return steps
