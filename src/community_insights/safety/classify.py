"""Decide what each column is: direct identifier, quasi-identifier, special category, …

The decision rests on the *values* first and the header second, because
council exports are full of columns called ``field_7`` that hold names and
columns called ``name`` that hold organisations. Headers tip the balance
where values alone are ambiguous (eight digits can be a bank account or a case
number; a date can be a date of birth or a referral date).

The value-level matchers live in :mod:`community_insights.safety.detectors`;
this module turns their shares into a kind, PII types, evidence (shares, a
header hint, masked examples — never raw values) and a recommended action.
"""

from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass

import polars as pl

from community_insights.safety.defaults import DEFAULT_THRESHOLD
from community_insights.safety.masking import mask_value
from community_insights.safety.types import Action, ColumnFinding, ColumnKind, Evidence, PiiType

__all__ = [
    "AREA_LEVELS",
    "HEADER_HINTS",
    "area_level",
    "classify_column",
    "classify_frame",
    "header_hint",
    "prepare",
]

#: Share of non-empty values that must match for a column to be called a type.
STRONG = 0.5
#: Lower share that suffices when the header agrees.
WITH_HEADER = 0.2
#: Mean characters per cell from which a column with wordy cells is free text.
_TEXT_MIN_LEN = 25
#: Types whose presence in a column makes it a direct identifier.
DIRECT_TYPES = (
    PiiType.NHS_NUMBER,
    PiiType.NI_NUMBER,
    PiiType.EMAIL,
    PiiType.PHONE,
    PiiType.UPN,
    PiiType.PAYMENT_CARD,
    PiiType.PASSPORT,
    PiiType.BANK_ACCOUNT,
    PiiType.SORT_CODE,
    PiiType.IP_ADDRESS,
    PiiType.DRIVING_LICENCE,
    PiiType.VEHICLE_REGISTRATION,
)
#: Value shapes too common to trust without the header saying so.
NEEDS_HEADER = {
    PiiType.PASSPORT,
    PiiType.BANK_ACCOUNT,
    PiiType.SORT_CODE,
    PiiType.VEHICLE_REGISTRATION,
    PiiType.IP_ADDRESS,
}
SPECIAL_TYPES = (PiiType.ETHNICITY, PiiType.RELIGION, PiiType.HEALTH, PiiType.SEXUAL_ORIENTATION)

# Header words → hint. Order matters: the first match wins.
HEADER_HINTS: list[tuple[str, str]] = [
    (r"nhs", "NHS_NUMBER"),
    (r"\bni\b|nino|national.?insurance|\bni.?(no|num)", "NI_NUMBER"),
    (r"e.?mail", "EMAIL"),
    (r"phone|mobile|\btel\b|telephone|contact.?no|landline", "PHONE"),
    (r"post.?code|\bpcd\b|\bzip\b", "POSTCODE"),
    (r"\bdob\b|birth|\bd\.o\.b\b|born", "DATE_OF_BIRTH"),
    (r"\bupn\b|pupil", "UPN"),
    (r"passport", "PASSPORT"),
    (r"sort.?code", "SORT_CODE"),
    (r"account.?(no|num)|bank", "BANK_ACCOUNT"),
    (r"\bcard\b", "PAYMENT_CARD"),
    (r"\bip\b|ip.?address", "IP_ADDRESS"),
    (r"\breg(istration)?\b|\bvrm\b|vehicle", "VEHICLE_REGISTRATION"),
    (r"address|street|\baddr|house|\bline.?[1-3]\b|\broad\b", "ADDRESS"),
    (r"ethnic", "ETHNICITY"),
    (r"religio|faith|belief", "RELIGION"),
    (r"sexual|orientation|lgb", "SEXUAL_ORIENTATION"),
    (r"disab|health|condition|diagnos|medical|mental|illness|impairment", "HEALTH"),
    (r"gender|\bsex\b", "GENDER"),
    (r"\bage\b|age.?band|age.?group|\bage_", "AGE"),
    (r"\blsoa|\bmsoa|\boa\d*\b|output.?area", "AREA"),
    (r"\bward\b|neighbou?rhood|locality|\barea\b|district|parish|town|village|borough", "AREA"),
    (
        r"note|comment|narrative|description|detail|free.?text|summary|reason|remark|observation|"
        r"feedback|message|case.?history|story",
        "FREE_TEXT",
    ),
    (
        r"(first|last|full|fore|sur|family|given|middle|client|customer|resident|person|child|"
        r"parent|carer|contact|worker|officer|patient)[ _\-]?name|^name$|^names?\b|surname|forename",
        "PERSON",
    ),
    (r"(^|[ _\-])(id|ref|reference|urn|key|number|no|code|case|record|uprn|mosaic)([ _\-]|$)|id$", "SYSTEM_ID"),
    (r"date|_dt\b|when|time", "DATE"),
]
_HINT_RES = [(re.compile(p, re.IGNORECASE), h) for p, h in HEADER_HINTS]

