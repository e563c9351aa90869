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

from community_insights.safety import column_rules
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
    "safe_examples",
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
    (r"account.?(no|num)|bank|\biban\b", "BANK_ACCOUNT"),
    (r"\bcard\b", "PAYMENT_CARD"),
    (r"\bip\b|ip.?address", "IP_ADDRESS"),
    (r"\breg(istration)?\b|\bvrm\b|vehicle", "VEHICLE_REGISTRATION"),
    (r"address|street|\baddr|house|\bline.?[1-3]\b|\broad\b", "ADDRESS"),
    (r"ethnic", "ETHNICITY"),
    (r"religio|faith|belief", "RELIGION"),
    (r"sexual|orientation|lgb", "SEXUAL_ORIENTATION"),
    (r"disab|health|condition|diagnos|medical|mental|illness|impairment", "HEALTH"),
    (r"gender|\bsex\b", "GENDER"),
    # "age", "age_band", and age as the last word of a longer header ("anchor_age", "PatientAge" → "Patient_Age").
    (r"\bage\b|age.?band|age.?group|\bage_|_age(?:_|$)", "AGE"),
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


def safe_examples(s: pl.Series, threshold: int, k: int = 3) -> list[str]:
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


_Verdict = column_rules.Verdict


@dataclass(slots=True)
class _Column:
    """One column as the rules read it: header hint, value statistics, the evidence gathered
    so far, and the share of values matching each identifier (filled by the matching rule)."""

    name: str
    hint: str | None
    st: _Stats
    ev: Evidence
    matches: dict[PiiType, float]


def _is_empty(c: _Column) -> _Verdict | None:
    """An empty column holds nothing."""

    if c.st.n:
        return None
    c.ev.notes.append("column is empty")
    return _Verdict(ColumnKind.OTHER, [], Action.KEEP, "The column is empty.")


def _is_free_text(c: _Column) -> _Verdict | None:
    """Free text first: long, wordy, varied cells. Identifier shares would be near zero anyway."""

    st = c.st
    if not ((st.mean_words >= 4 and st.mean_len >= _TEXT_MIN_LEN) or (c.hint == "FREE_TEXT" and st.mean_words >= 2.5)):
        return None
    if column_rules.few_long_answers(st.distinct, st.n) and _census_answers(st):  # census labels, not notes
        return None
    if column_rules.mostly_ibans(st.distinct_values):  # IBANs in groups of four, not words
        return None
    if column_rules.short_addresses(st.mean_words, _share(st, column_rules.ADDRESS_PATTERN)):  # "2009 W. 6th St."
        return None
    c.ev.notes.append(f"average {st.mean_words:.1f} words per cell")
    return _Verdict(
        ColumnKind.FREE_TEXT,
        [],
        Action.REDACT_SPANS,
        "Free text: notes like these often mention names, phone numbers and addresses.",
    )


def _census_answers(st: _Stats) -> bool:
    """Most values are answers of a special-category vocabulary (wordy ONS 2021 labels look like notes)."""

    from community_insights.safety import detectors

    return max(detectors.distinct_special_category_values(st.distinct_values).values(), default=0.0) >= STRONG


def _match_identifiers(c: _Column) -> _Verdict | None:
    """Not a verdict: the share of values matching each identifier, for the rules after it."""

    from community_insights.safety import detectors

    c.matches = detectors.distinct_value_matches(c.st.distinct_values)
    column_rules.phones_in_context(c)  # numbers outside the allocated ranges, where the column holds phones
    c.ev.match_share = {str(k): v for k, v in sorted(c.matches.items(), key=lambda kv: -kv[1])}
    return None


