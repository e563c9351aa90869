"""Detectors over a whole column: the share of a column's values that are each kind of identifier.

Why they work on distinct values: a column of a million rows seldom holds more than a few
thousand distinct values, so each detector runs as Polars expressions over those, each value
weighted by how often it occurs, and a cheap gate per shape keeps the costlier patterns off
values that cannot match. A checksum then runs on the distinct candidates only.
"""

from __future__ import annotations

import functools
from collections.abc import Callable

import polars as pl

from community_insights.safety.detectors.dates import MONTH_NAMES_PATTERN
from community_insights.safety.detectors.iban import is_iban
from community_insights.safety.detectors.identifiers import (
    EMAIL_PATTERN,
    INWARD_PATTERN,
    IPV4_PATTERN,
    NI_FIRST_LETTERS,
    NI_NOT_ALLOWED_PREFIXES,
    NI_SECOND_LETTERS,
    OUTWARD_PATTERN,
    VEHICLE_PATTERN,
    is_ip_address,
    is_nhs_number,
    is_payment_card,
    is_upn,
)
from community_insights.safety.detectors.phones import phone_ok, phone_shaped
from community_insights.safety.types import PiiType

# --------------------------------------------------------------------------
# Vectorised matching over a column
# --------------------------------------------------------------------------

_NHS_SHAPE = r"^\d{3}[ \-]?\d{3}[ \-]?\d{4}$"
_NI_SHAPE = rf"^[{NI_FIRST_LETTERS}][{NI_SECOND_LETTERS}]\d{{6}}[A-D]$"
_POSTCODE_SHAPE = rf"^(?:{OUTWARD_PATTERN}{INWARD_PATTERN}|GIR0AA|BFPO\d{{1,4}})$"
_PHONE_SHAPE = r"^(?:\+44|0044|0)(?:7[1-57-9]\d{8}|1\d{8,9}|2\d{9}|3\d{9}|8\d{8,9}|9\d{9}|5[56]\d{8})$"
_EMAIL_SHAPE = rf"^{EMAIL_PATTERN}$"
_IPV4_SHAPE = rf"^{IPV4_PATTERN}$"
_IPV6_SHAPE = r"^[0-9A-Fa-f]{0,4}(?::[0-9A-Fa-f]{0,4}){2,7}$"
_DATE_SHAPES = [
    r"^(?:0?[1-9]|[12]\d|3[01])[/\-.](?:0?[1-9]|1[0-2])[/\-.](?:\d{4}|\d{2})$",
    r"^\d{4}[-/](?:0[1-9]|1[0-2])[-/](?:0[1-9]|[12]\d|3[01])"
    r"(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+\-]\d{2}:?\d{2})?)?$",
    rf"(?i)^(?:0?[1-9]|[12]\d|3[01])(?:st|nd|rd|th)?[\s\-]+(?:{MONTH_NAMES_PATTERN})\.?,?[\s\-]+(?:\d{{4}}|\d{{2}})$",
    rf"(?i)^(?:{MONTH_NAMES_PATTERN})\.?\s+(?:0?[1-9]|[12]\d|3[01])(?:st|nd|rd|th)?,?\s+\d{{4}}$",
]
# The four shapes as one pattern (one pass over the values instead of four).
_DATE_SHAPE = "|".join(f"(?i:{p[4:]})" if p.startswith("(?i)") else f"(?:{p})" for p in _DATE_SHAPES)
_CARD_SHAPE = r"^(?:\d[ \-]?){12,18}\d$"
_UPN_SHAPE = r"^[A-HJ-NP-RT-Z]\d{11}[0-9A-HJ-NP-RT-Z]$"
_VRM_SHAPE = rf"^{VEHICLE_PATTERN}$"

# How many distinct phone candidates go through phonenumbers for the
# full-metadata check; the Ofcom-plan regex above decides the rest.
PHONE_VALIDATION_SAMPLE = 5_000