#: Area levels the small-area check understands, from the header hint.
AREA_LEVELS = ("postcode", "sector", "district", "ward", "lsoa", "msoa", "area")

_ADDRESS_RE = (
    r"(?i)^\s*(flat|apartment|unit)?\s*\d+[a-z]?\b.*\b(road|rd|street|st|avenue|ave|lane|ln|close|way|drive|"
    r"court|ct|place|pl|crescent|grove|gardens|terrace|hill|row|walk|mews|square|park|view|rise|green)\b"
)
_AGE_BAND_RE = (
    r"^\s*(\d{1,3}\s*(-|–|to)\s*\d{1,3}|\d{1,3}\s*\+|under\s*\d{1,3}|over\s*\d{1,3}|\d{1,3}\s*and\s*over)\s*$"
)
_LSOA_RE = r"^[EWSN]0[0-9]\d{6}$"
_ID_RE = (
    r"^[A-Za-z]{0,6}[\-_/]?\d{3,}[A-Za-z0-9\-_/]*$"
    r"|^[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}$"
)


def header_hint(name: str) -> str | None:
    """What a column's header suggests it holds (``None`` when it says nothing)."""

    clean = re.sub(r"([a-z])([A-Z])", r"\1_\2", name.strip())
    for rx, hint in _HINT_RES:
        if rx.search(clean):
            return hint
    return None


def area_level(name: str) -> str | None:
    """Which kind of area a header names (ward, LSOA, …), for the small-area check."""

    low = name.lower()
    if re.search(r"lsoa", low):
        return "lsoa"
    if re.search(r"msoa", low):
        return "msoa"
    if re.search(r"\bward\b|ward[_ ]", low) or low == "ward":
        return "ward"
    if re.search(r"sector", low):
        return "sector"
    if re.search(r"district", low):
        return "district"
    if re.search(r"neighbou?rhood|locality|\barea\b|parish|town|village", low):
        return "area"
    return None


@dataclass(slots=True)
class _Stats:
    values: pl.Series  # non-empty stripped strings, in row order
    distinct_values: pl.DataFrame  # each of them once (``s``) with its count (``n``)
    n: int
    distinct: int
    mean_len: float
    mean_words: float  # 0.0 when the cells are too short to be free text (not counted)


def _stats(series: pl.Series, hint: str | None) -> _Stats:
    """The column's non-empty values, counted once per distinct value, and their shape.

    Every test after this one runs on the distinct values weighted by their
    counts: the same shares as testing every row, for a fraction of the work
    on the columns that repeat (most of them).
    """

    from community_insights.safety import detectors

    s = detectors.non_empty_strings(series)
    n = s.len()
    if n == 0:
        return _Stats(s, pl.DataFrame({"s": [], "n": []}, schema={"s": pl.String, "n": pl.UInt32}), 0, 0, 0.0, 0.0)
    distinct = s.rename("s").value_counts(name="n")
    weight = pl.col("n").cast(pl.Int64)
    # Whole-number totals divided once: the same floats as the means over the rows.
    mean_len = distinct.select((pl.col("s").str.len_chars().cast(pl.Int64) * weight).sum()).item() / n
    mean_words = 0.0
    if mean_len >= _TEXT_MIN_LEN or hint == "FREE_TEXT":  # words decide only whether the column is free text
        words = ((pl.col("s").str.count_matches(r"\s+").cast(pl.Int64) + 1) * weight).sum()
        mean_words = distinct.select(words).item() / n
    return _Stats(s, distinct, n, distinct.height, mean_len, mean_words)