def _is_direct_identifier(c: _Column) -> _Verdict | None:
    """Direct identifiers by value (checksums where they exist); some need the header too."""

    best: tuple[float, PiiType] | None = None
    for pii in DIRECT_TYPES:
        share = c.matches.get(pii, 0.0)
        needed = STRONG if pii not in NEEDS_HEADER else 2.0  # impossible without header
        if c.hint == pii.value:
            needed = WITH_HEADER
        if share >= needed and (best is None or share > best[0]):
            best = (share, pii)
    # A mixed column (emails and phone numbers in one "contact" column) is every type it holds.
    mixed = column_rules.mixed_types(c.matches, DIRECT_TYPES, c.hint, NEEDS_HEADER)
    if best is None and mixed and sum(c.matches[p] for p in mixed) >= STRONG:
        best = (c.matches[mixed[0]], mixed[0])
    if best is None:
        return None
    share, pii = best
    if pii == PiiType.NHS_NUMBER:
        c.ev.checksum_pass_rate = share
    types = [pii] + [p for p in mixed if p != pii]
    reason = f"{share:.0%} of values are {_label(pii)}; remove the column before sharing."
    if len(types) > 1:
        reason = f"Values are {' and '.join(_label(p) for p in types)}; remove the column before sharing."
    return _Verdict(ColumnKind.DIRECT_IDENTIFIER, types, Action.DROP, reason, pii)


def _is_postcode(c: _Column) -> _Verdict | None:
    """Postcodes: quasi-identifier, generalise to sector or district."""

    pc = c.matches.get(PiiType.POSTCODE, 0.0)
    if not (pc >= STRONG or (c.hint == "POSTCODE" and pc >= WITH_HEADER)):
        return None
    return _Verdict(
        ColumnKind.QUASI_IDENTIFIER,
        [PiiType.POSTCODE],
        Action.GENERALISE,
        f"{pc:.0%} of values are full postcodes, which can point to a handful of homes; "
        "generalise to postcode sector or district.",
        PiiType.POSTCODE,
    )


def _is_date(c: _Column) -> _Verdict | None:
    """Dates: birth dates are quasi-identifiers; other dates are kept."""

    from community_insights.safety import detectors

    date_share = c.matches.get(PiiType.DATE_OF_BIRTH, 0.0)
    if date_share < STRONG:
        return None
    # Each distinct value parsed once, then repeated as often as it occurs.
    distinct = c.st.distinct_values
    parsed = distinct.with_columns(detectors.dates_of(distinct.get_column("s")).alias("s"))
    dates = parsed.select(pl.col("s").repeat_by("n").explode()).get_column("s")
    birth, why = _birth_like(dates, c.hint)
    if why:
        c.ev.notes.append(why)
    if not birth:
        return _Verdict(ColumnKind.OTHER, [], Action.KEEP, f"Dates, but not dates of birth ({why}).")
    return _Verdict(
        ColumnKind.QUASI_IDENTIFIER,
        [PiiType.DATE_OF_BIRTH],
        Action.GENERALISE,
        f"{date_share:.0%} of values are dates and {why}; generalise to year of birth or age band.",
        PiiType.DATE_OF_BIRTH,
    )


def _is_special_category(c: _Column) -> _Verdict | None:
    """Special category and gender vocabularies (census-style answers)."""

    from community_insights.safety import detectors

    special = detectors.distinct_special_category_values(c.st.distinct_values)
    if not special:
        return None
    c.ev.match_share.update({str(k): v for k, v in special.items()})
    top_type, top = max(special.items(), key=lambda kv: kv[1])
    if top < (STRONG if c.hint != top_type.value else WITH_HEADER):
        return None
    if top_type == PiiType.GENDER:
        return _Verdict(
            ColumnKind.QUASI_IDENTIFIER,
            [PiiType.GENDER],
            Action.KEEP,
            "Gender: harmless alone, but it narrows groups when combined with age and area.",
        )
    return _Verdict(
        ColumnKind.SPECIAL_CATEGORY,
        [top_type],
        Action.SUPPRESS_SMALL_GROUPS,
        f"{top:.0%} of values are {_label(top_type)} answers, special category data under UK GDPR; "
        "share only with a lawful basis and suppress small groups.",
    )