def non_empty_strings(series: pl.Series) -> pl.Series:
    """Non-empty values of a column as stripped strings."""

    s = series if series.dtype == pl.Utf8 else series.cast(pl.Utf8, strict=False)
    s = s.str.strip_chars()
    return s.filter(s.is_not_null() & (s.str.len_chars() > 0))


def distinct_values(series: pl.Series) -> pl.DataFrame:
    """The column's non-empty stripped values once each (``s``) with how often each occurs (``n``).

    Every column-level detector works on this frame rather than on the rows:
    a column of a million rows seldom holds more than a few thousand distinct
    values, and a share of rows is the same count whether each row is tested
    or each distinct value is tested once and weighted by its count.
    """

    return non_empty_strings(series).rename("s").value_counts(name="n")


_REPEATED_DIGITS = pl.Series([str(i) * 10 for i in range(10)], dtype=pl.Utf8)


def _nhs_valid(candidates: pl.Series) -> pl.Series:
    """``is_nhs_number`` for NHS-shaped strings, all at once in Polars (same answers, no Python loop).

    The ten digits are read as one integer and the check runs on its digits
    by arithmetic. The shape's ``\\d`` accepts digits of every script, but
    only 0-9 are numbers to Polars, so a candidate written in other digits
    (Arabic-Indic, Devanagari, full-width …) is checked by
    :func:`is_nhs_number`, which reads them as the digits they are: a number
    typed in full-width digits is still that person's NHS number. Such
    candidates are rare, so the Polars path is left as it is for the rest.
    """

    # The shape allows only spaces and dashes between the digits.
    digits = candidates.str.replace_all(" ", "", literal=True).str.replace_all("-", "", literal=True)
    number = pl.col("number")

    def digit(i: int) -> pl.Expr:  # the i-th digit from the left of ten
        return (number // 10 ** (9 - i)) % 10

    total = pl.sum_horizontal(digit(i) * (10 - i) for i in range(9))
    check = 11 - total % 11
    check = pl.when(check == 11).then(0).otherwise(check)
    ok = (
        (pl.col("d").str.len_chars() == 10)
        & (check != 10)
        & (check == digit(9))
        & ~pl.col("d").is_in(_REPEATED_DIGITS.implode())
    )
    frame = (
        pl.DataFrame({"d": digits})
        .lazy()
        .with_columns(pl.col("d").cast(pl.Int64, strict=False).alias("number"))
        .select(ok.fill_null(False).alias("ok"), number.is_null().alias("unread"))
        .collect()
    )
    passed = frame.get_column("ok")
    unread = frame.get_column("unread").arg_true()
    if unread.len():
        passed = passed.scatter(unread, [is_nhs_number(v) for v in candidates.gather(unread).to_list()])
    return passed


# What ``\s`` matches in Polars' regular expressions (Unicode White_Space). Characters are
# dropped with a literal multi-replace rather than a pattern: Polars keeps only the last 32
# patterns it compiled (per thread), and classifying a column must stay under that.
_WHITE_SPACE = tuple(
    chr(c)
    for c in (
        *range(0x09, 0x0E),
        0x20,
        0x85,
        0xA0,
        0x1680,
        *range(0x2000, 0x200B),
        0x2028,
        0x2029,
        0x202F,
        0x205F,
        0x3000,
    )
)


def _drop(expr: pl.Expr, chars: tuple[str, ...]) -> pl.Expr:
    """``expr`` with every one of ``chars`` removed."""

    return expr.str.replace_many(list(chars), [""] * len(chars))


_NI_PREFIXES = pl.Series(sorted(NI_NOT_ALLOWED_PREFIXES), dtype=pl.Utf8)


def _ni_shaped(col: pl.Expr) -> pl.Expr:
    compact = _drop(col.str.to_uppercase(), (*_WHITE_SPACE, "-", "."))
    return compact.str.contains(_NI_SHAPE) & ~compact.str.slice(0, 2).is_in(_NI_PREFIXES.implode())


# Each identifier's shape as a test of one value, written once and run over whichever values
# its gate lets through. Checksums, where a scheme has one, come after, on the distinct values
# that have the shape.
_SHAPES: dict[str, Callable[[pl.Expr], pl.Expr]] = {
    "nhs": lambda col: col.str.contains(_NHS_SHAPE),
    "ni": _ni_shaped,
    "postcode": lambda col: _drop(col.str.to_uppercase(), _WHITE_SPACE).str.contains(_POSTCODE_SHAPE),
    # "+44 (0)20 …": the "(0)" UK stationery puts in goes before the digits are read.
    "phone": lambda col: (
        _drop(col.str.replace("(0)", "", literal=True), (*_WHITE_SPACE, "-", "(", ")", ".")).str.contains(_PHONE_SHAPE)
        & col.str.contains(_PHONE_CHARSET)
    ),
    "email": lambda col: col.str.contains(_EMAIL_SHAPE),
    "date": lambda col: col.str.contains(_DATE_SHAPE),
    "ip4": lambda col: col.str.contains(_IPV4_SHAPE),
    "ip6": lambda col: col.str.contains(_IPV6_SHAPE) & col.str.contains(":", literal=True),
    "sort": lambda col: col.str.contains(r"^\d{2}[\- ]\d{2}[\- ]\d{2}$"),
    # ^\d{8}$ and ^\d{9}$, as one pattern and a length.
    "bank": lambda col: col.str.contains(r"^\d+$") & (col.str.len_chars() == 8),
    "passport": lambda col: col.str.contains(r"^\d+$") & (col.str.len_chars() == 9),
    "card": lambda col: col.str.contains(_CARD_SHAPE),
    "upn": lambda col: col.str.to_uppercase().str.contains(_UPN_SHAPE),
    "vrm": lambda col: col.str.to_uppercase().str.contains(_VRM_SHAPE),
    # an IBAN, electronic or paper form (the registry length and mod-97 check follow: detectors/iban.py)
    "iban": lambda col: _drop(col.str.to_uppercase(), (*_WHITE_SPACE, "-")).str.contains(
        r"^[A-Z]{2}\d{2}[A-Z0-9]{11,30}$"
    ),
}
# Gates: one cheap pattern per value that every value of the shape matches (a superset), so
# the shapes that rewrite a value first (upper-casing, dropping spaces) rewrite only the few
# values that could match, and a shape that no value could match costs nothing. A gate
# written for ASCII also lets through any value with a non-ASCII character, whose
# upper-casing or digits could surprise it ("ß" upper-cases to "SS").
_PHONE_CHARSET = r"^[+(]?[\d\s().\-]+$"
# ASCII letters, digits and white space only, so that they are small and quick to compile.
_OR_NON_ASCII = r"|[^\x00-\x7F]"
_ASCII_SPACE = r"[\t-\r ]"
_GATES: dict[str, pl.Expr] = {
    # Digits, spaces and ().+- only: every numeric shape (NHS, bank, card, IPv4 …).
    "g_num": pl.col("s").str.contains(_PHONE_CHARSET),
    # … and the phone number's digits start +44, 0044 or 0.
    "g_phone": pl.col("s").str.contains(r"^[\s\-().]*[+0][\d\s().\-]*$"),
    "g_ni": pl.col("s").str.contains(
        r"^[\t-\r \-.]*[A-Za-z][\t-\r \-.]*[A-Za-z](?:[\t-\r \-.]*[0-9]){6}[\t-\r \-.]*[A-Da-d][\t-\r \-.]*$"
        + _OR_NON_ASCII
    ),
    "g_postcode": pl.col("s").str.contains(
        rf"^{_ASCII_SPACE}*[A-Za-z](?:{_ASCII_SPACE}*[A-Za-z0-9]){{4,7}}{_ASCII_SPACE}*$" + _OR_NON_ASCII
    ),
    "g_upn": pl.col("s").str.contains(r"^[A-Za-z][0-9]{11}[0-9A-Za-z]$" + _OR_NON_ASCII),
    "g_vrm": pl.col("s").str.contains(r"^[A-Za-z]{2}[0-9]{2} ?[A-Za-z]{3}$" + _OR_NON_ASCII),
    "g_iban": pl.col("s").str.contains(r"^[\t-\r ]*[A-Za-z]{2}[0-9]{2}[A-Za-z0-9\t-\r \-]{11,40}$" + _OR_NON_ASCII),
    "g_at": pl.col("s").str.contains("@", literal=True),
    "g_colon": pl.col("s").str.contains(":", literal=True),
}
_SHAPE_GATE: dict[str, str | None] = {
    "nhs": "g_num",
    "ni": "g_ni",
    "postcode": "g_postcode",
    "phone": "g_phone",
    "email": "g_at",
    "date": None,
    "ip4": "g_num",
    "ip6": "g_colon",
    "sort": "g_num",
    "bank": "g_num",
    "passport": "g_num",
    "card": "g_num",
    "upn": "g_upn",
    "vrm": "g_vrm",
    "iban": "g_iban",
}
# Shapes confirmed value by value after the shape (checksum, phone metadata, IP address
# parser): for these the query returns the distinct candidates, not only their count.
_CHECKED = ("nhs", "phone", "ip6", "card", "upn", "iban")


def _shape_query() -> list[pl.Expr]:
    """One query over the gated distinct values: for each shape, how many rows have it; for
    the checked shapes, which distinct values (``s``) have it and how often (``n``)."""

    exprs: list[pl.Expr] = []
    for key, shape in _SHAPES.items():
        gate = _SHAPE_GATE[key]
        text, count = (
            (pl.col("s"), pl.col("n"))
            if gate is None
            else (pl.col("s").filter(pl.col(gate)), pl.col("n").filter(pl.col(gate)))
        )
        has_shape = shape(text)
        if key in _CHECKED:
            exprs.append(pl.struct(text, count).filter(has_shape).implode().alias(key))
        else:
            exprs.append(count.filter(has_shape).sum().alias(key))
    return exprs


_GATE_COLUMNS = [gate.alias(name) for name, gate in _GATES.items()]
_SHAPE_QUERY = _shape_query()


def value_matches(series: pl.Series) -> dict[PiiType, float]:
    """Share of non-empty values matching each identifier type (0.0–1.0).

    Only types with a share above zero are returned. NHS numbers and UPNs
    count only when their check digit/letter is right, payment cards only when
    the Luhn check holds; phone numbers follow Ofcom's plan and a sample of
    distinct numbers is confirmed with ``phonenumbers``. ``DATE_OF_BIRTH`` here
    means "any date": telling birth dates from other dates needs the range and
    the header, which the column classifier adds.
    """

    return distinct_value_matches(distinct_values(series))


def distinct_value_matches(values: pl.DataFrame) -> dict[PiiType, float]:
    """:func:`value_matches` for a column already reduced by :func:`distinct_values`."""

    n = int(values.get_column("n").sum())
    out: dict[PiiType, float] = {}
    if n == 0:
        return out
    row = values.with_columns(_GATE_COLUMNS).select(_SHAPE_QUERY)
    found = {key: row.get_column(key).item().struct.unnest() for key in _CHECKED}
    counts = {
        key: int(found[key].get_column("n").sum()) if key in found else int(row.get_column(key).item() or 0)
        for key in _SHAPES
    }

    def candidates(key: str) -> tuple[pl.Series, pl.Series]:
        """The distinct values of one checked shape and how often each occurs."""

        return found[key].get_column("s"), found[key].get_column("n")

    def checked(key: str, check: Callable[[str], bool], upper: bool = False) -> int:
        """Rows whose value has the shape and passes ``check`` (run once per distinct value)."""

        if not counts[key]:
            return 0
        text, weight = candidates(key)
        if upper:
            text = text.str.to_uppercase()
        passed = pl.Series([check(v) for v in text.to_list()], dtype=pl.Boolean)
        return int(weight.filter(passed).sum())

    # NHS number: shape then modulus 11.
    if counts["nhs"]:
        text, weight = candidates("nhs")
        out[PiiType.NHS_NUMBER] = float(weight.filter(_nhs_valid(text)).sum()) / n
    else:
        out[PiiType.NHS_NUMBER] = 0.0
    out[PiiType.NI_NUMBER] = counts["ni"] / n
    out[PiiType.POSTCODE] = counts["postcode"] / n

    phone_share = counts["phone"] / n
    if phone_share:
        # Sorted first so that the sample, and so the answer, is the same on every run.
        cands_s = candidates("phone")[0].sort()
        if cands_s.len() > PHONE_VALIDATION_SAMPLE:
            cands_s = cands_s.sample(PHONE_VALIDATION_SAMPLE, seed=0)
        # Every candidate already fits the Ofcom plan, so the compiled-metadata fast path gives
        # phonenumbers' own answer (tested side by side) about 50 times faster than a full parse.
        sample = cands_s.to_list()
        confirmed = sum(1 for v in sample if phone_ok(v)) / len(sample)
        phone_share *= confirmed
    out[PiiType.PHONE] = phone_share

    out[PiiType.EMAIL] = counts["email"] / n
    out[PiiType.DATE_OF_BIRTH] = counts["date"] / n
    ip6 = checked("ip6", is_ip_address)
    out[PiiType.IP_ADDRESS] = counts["ip4"] / n + (float(ip6) / n if ip6 else 0.0)
    out[PiiType.SORT_CODE] = counts["sort"] / n
    iban = checked("iban", is_iban)  # an IBAN holds the account number (and a UK one the sort code)
    out[PiiType.BANK_ACCOUNT] = (counts["bank"] + iban) / n
    out[PiiType.PASSPORT] = counts["passport"] / n
    card = checked("card", is_payment_card)
    out[PiiType.PAYMENT_CARD] = float(card) / n if card else 0.0
    upn = checked("upn", is_upn, upper=True)
    out[PiiType.UPN] = float(upn) / n if upn else 0.0
    out[PiiType.VEHICLE_REGISTRATION] = counts["vrm"] / n

    return {k: round(v, 6) for k, v in out.items() if v > 0}


def _shaped_not_nhs(value: str) -> bool:
    # An allocated number first: the plan's answer for this value is usually cached already.
    return phone_ok(value) or (phone_shaped(value) and not is_nhs_number(value))


def written_phone_share(values: pl.DataFrame, counts: Callable[[str], bool] = _shaped_not_nhs) -> float:
    """Share of rows written as UK phone numbers (:func:`phone_shaped`), in an allocated range or not.

    Why apart from :func:`distinct_value_matches`: a number in a range the
    numbering plan keeps for drama or has not allocated is a phone number only
    where the column says it holds phone numbers (its header, or the emails
    and allocated numbers beside it), which the classifier decides; so this runs
    only for such columns. Ten digits that pass the NHS number's modulus 11
    check and fit no allocated range are an NHS number, not a phone. A dot
    between the groups (``07700.900.123``) reads as a space. ``counts`` says
    which values count (a narrower test for a column that says nothing).
    """

    n = int(values.get_column("n").sum())
    if n == 0:
        return 0.0
    gated = values.filter(_GATES["g_phone"])
    if gated.height == 0:
        return 0.0
    # Sorted first so that the sample, and so the answer, is the same on every run.
    sample = gated.sort("s")
    if sample.height > PHONE_VALIDATION_SAMPLE:
        sample = sample.sample(PHONE_VALIDATION_SAMPLE, seed=0)
    texts, weights = sample.get_column("s").to_list(), sample.get_column("n").to_list()
    shaped = sum(w for v, w in zip(texts, weights, strict=True) if counts(v.replace(".", " ")))
    return round(int(gated.get_column("n").sum()) / n * shaped / int(sample.get_column("n").sum()), 6)


# --------------------------------------------------------------------------
# Person names in a column
# --------------------------------------------------------------------------


def person_name_share(series: pl.Series) -> float:
    """Share of non-empty values that look like a person's name.

    A value counts when it is shaped like a name (one to five words of
    letters, apostrophes, hyphens; an optional title such as Mr, Mrs, Dr,
    Cllr), contains no word that marks an organisation or place (Ltd, UK,
    Hospital, Centre, Street, Council, Sainsbury's …), and either starts with a
    title or contains at least one known first name or surname from the
    shipped name lists, which cover the communities of the UK. Values are
    scored on distinct values, lower-cased, inside Polars.
    """

    return distinct_person_name_share(distinct_values(series))


def straight_apostrophes(expr: pl.Expr) -> pl.Expr:
    """Curly apostrophes and backticks as straight apostrophes."""

    return expr.str.replace_many(["’", "`"], ["'", "'"])


_NAME_SHAPE = r"^(?:\p{L}[\p{L}'\-\.]*\.?)(?:[\s,]+\p{L}[\p{L}'\-\.]*\.?){0,5}$"


@functools.cache
def name_series() -> tuple[pl.Series, pl.Series, pl.Series]:
    """The name lists as Polars series (titles, hard blockers, all names), built once."""

    from community_insights.safety import names as _names

    lists = _names.name_lists()
    return (
        pl.Series(sorted(lists.titles), dtype=pl.Utf8),
        pl.Series(sorted(lists.hard_blockers), dtype=pl.Utf8),
        pl.Series(sorted(lists.all_names), dtype=pl.Utf8),
    )


def distinct_person_name_share(values: pl.DataFrame) -> float:
    """:func:`person_name_share` for a column already reduced by :func:`distinct_values`."""

    n = int(values.get_column("n").sum())
    if n == 0:
        return 0.0
    titles, hard_blockers, all_names = name_series()
    # A name is letters, apostrophes, hyphens, dots, spaces and commas only: a value with a
    # digit in it cannot have the shape, so it is not lower-cased or matched at all.
    lower = values.filter(~pl.col("s").str.contains_any(list("0123456789"))).select(
        straight_apostrophes(pl.col("s").str.to_lowercase()).alias("lower"), "n"
    )
    shape = pl.col("lower").str.contains(_NAME_SHAPE) & pl.col("lower").str.contains(r"\p{L}{2}")
    # Only name-shaped values can count, so only they are split into words.
    shaped = lower.filter(shape)
    if shaped.height == 0:
        return 0.0
    tokens = (
        pl.col("lower")
        .str.replace_many([",", "."], [" ", " "])
        .str.split(" ")
        .list.eval(pl.element().filter(pl.element().str.len_chars() > 0))
    )
    frame = shaped.select(tokens.alias("tokens"), "n")
    frame = frame.with_columns(
        pl.col("tokens").list.first().str.strip_chars("'").is_in(titles.implode()).alias("titled"),
        pl.col("tokens")
        .list.eval(pl.element().str.strip_chars("'-").is_in(hard_blockers.implode()))
        .list.any()
        .alias("blocked"),
        pl.col("tokens")
        .list.eval(
            pl.element()
            .str.strip_suffix("'s")
            .str.split("-")
            .list.eval(pl.element().is_in(all_names.implode()))
            .list.any()
        )
        .list.sum()
        .alias("known"),
        pl.col("tokens").list.len().alias("ntok"),
    )
    ok = frame.filter(
        ~pl.col("blocked")
        & (pl.col("ntok") <= 6)
        & ((pl.col("titled") & (pl.col("ntok") >= 2)) | (pl.col("known") >= 1))
    )
    return round(float(ok.get_column("n").sum()) / n, 6)


# --------------------------------------------------------------------------