def _num(value: object, default: float = 0.0) -> float:
    """A Polars aggregate as a float (aggregates are typed loosely)."""

    return float(value) if isinstance(value, (int, float)) else default


def _share(st: _Stats, pattern: str) -> float:
    """Share of the column's values matching ``pattern``."""

    if st.n == 0:
        return 0.0
    return float(_count(st, pl.col("s").str.contains(pattern))) / st.n


def _count(st: _Stats, mask: pl.Expr) -> int:
    """Rows whose value passes ``mask`` (an expression over ``s``, the distinct values)."""

    return int(st.distinct_values.select(pl.col("n").filter(mask).sum()).item() or 0)


def _examples(s: pl.Series, pii: PiiType | None, k: int = 3) -> list[str]:
    if s.len() == 0:
        return []
    # The first k distinct values in row order nearly always sit in the first rows.
    picks = s.head(64).unique(maintain_order=True).head(k).to_list()
    if len(picks) < k and s.len() > 64:
        picks = s.unique(maintain_order=True).head(k).to_list()
    return [mask_value(v, pii) for v in picks]


def _safe_examples(s: pl.Series, threshold: int, k: int = 3) -> list[str]:
    """Frequent values only (seen at least ``threshold`` times), which single nobody out."""

    if s.len() == 0:
        return []
    counts = s.value_counts(sort=True)
    col = counts.columns[0]
    frequent = counts.filter(pl.col("count") >= threshold).get_column(col).head(k).to_list()
    return [str(v)[:40] for v in frequent]


def _birth_like(dates: pl.Series, hint: str | None) -> tuple[bool, str]:
    """Tell dates of birth from other dates by header first, then by range."""

    if hint == "DATE_OF_BIRTH":
        return True, "the header says date of birth"
    valid = dates.drop_nulls()
    if valid.len() == 0:
        return False, ""
    today = _dt.date.today()
    years = valid.dt.year()
    oldest, newest = int(_num(years.min())), int(_num(years.max()))
    median_age = today.year - _num(years.median(), today.year)
    future = int((valid > today).sum())
    if hint == "DATE":
        return False, "the header names another kind of date"
    if future == 0 and newest - oldest >= 25 and median_age >= 12 and oldest >= 1900:
        return True, f"dates span {newest - oldest} years with a median age of {median_age:.0f}, as birth dates do"
    return False, "the dates cover a span typical of events, not births"


def prepare() -> None:
    """Load the word lists the column rules use (names, titles, special-category answers), once.

    Called before columns are classified on several threads, so that the
    threads do not each load them at the same moment.
    """

    from community_insights.safety import detectors

    detectors.prepare()