def _is_person_name(c: _Column) -> _Verdict | None:
    """Names: from the values, so organisation names do not count."""

    from community_insights.safety import detectors

    try:
        names_share = detectors.distinct_person_name_share(c.st.distinct_values)
    except (ImportError, AttributeError):  # the name lists ship separately; absent in a partial install
        names_share = 0.0
    if names_share > 0:
        c.ev.match_share[str(PiiType.PERSON)] = round(names_share, 6)
    # Ward and place names often share words with surnames ("Plaistow North", "Canning Town"),
    # but an area column repeats a few values many times, which a column of people's names does not.
    if c.hint == "AREA" and c.st.distinct * 5 <= c.st.n and names_share >= STRONG:
        c.ev.notes.append("values look like names but repeat like areas, and the header names an area")
        return None
    if not (names_share >= STRONG or (c.hint == "PERSON" and names_share >= 0.3)):
        return None
    return _Verdict(
        ColumnKind.DIRECT_IDENTIFIER,
        [PiiType.PERSON],
        Action.DROP,
        f"{names_share:.0%} of values look like people's names; remove the column (or pseudonymise it).",
        PiiType.PERSON,
    )


def _is_street_address(c: _Column) -> _Verdict | None:
    """Street addresses, by their shape (a number and a street word)."""

    addr = _share(c.st, column_rules.ADDRESS_PATTERN)
    if not (addr >= 0.3 or (c.hint == "ADDRESS" and addr >= 0.1)):
        return None
    c.ev.match_share[str(PiiType.ADDRESS)] = round(addr, 6)
    reason = f"{addr:.0%} of values look like street addresses; remove the column."
    return _Verdict(ColumnKind.DIRECT_IDENTIFIER, [PiiType.ADDRESS], Action.DROP, reason, PiiType.ADDRESS)


def _is_age(c: _Column) -> _Verdict | None:
    """Age and age bands, when the header says age."""

    if c.hint != "AGE":
        return None
    band = _share(c.st, _AGE_BAND_RE)
    age = pl.col("s").cast(pl.Float64, strict=False)  # infants' ages are often fractions of a year
    plausible = (
        float(_count(c.st, pl.col("s").str.contains(r"^\d{1,3}(?:\.\d+)?$") & (age >= 0) & (age <= 120))) / c.st.n
    )
    if band + plausible < STRONG:
        return None
    return _Verdict(
        ColumnKind.QUASI_IDENTIFIER,
        [PiiType.AGE],
        Action.GENERALISE if plausible > band else Action.KEEP,
        "Age: a quasi-identifier that narrows groups when combined with area and other details.",
    )


def _is_small_area(c: _Column) -> _Verdict | None:
    """Small areas named in the data (wards, LSOAs, towns)."""

    if not (c.hint == "AREA" or _share(c.st, _LSOA_RE) >= STRONG):
        return None
    return _Verdict(
        ColumnKind.QUASI_IDENTIFIER,
        [],
        Action.SUPPRESS_SMALL_GROUPS,
        "An area (ward, LSOA or similar): combined with other details it narrows people down.",
    )


def _is_system_id(c: _Column) -> _Verdict | None:
    """System identifiers: mostly unique, ID-shaped values, or an ID header with many distinct values."""

    st = c.st
    distinct_share = st.distinct / st.n
    id_shape = _share(st, _ID_RE)
    if not (
        (distinct_share >= 0.9 and id_shape >= 0.9 and st.n >= 20)
        or (c.hint == "SYSTEM_ID" and distinct_share >= 0.5 and id_shape >= 0.5)
    ):
        return None
    c.ev.match_share[str(PiiType.SYSTEM_ID)] = round(id_shape, 6)
    c.ev.notes.append(f"{distinct_share:.0%} of values are distinct")
    return _Verdict(
        ColumnKind.SYSTEM_ID,
        [PiiType.SYSTEM_ID],
        Action.PSEUDONYMISE,
        "A system identifier ties each row back to a record in the source system; "
        "pseudonymise it with a key (or remove it).",
        PiiType.SYSTEM_ID,
    )


