"""Generalisation: replace a precise value by a coarser one that many people share.

Dates of birth become age bands or years (ages are taken at the plan's
``reference_date``, never "today", so a rerun next month gives the same copy),
postcodes become sectors, districts or areas, exact dates become months,
numbers become bands, and ethnic categories become the five ONS high-level
groups (:mod:`.ethnicity`). Every function works on a whole batch column with
Polars expressions; a value that cannot be read (a date of birth of
``unknown``) becomes empty rather than passing through unchanged, and the
count of such values goes into the report.

The ``up_one_level`` ladders are what small-group suppression uses to make a
too-small group coarser one step at a time (sector → district → area → ``*``).

Why this module sits beside the check rather than inside ``remedies``: the check's risk
report tries one step of these same rules on each quasi-identifier to say which column to
generalise first (:mod:`.fix_first`), and ``remedies`` itself runs the check, so the rules
live where both can import them without a cycle.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Sequence
from typing import Any

import polars as pl

from community_insights.safety.ethnic_groups import ons_ethnic_groups

SUPPRESSED = "*"
"""What a value looks like once suppressed: present, but saying nothing."""

_UNIT = r"^([A-Z]{1,2}[0-9][A-Z0-9]?)([0-9])[A-Z]{2}$"
_SECTOR = r"^([A-Z]{1,2}[0-9][A-Z0-9]?) ([0-9])$"
_DISTRICT = r"^[A-Z]{1,2}[0-9][A-Z0-9]?$"
_AREA = r"^[A-Z]{1,2}$"

BROAD_AGE_BANDS = ("0-17", "18-64", "65+")


def _null() -> pl.Expr:
    return pl.lit(None, dtype=pl.Utf8)


# --------------------------------------------------------------------------- dates


def as_dates(values: pl.Series) -> pl.Series:
    """A ``pl.Date`` series from dates, datetimes or UK-style date strings (null if unreadable)."""

    if values.dtype == pl.Date:
        return values
    if isinstance(values.dtype, pl.Datetime):
        return values.dt.date()
    from community_insights.safety.detectors import parse_uk_dates

    parsed = parse_uk_dates(values.cast(pl.Utf8, strict=False))
    return pl.select(pl.when(parsed.dt.year() >= 1800).then(parsed).otherwise(None)).to_series().alias(values.name)


def age_at(dates: pl.Series, reference: dt.date) -> pl.Series:
    """Whole years between each date and *reference* (null for dates after it)."""

    d = pl.lit(dates)
    had_birthday = (d.dt.month() < reference.month) | (
        (d.dt.month() == reference.month) & (d.dt.day() <= reference.day)
    )
    age = pl.lit(reference.year, dtype=pl.Int32) - d.dt.year().cast(pl.Int32) - (~had_birthday).cast(pl.Int32)
    return pl.select(pl.when(age >= 0).then(age).otherwise(None)).to_series()


# --------------------------------------------------------------------------- numbers


def _fmt(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else f"{x:g}"


def band_labels(
    numbers: pl.Series,
    *,
    width: int | None = None,
    bands: Sequence[float] | None = None,
    top: int | None = None,
) -> pl.Series:
    """Label each number with its band: ``30-39`` (width 10), ``18-64`` (edges), ``90+`` (top)."""

    x = pl.lit(numbers.cast(pl.Float64, strict=False))
    if bands:
        edges = list(bands)
        expr: Any = pl.when(x.is_null()).then(_null())
        expr = expr.when(x < edges[0]).then(pl.lit(f"under {_fmt(edges[0])}"))
        for low, high in itertools.pairwise(edges):
            label = (
                f"{_fmt(low)}-{_fmt(high - 1)}"
                if float(low).is_integer() and float(high).is_integer()
                else f"{_fmt(low)} to under {_fmt(high)}"
            )
            expr = expr.when(x < high).then(pl.lit(label))
        result = expr.otherwise(pl.lit(f"{_fmt(edges[-1])}+"))
    else:
        w = width or 10
        lower = (x / w).floor() * w
        span = lower.cast(pl.Int64).cast(pl.Utf8) + pl.lit("-") + (lower + w - 1).cast(pl.Int64).cast(pl.Utf8)
        expr = pl.when(x.is_null() | x.is_nan()).then(_null())
        if top is not None:
            expr = expr.when(x >= top).then(pl.lit(f"{top}+"))
        result = expr.otherwise(span)
    return pl.select(result).to_series().alias(numbers.name)


# --------------------------------------------------------------------------- postcodes


def _compact_upper(values: pl.Series) -> pl.Expr:
    return pl.lit(values.cast(pl.Utf8, strict=False)).str.to_uppercase().str.replace_all(r"\s+", "")


def postcode_part(values: pl.Series, to: str) -> pl.Series:
    """Postcode unit (or sector/district already) → ``sector``, ``district`` or ``area``.

    Accepts any case and spacing; anything that is not a postcode becomes null.
    """

    raw = pl.lit(values.cast(pl.Utf8, strict=False)).str.to_uppercase().str.strip_chars()
    compact = _compact_upper(values)
    spaced = raw.str.replace_all(r"\s+", " ")
    outward = (
        pl.when(compact.str.contains(_UNIT))
        .then(compact.str.extract(_UNIT, 1))
        .when(spaced.str.contains(_SECTOR))
        .then(spaced.str.extract(_SECTOR, 1))
        .when(compact.str.contains(_DISTRICT))
        .then(compact)
        .otherwise(_null())
    )
    if to == "sector":
        digit = (
            pl.when(compact.str.contains(_UNIT))
            .then(compact.str.extract(_UNIT, 2))
            .when(spaced.str.contains(_SECTOR))
            .then(spaced.str.extract(_SECTOR, 2))
            .otherwise(_null())
        )
        result = outward + pl.lit(" ") + digit
    elif to == "district":
        result = outward
    elif to == "area":
        result = outward.str.extract(r"^([A-Z]{1,2})", 1)
    else:  # pragma: no cover - validated by the plan
        raise ValueError(to)
    return pl.select(result).to_series().alias(values.name)


# --------------------------------------------------------------------------- one column


def generalise(values: pl.Series, params: dict[str, Any], reference_date: dt.date) -> pl.Series:
    """Apply a ``generalise`` rule to one batch column; the result is always text."""

    to = params["to"]
    if to in ("sector", "district", "area"):
        return postcode_part(values, to)
    if to == "ons_ethnic_group_5":
        return ons_ethnic_groups(values)
    if to == "band":
        return band_labels(values, width=params.get("width"), bands=params.get("bands"), top=params.get("top"))
    if to == "age_band":
        if params.get("from") == "age":
            if values.dtype == pl.Utf8:
                ages = values.str.strip_chars().cast(pl.Float64, strict=False)
            else:
                ages = values.cast(pl.Float64, strict=False)
        else:
            ages = age_at(as_dates(values), reference_date)
        return band_labels(
            ages,
            width=params.get("width", 10) if not params.get("bands") else None,
            bands=params.get("bands"),
            top=params.get("top", 90),
        ).alias(values.name)
    dates = as_dates(values)
    if to == "year":
        out = dates.dt.year().cast(pl.Utf8)
    elif to == "month":
        out = dates.dt.strftime("%Y-%m")
    else:  # pragma: no cover - validated by the plan
        raise ValueError(to)
    return out.alias(values.name)


# --------------------------------------------------------------------------- ladders


def ladder_kind(action: str, params: dict[str, Any], pii_types: Sequence[str]) -> str:
    """Which coarsening ladder a quasi-identifier column climbs when its group is too small."""

    to = params.get("to")
    if to in ("sector", "district", "area") or (action != "generalise" and "POSTCODE" in pii_types):
        return "postcode"
    if to == "age_band":
        return "age"
    if to in ("year", "month"):
        return "date"
    return "other"


def up_one_level(values: pl.Expr, kind: str) -> pl.Expr:
    """One step coarser, for a column of already-remedied text values; ``*`` stays ``*``."""

    v = values.cast(pl.Utf8)
    star = pl.lit(SUPPRESSED)
    if kind == "postcode":
        compact = v.str.to_uppercase().str.replace_all(r"\s+", "")
        spaced = v.str.to_uppercase().str.strip_chars().str.replace_all(r"\s+", " ")
        return (
            pl.when(v.is_null())
            .then(star)
            .when(compact.str.contains(_UNIT))
            .then(compact.str.extract(_UNIT, 1) + pl.lit(" ") + compact.str.extract(_UNIT, 2))
            .when(spaced.str.contains(_SECTOR))
            .then(spaced.str.extract(_SECTOR, 1))
            .when(compact.str.contains(_DISTRICT))
            .then(compact.str.extract(r"^([A-Z]{1,2})", 1))
            .otherwise(star)
        )
    if kind == "age":
        low = v.str.extract(r"^(\d{1,3})", 1).cast(pl.Int32, strict=False)
        return (
            pl.when(v.is_null() | v.is_in(list(BROAD_AGE_BANDS)) | (v == SUPPRESSED))
            .then(star)
            .when(v.str.starts_with("under "))
            .then(pl.lit(BROAD_AGE_BANDS[0]))
            .when(low.is_null())
            .then(star)
            .when(low < 18)
            .then(pl.lit(BROAD_AGE_BANDS[0]))
            .when(low < 65)
            .then(pl.lit(BROAD_AGE_BANDS[1]))
            .otherwise(pl.lit(BROAD_AGE_BANDS[2]))
        )
    if kind == "date":
        decade = (v.str.head(3) + pl.lit("0")).cast(pl.Int32, strict=False)
        return (
            pl.when(v.str.contains(r"^\d{4}-\d{2}$"))
            .then(v.str.head(4))
            .when(v.str.contains(r"^\d{4}$"))
            .then(decade.cast(pl.Utf8) + pl.lit("-") + (decade + 9).cast(pl.Utf8))
            .otherwise(star)
        )
    return star