def classify_column(
    name: str,
    series: pl.Series,
    *,
    threshold: int = DEFAULT_THRESHOLD,
) -> ColumnFinding:
    """Classify one column from its header and a sample of its values."""

    from community_insights.safety import detectors

    hint = header_hint(name)
    st = _stats(series, hint)
    ev = Evidence(values_checked=series.len(), non_empty=st.n, distinct=st.distinct, header_hint=hint)

    def finding(
        kind: ColumnKind, types: list[PiiType], action: Action, reason: str, ex_type: PiiType | None
    ) -> ColumnFinding:
        if kind == ColumnKind.SPECIAL_CATEGORY or (kind == ColumnKind.QUASI_IDENTIFIER and ex_type is None):
            # Category answers, age bands and area names seen many times single nobody out.
            ev.masked_examples = _safe_examples(st.values, threshold)
        elif kind != ColumnKind.FREE_TEXT:
            ev.masked_examples = _examples(st.values, ex_type)
        return ColumnFinding(
            name=name, kind=kind, pii_types=types, evidence=ev, recommended_action=action, reason=reason
        )

    if st.n == 0:
        ev.notes.append("column is empty")
        return finding(ColumnKind.OTHER, [], Action.KEEP, "The column is empty.", None)

    # Free text first: long, wordy, varied cells. Identifier shares would be near zero anyway.
    is_text = (st.mean_words >= 4 and st.mean_len >= _TEXT_MIN_LEN) or (hint == "FREE_TEXT" and st.mean_words >= 2.5)
    if is_text:
        ev.notes.append(f"average {st.mean_words:.1f} words per cell")
        return finding(
            ColumnKind.FREE_TEXT,
            [],
            Action.REDACT_SPANS,
            "Free text: notes like these often mention names, phone numbers and addresses.",
            None,
        )

    matches = detectors.distinct_value_matches(st.distinct_values)
    ev.match_share = {str(k): v for k, v in sorted(matches.items(), key=lambda kv: -kv[1])}

    # Direct identifiers by value (checksums where they exist).
    best: tuple[float, PiiType] | None = None
    for pii in DIRECT_TYPES:
        share = matches.get(pii, 0.0)
        needed = STRONG if pii not in NEEDS_HEADER else 2.0  # impossible without header
        if hint == pii.value:
            needed = WITH_HEADER
        if share >= needed and (best is None or share > best[0]):
            best = (share, pii)
    if best is not None:
        share, pii = best
        if pii == PiiType.NHS_NUMBER:
            ev.checksum_pass_rate = share
        types = [pii] + [
            p for p in DIRECT_TYPES if p != pii and matches.get(p, 0.0) >= STRONG and p not in NEEDS_HEADER
        ]
        return finding(
            ColumnKind.DIRECT_IDENTIFIER,
            types,
            Action.DROP,
            f"{share:.0%} of values are {_label(pii)}; remove the column before sharing.",
            pii,
        )

    # Postcodes: quasi-identifier, generalise to sector or district.
    pc = matches.get(PiiType.POSTCODE, 0.0)
    if pc >= STRONG or (hint == "POSTCODE" and pc >= WITH_HEADER):
        full = pc
        return finding(
            ColumnKind.QUASI_IDENTIFIER,
            [PiiType.POSTCODE],
            Action.GENERALISE,
            f"{full:.0%} of values are full postcodes, which can point to a handful of homes; "
            "generalise to postcode sector or district.",
            PiiType.POSTCODE,
        )

    # Dates: birth dates are quasi-identifiers; other dates are kept.
    date_share = matches.get(PiiType.DATE_OF_BIRTH, 0.0)
    if date_share >= STRONG:
        # Each distinct value parsed once, then repeated as often as it occurs.
        parsed = st.distinct_values.with_columns(detectors.dates_of(st.distinct_values.get_column("s")).alias("s"))
        dates = parsed.select(pl.col("s").repeat_by("n").explode()).get_column("s")
        birth, why = _birth_like(dates, hint)
        ev.notes.append(why) if why else None
        if birth:
            return finding(
                ColumnKind.QUASI_IDENTIFIER,
                [PiiType.DATE_OF_BIRTH],
                Action.GENERALISE,
                f"{date_share:.0%} of values are dates and {why}; generalise to year of birth or age band.",
                PiiType.DATE_OF_BIRTH,
            )
        return finding(ColumnKind.OTHER, [], Action.KEEP, f"Dates, but not dates of birth ({why}).", None)

    # Special category and gender vocabularies.
    special = detectors.distinct_special_category_values(st.distinct_values)
    if special:
        ev.match_share.update({str(k): v for k, v in special.items()})
        top_type, top = max(special.items(), key=lambda kv: kv[1])
        needed = STRONG if hint != top_type.value else WITH_HEADER
        if top >= needed:
            if top_type == PiiType.GENDER:
                return finding(
                    ColumnKind.QUASI_IDENTIFIER,
                    [PiiType.GENDER],
                    Action.KEEP,
                    "Gender: harmless alone, but it narrows groups when combined with age and area.",
                    None,
                )
            return finding(
                ColumnKind.SPECIAL_CATEGORY,
                [top_type],
                Action.SUPPRESS_SMALL_GROUPS,
                f"{top:.0%} of values are {_label(top_type)} answers, special category data under UK GDPR; "
                "share only with a lawful basis and suppress small groups.",
                None,
            )

    # Names: from the values, so organisation names do not count.
    try:
        names_share = detectors.distinct_person_name_share(st.distinct_values)
    except (ImportError, AttributeError):  # the name lists ship separately; absent in a partial install
        names_share = 0.0
    if names_share > 0:
        ev.match_share[str(PiiType.PERSON)] = round(names_share, 6)
    # Ward and place names often share words with surnames ("Plaistow North", "Canning Town"),
    # but an area column repeats a few values many times, which a column of people's names does not.
    area_like = hint == "AREA" and st.distinct * 5 <= st.n
    if area_like and names_share >= STRONG:
        ev.notes.append("values look like names but repeat like areas, and the header names an area")
    elif names_share >= STRONG or (hint == "PERSON" and names_share >= 0.3):
        return finding(
            ColumnKind.DIRECT_IDENTIFIER,
            [PiiType.PERSON],
            Action.DROP,
            f"{names_share:.0%} of values look like people's names; remove the column (or pseudonymise it).",
            PiiType.PERSON,
        )

    addr = _share(st, _ADDRESS_RE)
    if addr >= 0.3 or (hint == "ADDRESS" and addr >= 0.1):
        ev.match_share[str(PiiType.ADDRESS)] = round(addr, 6)
        return finding(
            ColumnKind.DIRECT_IDENTIFIER,
            [PiiType.ADDRESS],
            Action.DROP,
            f"{addr:.0%} of values look like street addresses; remove the column.",
            PiiType.ADDRESS,
        )

    # Age and age bands.
    if hint == "AGE":
        band = _share(st, _AGE_BAND_RE)
        age = pl.col("s").cast(pl.Int64, strict=False)
        plausible = float(_count(st, pl.col("s").str.contains(r"^\d{1,3}$") & (age >= 0) & (age <= 120))) / st.n
        if band + plausible >= STRONG:
            return finding(
                ColumnKind.QUASI_IDENTIFIER,
                [PiiType.AGE],
                Action.GENERALISE if plausible > band else Action.KEEP,
                "Age: a quasi-identifier that narrows groups when combined with area and other details.",
                None,
            )

    # Small areas named in the data (wards, LSOAs, towns).
    lsoa = _share(st, _LSOA_RE)
    if hint == "AREA" or lsoa >= STRONG:
        return finding(
            ColumnKind.QUASI_IDENTIFIER,
            [],
            Action.SUPPRESS_SMALL_GROUPS,
            "An area (ward, LSOA or similar): combined with other details it narrows people down.",
            None,
        )

    # System identifiers: mostly unique, ID-shaped values, or an ID header with many distinct values.
    distinct_share = st.distinct / st.n
    id_shape = _share(st, _ID_RE)
    if (distinct_share >= 0.9 and id_shape >= 0.9 and st.n >= 20) or (
        hint == "SYSTEM_ID" and distinct_share >= 0.5 and id_shape >= 0.5
    ):
        ev.match_share[str(PiiType.SYSTEM_ID)] = round(id_shape, 6)
        ev.notes.append(f"{distinct_share:.0%} of values are distinct")
        return finding(
            ColumnKind.SYSTEM_ID,
            [PiiType.SYSTEM_ID],
            Action.PSEUDONYMISE,
            "A system identifier ties each row back to a record in the source system; "
            "pseudonymise it with a key (or remove it).",
            PiiType.SYSTEM_ID,
        )

    return finding(ColumnKind.OTHER, [], Action.KEEP, "No personal data found in this column.", None)