#: The classification rules, in the order they are tried: the first verdict wins. The order
#: is the decision: a checksum beats a header, a postcode beats a name, and so on.
_RULES = (
    _is_empty,
    _is_free_text,
    _match_identifiers,
    _is_direct_identifier,
    _is_postcode,
    _is_date,
    _is_special_category,
    column_rules.coded_special_category,
    column_rules.exposure_categories,
    column_rules.health_measure,
    column_rules.place_category,
    column_rules.word_category,
    _is_person_name,
    column_rules.named_by_header,
    _is_street_address,
    _is_age,
    _is_small_area,
    _is_system_id,
    column_rules.reference_by_shape,
)
_NOTHING_FOUND = _Verdict(ColumnKind.OTHER, [], Action.KEEP, "No personal data found in this column.")


def classify_column(
    name: str,
    series: pl.Series,
    *,
    threshold: int = DEFAULT_THRESHOLD,
) -> ColumnFinding:
    """Classify one column from its header and a sample of its values.

    The rules in ``_RULES`` are tried in order and the first verdict wins; each
    rule may add to the evidence on the way (shares, notes).
    """

    hint = header_hint(name)
    st = _stats(series, hint)
    ev = Evidence(values_checked=series.len(), non_empty=st.n, distinct=st.distinct, header_hint=hint)
    column = _Column(name, hint, st, ev, {})
    verdict = next((v for v in (rule(column) for rule in _RULES) if v is not None), _NOTHING_FOUND)
    if verdict.kind == ColumnKind.SPECIAL_CATEGORY or (
        verdict.kind == ColumnKind.QUASI_IDENTIFIER and verdict.example_type is None
    ):
        # Category answers, age bands and area names seen many times single nobody out.
        ev.masked_examples = safe_examples(st.values, threshold)
    elif verdict.kind != ColumnKind.FREE_TEXT:
        ev.masked_examples = _examples(st.values, verdict.example_type)
    return ColumnFinding(
        name=name,
        kind=verdict.kind,
        pii_types=verdict.types,
        evidence=ev,
        recommended_action=verdict.action,
        reason=verdict.reason,
    )


def _label(pii: PiiType) -> str:
    return {
        PiiType.NHS_NUMBER: "NHS numbers (modulus 11 check passed)",
        PiiType.NI_NUMBER: "National Insurance numbers",
        PiiType.EMAIL: "email addresses",
        PiiType.PHONE: "UK phone numbers",
        PiiType.UPN: "unique pupil numbers",
        PiiType.PAYMENT_CARD: "payment card numbers (Luhn check passed)",
        PiiType.PASSPORT: "passport numbers",
        PiiType.BANK_ACCOUNT: "bank account numbers (or IBANs)",
        PiiType.SORT_CODE: "sort codes",
        PiiType.IP_ADDRESS: "IP addresses",
        PiiType.VEHICLE_REGISTRATION: "vehicle registrations",
        PiiType.ONLINE_ID: "online identifiers (social-media handles)",
        PiiType.ETHNICITY: "ethnicity",
        PiiType.RELIGION: "religion or belief",
        PiiType.HEALTH: "health or disability",
        PiiType.SEXUAL_ORIENTATION: "sexual orientation",
    }.get(pii, pii.value.replace("_", " ").lower())


def classify_frame(frame: pl.DataFrame, *, threshold: int = DEFAULT_THRESHOLD) -> list[ColumnFinding]:
    """Classify every column of a sample frame, in column order."""

    return [classify_column(name, frame.get_column(name), threshold=threshold) for name in frame.columns]
