"""Typed values the data safety engine takes and gives.

Everything here is a plain dataclass or enum so that the command line, the
portal, a notebook and a distributed job share one vocabulary, and every
report can be turned into JSON with :func:`to_jsonable` without custom code.
Raw personal data never belongs in these objects except :class:`Span`
offsets (which point into data the caller already holds).
"""

from __future__ import annotations

import dataclasses
import enum
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from community_insights.safety.defaults import DEFAULT_HOUSEHOLD_THRESHOLD, DEFAULT_THRESHOLD


class PiiType(enum.StrEnum):
    """Kinds of personal data the engine recognises (values or spans)."""

    PERSON = "PERSON"
    EMAIL = "EMAIL"
    PHONE = "PHONE"
    POSTCODE = "POSTCODE"
    ADDRESS = "ADDRESS"
    DATE_OF_BIRTH = "DATE_OF_BIRTH"
    NHS_NUMBER = "NHS_NUMBER"
    NI_NUMBER = "NI_NUMBER"
    SYSTEM_ID = "SYSTEM_ID"
    ETHNICITY = "ETHNICITY"
    RELIGION = "RELIGION"
    HEALTH = "HEALTH"
    SEXUAL_ORIENTATION = "SEXUAL_ORIENTATION"
    GENDER = "GENDER"
    AGE = "AGE"
    BANK_ACCOUNT = "BANK_ACCOUNT"
    SORT_CODE = "SORT_CODE"
    PAYMENT_CARD = "PAYMENT_CARD"
    PASSPORT = "PASSPORT"
    DRIVING_LICENCE = "DRIVING_LICENCE"
    IP_ADDRESS = "IP_ADDRESS"
    UPN = "UPN"  # unique pupil number (children's records)
    VEHICLE_REGISTRATION = "VEHICLE_REGISTRATION"
    ONLINE_ID = "ONLINE_ID"  # a social-media handle ("@julia_brown99")


class ColumnKind(enum.StrEnum):
    """What a column is, for the purpose of sharing it safely."""

    DIRECT_IDENTIFIER = "direct_identifier"
    QUASI_IDENTIFIER = "quasi_identifier"
    SPECIAL_CATEGORY = "special_category"
    SYSTEM_ID = "system_id"
    FREE_TEXT = "free_text"
    OTHER = "other"


class Action(enum.StrEnum):
    """Remedies a remedy plan can apply to a column."""

    KEEP = "keep"
    DROP = "drop"
    REDACT_SPANS = "redact_spans"
    PSEUDONYMISE = "pseudonymise"
    GENERALISE = "generalise"
    SUPPRESS_SMALL_GROUPS = "suppress_small_groups"
    HASH_FILE_REFERENCE = "hash_file_reference"


class Verdict(enum.StrEnum):
    """The one-line answer an information rights officer reads first."""

    SAFE_TO_SHARE = "safe to share"
    NEEDS_REMEDIES = "needs remedies"
    NOT_SHAREABLE = "not shareable"


@dataclasses.dataclass(frozen=True, slots=True)
class Span:
    """Personal data inside a free-text cell: 0-based data row, character offsets."""

    column: str
    row: int
    start: int
    end: int
    type: PiiType
    score: float = 1.0
    source: str = "rule"  # which detector found it: rule, checksum, model, list


@dataclasses.dataclass(slots=True)
class Evidence:
    """Why a column was classified the way it was (no raw values)."""

    values_checked: int = 0
    non_empty: int = 0
    distinct: int = 0
    match_share: dict[str, float] = dataclasses.field(default_factory=dict)
    header_hint: str | None = None
    checksum_pass_rate: float | None = None
    masked_examples: list[str] = dataclasses.field(default_factory=list)
    notes: list[str] = dataclasses.field(default_factory=list)


@dataclasses.dataclass(slots=True)
class ColumnFinding:
    """The check's verdict on one column."""

    name: str
    kind: ColumnKind
    pii_types: list[PiiType]
    evidence: Evidence
    recommended_action: Action
    reason: str
    span_count: int = 0


#: The optional measures a check can add for its sensitive columns (``CheckOptions.measures``).
MEASURES = ("entropy-l", "t-closeness")


@dataclasses.dataclass(slots=True)
class CheckOptions:
    """What the caller asks of a data safety check."""

    sheet: str | None = None
    sample: int | None = None
    threshold: int = DEFAULT_THRESHOLD
    households: Path | None = None
    quasi: Sequence[str] | None = None
    #: Columns whose values must not be disclosed by a group (l-diversity), besides the special-category ones.
    sensitive: Sequence[str] | None = None
    free_text: bool = True
    delimiter: str | None = None
    encoding: str | None = None
    #: Optional measures of the sensitive columns: ``"entropy-l"``, ``"t-closeness"`` (see :data:`MEASURES`).
    measures: Sequence[str] = ()
    #: Processes scanning free text (None: one per CPU core when there is enough text; 0: in-process).
    workers: int | None = None


def to_jsonable(value: Any) -> Any:
    """Turn dataclasses, enums and paths into plain JSON types, recursively."""

    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, Path):
        return str(value)
    if isinstance(value, Mapping):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [to_jsonable(v) for v in value]
    return value


# -- the data safety check's report (added for check_dataset) -------------------------


