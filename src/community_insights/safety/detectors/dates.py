"""Dates written the ways UK forms and spreadsheets write them.

Why a module of their own: a date of birth is among the commonest identifiers in a dataset, and
the same parser serves the column detectors (is this column of dates a column of birthdays?),
the free-text span finder (a date beside "DOB"), and the remedies (ages and years from dates).
"""

from __future__ import annotations

import datetime as _dt
import re

import polars as pl

# --------------------------------------------------------------------------
# Dates in UK formats
# --------------------------------------------------------------------------

MONTHS = {
    "jan": 1,
    "january": 1,
    "feb": 2,
    "february": 2,
    "mar": 3,
    "march": 3,
    "apr": 4,
    "april": 4,
    "may": 5,
    "jun": 6,
    "june": 6,
    "jul": 7,
    "july": 7,
    "aug": 8,
    "august": 8,
    "sep": 9,
    "sept": 9,
    "september": 9,
    "oct": 10,
    "october": 10,
    "nov": 11,
    "november": 11,
    "dec": 12,
    "december": 12,
}
MONTH_NAMES_PATTERN = "|".join(sorted(MONTHS, key=len, reverse=True))
_NUMERIC_DATE = re.compile(r"^(\d{1,2})[/\-.](\d{1,2})[/\-.](\d{4}|\d{2})$")
# Year first with dashes (ISO) or slashes ("2012/01/01", as many exports and East Asian and
# American systems write it): no reading puts the month first after a four-digit year.
_ISO_DATE = re.compile(
    r"^(\d{4})[-/](\d{2})[-/](\d{2})(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+\-]\d{2}:?\d{2})?)?$"
)
_WORD_DATE = re.compile(
    rf"^(\d{{1,2}})(?:st|nd|rd|th)?[\s\-]+({MONTH_NAMES_PATTERN})\.?,?[\s\-]+(\d{{4}}|\d{{2}})$",
    re.IGNORECASE,
)
_WORD_DATE_US = re.compile(rf"^({MONTH_NAMES_PATTERN})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})$", re.IGNORECASE)
# Python's regular expressions, ignoring case, let four non-ASCII letters stand for ASCII
# ones: the long s "ſ" for s, the Kelvin sign "K" for k, and the Turkish dotless "ı" and
# dotted "İ" for i. So "1 ſept 2020" or "Aprıl" match a month name that ``lower()`` alone
# would not turn into a key of MONTHS; they are read as the letter they stand for.
_MONTH_FOLD = str.maketrans({"ſ": "s", "\u212a": "k", "ı": "i", "İ": "i"})


def _month(name: str) -> int | None:
    """The number of a month name the date patterns matched (any case), or None."""

    return MONTHS.get(name.translate(_MONTH_FOLD).lower())


def _year(text: str) -> int:
    year = int(text)
    if len(text) == 2:
        # Two-digit years: assume the most recent century that is not in the future.
        this = _dt.date.today().year % 100
        year += 2000 if year <= this else 1900
    return year


def _make(year: int, month: int, day: int) -> _dt.date | None:
    try:
        return _dt.date(year, month, day)
    except ValueError:
        return None