def _label(pii: PiiType) -> str:
    return {
        PiiType.NHS_NUMBER: "NHS numbers (modulus 11 check passed)",
        PiiType.NI_NUMBER: "National Insurance numbers",
        PiiType.EMAIL: "email addresses",
        PiiType.PHONE: "UK phone numbers",
        PiiType.UPN: "unique pupil numbers",
        PiiType.PAYMENT_CARD: "payment card numbers (Luhn check passed)",
        PiiType.PASSPORT: "passport numbers",
        PiiType.BANK_ACCOUNT: "bank account numbers",
        PiiType.SORT_CODE: "sort codes",
        PiiType.IP_ADDRESS: "IP addresses",
        PiiType.VEHICLE_REGISTRATION: "vehicle registrations",
        PiiType.ETHNICITY: "ethnicity",
        PiiType.RELIGION: "religion or belief",
        PiiType.HEALTH: "health or disability",
        PiiType.SEXUAL_ORIENTATION: "sexual orientation",
    }.get(pii, pii.value.replace("_", " ").lower())


def classify_frame(frame: pl.DataFrame, *, threshold: int = DEFAULT_THRESHOLD) -> list[ColumnFinding]:
    """Classify every column of a sample frame, in column order."""

    return [classify_column(name, frame.get_column(name), threshold=threshold) for name in frame.columns]