@dataclasses.dataclass(slots=True)
class SourceInfo:
    """Which file was checked: enough to prove later exactly what was looked at."""

    file_name: str
    format: str
    rows: int
    columns: int
    sha256: str
    sheet: str | None = None
    encoding: str | None = None
    delimiter: str | None = None
    rows_checked: int = 0
    sampled: bool = False
    problems: list[str] = dataclasses.field(default_factory=list)


@dataclasses.dataclass(slots=True)
class SmallArea:
    """Areas of one column (or one postcode level) with fewer records than the threshold."""

    column: str
    level: str  # postcode, sector, district, ward, lsoa, msoa, area
    threshold: int
    areas: int
    areas_below: int
    records_in_areas_below: int
    masked_examples: list[str] = dataclasses.field(default_factory=list)


@dataclasses.dataclass(slots=True)
class SmallAreasFinding:
    """The guide's small-area rule: postcodes of fewer than ten households, and sparse areas."""

    household_threshold: int = DEFAULT_HOUSEHOLD_THRESHOLD
    households_lookup: str | None = None
    postcode_columns: list[str] = dataclasses.field(default_factory=list)
    postcodes_checked: int = 0
    postcodes_below_households: int = 0
    records_in_postcodes_below_households: int = 0
    postcodes_not_in_lookup: int = 0
    full_postcodes_present: bool = False
    areas: list[SmallArea] = dataclasses.field(default_factory=list)
    recommendations: list[str] = dataclasses.field(default_factory=list)
    #: records counted (rows of the file, or of the sample): what each count's share is of
    records: int = 0


@dataclasses.dataclass(slots=True)
class CombinationRisk:
    """How many people one combination of quasi-identifiers singles out."""

    columns: list[str]
    groups: int
    smallest_group: int
    unique_records: int
    records_below_threshold: int
    sentence: str = ""


@dataclasses.dataclass(slots=True)
class DiversityFinding:
    """l-diversity of one special-category column inside the quasi-identifier groups."""

    column: str
    l_min: int
    groups_with_one_value: int
    records_in_those_groups: int


@dataclasses.dataclass(slots=True)
class GeneralisationStep:
    """What one step of generalising one quasi-identifier would do to k-anonymity, computed on the data."""

    column: str
    #: the step in words, with the column: "age in 10-year bands", "postcode cut to sector"
    step: str
    #: the remedy plan's ``generalise`` parameters for the step (``{"to": "sector"}``); empty for top-coding
    params: dict[str, Any]
    records_below_before: int
    records_below_after: int
    unique_before: int
    #: None when the step was not computed because it provably changes nothing in small groups
    unique_after: int | None = None
    smallest_group_after: int | None = None
    sentence: str = ""


@dataclasses.dataclass(slots=True)
class DiversityMeasures:
    """The optional measures of one sensitive column inside the quasi-identifier groups.

    Entropy l-diversity: the smallest ``exp(entropy)`` of the column's values in a group (a
    group of ten records split 9 to 1 has distinct l = 2 but entropy l of about 1.4). t-closeness:
    the largest distance between a group's spread of values and the whole file's (Earth Mover's
    Distance; 0 is the same spread, 1 as far as it can be).
    """

    column: str
    entropy_l: float | None = None
    t_closeness: float | None = None
    #: how the distance was measured: "ordered" (numbers, in their order) or "categorical" (every value equally far)
    t_ground: str | None = None


@dataclasses.dataclass(slots=True)
class MosaicFinding:
    """k-anonymity over the quasi-identifiers and the combinations that single people out."""

    quasi_identifiers: list[str] = dataclasses.field(default_factory=list)
    threshold: int = DEFAULT_THRESHOLD
    k: int | None = None
    groups: int = 0
    records_below_threshold: int = 0
    unique_records: int = 0
    combinations: list[CombinationRisk] = dataclasses.field(default_factory=list)
    l_diversity: list[DiversityFinding] = dataclasses.field(default_factory=list)
    sentences: list[str] = dataclasses.field(default_factory=list)
    #: records counted (rows of the file, or of the sample): what each count's share is of
    records: int = 0
    #: one step of generalisation tried on each quasi-identifier, the step that removes most risk first
    generalise_first: list[GeneralisationStep] = dataclasses.field(default_factory=list)
    #: entropy l-diversity and t-closeness, when asked for (``CheckOptions.measures``)
    measures: list[DiversityMeasures] = dataclasses.field(default_factory=list)


@dataclasses.dataclass(slots=True)
class CheckSummary:
    """The verdict first, then the reasons in plain words."""

    verdict: Verdict
    reasons: list[str] = dataclasses.field(default_factory=list)
    personal_data_found: bool = False
    direct_identifiers: list[str] = dataclasses.field(default_factory=list)
    special_category: list[str] = dataclasses.field(default_factory=list)
    span_counts: dict[str, int] = dataclasses.field(default_factory=dict)
    seconds: float = 0.0


@dataclasses.dataclass(slots=True)
class CheckReport:
    """Everything :func:`check_dataset` found, safe to email (masked examples only)."""

    source: SourceInfo
    columns: list[ColumnFinding]
    small_areas: SmallAreasFinding
    mosaic: MosaicFinding
    summary: CheckSummary
    schema_version: str = "1.0"