def parse_uk_date(value: object) -> _dt.date | None:
    """Parse a date as written in UK records, day before month.

    Accepts ``31/12/1980``, ``31-12-80``, ``31.12.1980``, ``1 Mar 1980``,
    ``1st March 1980``, ``March 1, 1980``, ISO ``1980-12-31`` (with or without
    a time) or ``1980/12/31``, with digits of any script. Returns None for anything else or an
    impossible date: never raises, whatever the text.
    """

    if isinstance(value, _dt.datetime):
        return value.date()
    if isinstance(value, _dt.date):
        return value
    if not isinstance(value, str):
        return None
    text = value.strip()
    if not text or len(text) > 40:
        return None
    m = _ISO_DATE.match(text)
    if m:
        return _make(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    m = _NUMERIC_DATE.match(text)
    if m:
        return _make(_year(m.group(3)), int(m.group(2)), int(m.group(1)))
    m = _WORD_DATE.match(text)
    if m:
        month = _month(m.group(2))
        return None if month is None else _make(_year(m.group(3)), month, int(m.group(1)))
    m = _WORD_DATE_US.match(text)
    if m:
        month = _month(m.group(1))
        return None if month is None else _make(int(m.group(3)), month, int(m.group(2)))
    return None


def parse_uk_dates(series: pl.Series) -> pl.Series:
    """Vectorised :func:`parse_uk_date`: a ``pl.Date`` series, null where not a date.

    Parsed on distinct values only (a date column has few distinct values
    compared with its rows), then mapped back with a join-free ``replace``.
    """

    if series.dtype == pl.Date:
        return series
    if series.dtype == pl.Datetime:
        return series.dt.date()
    s = series.cast(pl.Utf8, strict=False).str.strip_chars()
    uniques = s.drop_nulls().unique()
    return s.replace_strict(uniques, dates_of(uniques), default=None, return_dtype=pl.Date)


# Printable ASCII of at most 40 characters: for these the patterns read the same in Polars as
# in Python's ``re`` (no Unicode digits or spaces, no trailing newline before ``$``), and
# Python's ``strip`` has nothing left to remove, so they are parsed in Polars; anything else
# goes through :func:`parse_uk_date` itself.
_DATE_FAST = r"^[\x20-\x7e]{1,40}$"
# The four formats as one pattern, in parse_uk_date's order: the first alternative that
# matches the whole value wins, as the first ``match`` does there. Groups 1-3 are ISO
# (year, month, day), 4-6 numeric (day, month, year), 7-9 words (day, month, year) and
# 10-12 American (month, day, year).
_DATE_PARTS = "^(?:{})$".format(
    "|".join(
        (f"(?i:{rx.pattern[1:-1]})" if rx.flags & re.IGNORECASE else f"(?:{rx.pattern[1:-1]})")
        for rx in (_ISO_DATE, _NUMERIC_DATE, _WORD_DATE, _WORD_DATE_US)
    )
)
_SHORT_MONTHS = pl.Series([4, 6, 9, 11], dtype=pl.Int32)
_MONTH_NAMES_S = pl.Series(list(MONTHS), dtype=pl.Utf8)
_MONTH_NUMBERS_S = pl.Series(list(MONTHS.values()), dtype=pl.Int32)


def dates_of(values: pl.Series) -> pl.Series:
    """:func:`parse_uk_date` of each value (strings), as a ``pl.Date`` series.

    A million-row date column has a few thousand distinct values, but even
    those are too many to parse one Python call at a time, so Polars reads the
    four formats; impossible dates (31 February, year 0) come out null, as
    ``datetime.date`` refuses them.
    """

    values = values.cast(pl.Utf8)
    this_century = _dt.date.today().year % 100

    def g(i: int) -> pl.Expr:
        return pl.col(str(i))

    def number(i: int) -> pl.Expr:
        return g(i).cast(pl.Int32, strict=False)

    def two_digit_year(i: int) -> pl.Expr:
        recent = pl.when(number(i) <= this_century).then(number(i) + 2000).otherwise(number(i) + 1900)
        return pl.when(g(i).str.len_chars() == 2).then(recent).otherwise(number(i))

    def month(i: int) -> pl.Expr:
        return g(i).str.to_lowercase().replace_strict(_MONTH_NAMES_S, _MONTH_NUMBERS_S, default=None)

    y, m, d = pl.col("y"), pl.col("m"), pl.col("d")
    leap = (y % 4 == 0) & ((y % 100 != 0) | (y % 400 == 0))
    days = (
        pl.when(m == 2)
        .then(pl.when(leap).then(29).otherwise(28))
        .when(m.is_in(_SHORT_MONTHS.implode()))
        .then(30)
        .otherwise(31)
    )
    valid = (
        pl.col("fast") & y.is_between(_dt.MINYEAR, _dt.MAXYEAR) & m.is_between(1, 12) & (d >= 1) & (d <= days)
    ).fill_null(False)
    # Every row is built, so the rows that are not dates are built as 1 January 2000.
    date = pl.date(
        pl.when(valid).then(y).otherwise(2000), pl.when(valid).then(m).otherwise(1), pl.when(valid).then(d).otherwise(1)
    )
    parts = (
        pl.DataFrame({"s": values})
        .lazy()
        .select(
            pl.col("s").str.contains(_DATE_FAST).fill_null(False).alias("fast"),
            pl.col("s").str.extract_groups(_DATE_PARTS).alias("parts"),
        )
        .unnest("parts")
        .select(
            "fast",
            pl.coalesce(number(1), two_digit_year(6), two_digit_year(9), number(12)).alias("y"),
            pl.coalesce(number(2), number(5), month(8), month(10)).alias("m"),
            pl.coalesce(number(3), number(4), number(7), number(11)).alias("d"),
        )
        .select("fast", pl.when(valid).then(date).otherwise(None).alias("date"))
        .collect()
    )
    out = parts.get_column("date").alias(values.name)
    slow = (~parts.get_column("fast") & values.is_not_null()).arg_true()
    if slow.len():
        out = out.scatter(slow, [parse_uk_date(v) for v in values.gather(slow).to_list()])
    return out
