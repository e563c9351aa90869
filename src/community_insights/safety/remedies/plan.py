"""The remedy plan: what to do with each column before a dataset is shared.

The plan is the contract between the data safety check, the people who sign a
safe copy off and the redact step. Humans edit it (so it is YAML with the
reason for every decision in plain words), the portal stores it, and
``redact_dataset`` refuses anything it does not understand rather than guess:
an unknown column, an unknown action, a bad parameter, a column of the dataset
that the plan forgot, or a plan that was made for another dataset all raise
:class:`PlanError` with one sentence that says what to change.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import itertools
import re
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import yaml

from community_insights.safety.defaults import DEFAULT_THRESHOLD, SMALLEST_GROUP_SIZE
from community_insights.safety.errors import PlanError
from community_insights.safety.types import Action, ColumnKind, PiiType

PLAN_VERSION = 1
"""The plan format this code reads and writes. Bump it when the meaning of a plan changes."""

SMALL_GROUP_METHODS = ("generalise", "remove")

#: How values are made comparable before they are pseudonymised. Part of the token
#: contract: two organisations only get the same token if they use the same type.
PSEUDONYM_TYPES = (
    "NHS_NUMBER",
    "NI_NUMBER",
    "POSTCODE",
    "EMAIL",
    "PERSON",
    "PHONE",
    "DATE_OF_BIRTH",
    "SYSTEM_ID",
    "UPN",
    "TEXT",
)

GENERALISE_TARGETS = (
    "age_band",  # date of birth (or age) -> "30-39"
    "year",  # date -> "1984"
    "month",  # date -> "1984-03"
    "sector",  # postcode -> "SW1A 1"
    "district",  # postcode -> "SW1A"
    "area",  # postcode -> "SW"
    "band",  # number -> "10-19"
    "ons_ethnic_group_5",  # ethnic group, category or NHS code -> one of the five ONS high-level groups
)

_PREFIX_RE = re.compile(r"^[A-Z]{1,3}-$")

# Parameters each action accepts: name -> checker returning an error phrase or None.
_ParamCheck = dict[str, Any]


@dataclasses.dataclass(slots=True)
class SourceFingerprint:
    """Which dataset a plan was made for, so it is never applied to another one by mistake."""

    file_name: str
    format: str
    columns: list[str]
    columns_sha256: str
    sha256: str | None = None
    rows: int | None = None
    sheet: str | None = None


@dataclasses.dataclass(slots=True)
class ColumnRule:
    """One column's remedy: the action, its parameters and the reason in plain words."""

    column: str
    action: Action
    params: dict[str, Any] = dataclasses.field(default_factory=dict)
    reason: str = ""
    kind: ColumnKind | None = None
    pii_types: list[PiiType] = dataclasses.field(default_factory=list)


@dataclasses.dataclass(slots=True)
class RemedyPlan:
    """A versioned, editable list of remedies for one dataset."""

    source: SourceFingerprint
    columns: list[ColumnRule]
    reference_date: dt.date
    min_group_size: int = DEFAULT_THRESHOLD
    quasi_identifiers: list[str] = dataclasses.field(default_factory=list)
    small_groups: str = "generalise"
    plan_version: int = PLAN_VERSION
    #: Fingerprint of the pseudonymisation key the plan was made for (``insights plan --key-file``);
    #: a redaction with another key is refused unless forced, so tokens stay joinable.
    key_id: str | None = None

    def rule(self, column: str) -> ColumnRule:
        """The rule for *column* (KeyError if the plan has none)."""

        for rule in self.columns:
            if rule.column == column:
                return rule
        raise KeyError(column)

    def effective_quasi_identifiers(self) -> list[str]:
        """Quasi-identifiers listed at plan level plus every ``suppress_small_groups`` column."""

        names = list(self.quasi_identifiers)
        for rule in self.columns:
            if rule.action is Action.SUPPRESS_SMALL_GROUPS and rule.column not in names:
                names.append(rule.column)
        return names

    def needs_key(self) -> bool:
        """Whether applying this plan needs a pseudonymisation key."""

        return any(r.action in (Action.PSEUDONYMISE, Action.HASH_FILE_REFERENCE) for r in self.columns)


def columns_fingerprint(columns: Sequence[str]) -> str:
    """sha256 over the ordered column names: cheap to compare, stable across exports."""

    digest = hashlib.sha256()
    for name in columns:
        digest.update(name.encode("utf-8"))
        digest.update(b"\x1f")
    return digest.hexdigest()


def rename_plan_columns(plan: RemedyPlan, names: Mapping[str, str]) -> RemedyPlan:
    """*plan* with its columns renamed by *names* (every place a rule, a parameter or the source names one).

    Why: a plan for a file whose first row may be a record names each column as
    the check's report shows it (``column 1 (J*** S****)``), so no one reads a
    raw value in it; the safe copy is made by renaming it to the file's own
    names. The fingerprint of the columns follows only if it held before, so a
    plan edited to other columns is still refused.
    """

    def one(name: str) -> str:
        return names.get(name, name)

    columns = [one(c) for c in plan.source.columns]
    matched = plan.source.columns_sha256 == columns_fingerprint(plan.source.columns)
    rules = []
    for rule in plan.columns:
        params = dict(rule.params)
        also = params.get("also_values_of")
        if isinstance(also, list):
            params["also_values_of"] = [one(c) if isinstance(c, str) else c for c in also]
        rules.append(dataclasses.replace(rule, column=one(rule.column), params=params))
    source = dataclasses.replace(
        plan.source,
        columns=columns,
        columns_sha256=columns_fingerprint(columns) if matched else plan.source.columns_sha256,
    )
    return dataclasses.replace(
        plan, source=source, columns=rules, quasi_identifiers=[one(c) for c in plan.quasi_identifiers]
    )


# --------------------------------------------------------------------------- validation


def _check_int(value: Any, low: int, high: int) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and low <= value <= high


def _validate_params(rule: ColumnRule, all_columns: Sequence[str]) -> None:
    """Raise PlanError for the first parameter of *rule* that is unknown or out of range."""

    name = rule.column
    params = rule.params
    action = rule.action
    allowed: set[str]
    if action in (Action.KEEP, Action.DROP, Action.SUPPRESS_SMALL_GROUPS):
        allowed = set()
    elif action is Action.REDACT_SPANS:
        allowed = {"also_values_of"}
        also = params.get("also_values_of", [])
        if not isinstance(also, list) or not all(isinstance(c, str) for c in also):
            raise PlanError(f"Column '{name}': also_values_of must be a list of column names.")
        for other in also:
            if other not in all_columns:
                raise PlanError(f"Column '{name}': also_values_of names column '{other}', which is not in the dataset.")
    elif action in (Action.PSEUDONYMISE, Action.HASH_FILE_REFERENCE):
        allowed = {"type", "prefix", "length"}
        if action is Action.HASH_FILE_REFERENCE:
            allowed = {"system", "prefix", "length"}
            system = params.get("system", "default")
            if not isinstance(system, str) or not system.strip():
                raise PlanError(f"Column '{name}': system must be a short name such as 'case-id'.")
        else:
            ptype = params.get("type", "TEXT")
            if ptype not in PSEUDONYM_TYPES:
                raise PlanError(
                    f"Column '{name}': pseudonymise type '{ptype}' is unknown; use one of {', '.join(PSEUDONYM_TYPES)}."
                )
        prefix = params.get("prefix", "P-" if action is Action.PSEUDONYMISE else "R-")
        if not isinstance(prefix, str) or not _PREFIX_RE.match(prefix):
            raise PlanError(f"Column '{name}': prefix must be one to three capital letters and a dash, such as 'P-'.")
        if "length" in params and not _check_int(params["length"], 10, 52):
            raise PlanError(f"Column '{name}': length must be a whole number from 10 to 52.")
    elif action is Action.GENERALISE:
        allowed = {"to", "width", "bands", "top", "from"}
        to = params.get("to")
        if to not in GENERALISE_TARGETS:
            raise PlanError(f"Column '{name}': generalise needs 'to' set to one of {', '.join(GENERALISE_TARGETS)}.")
        if "width" in params:
            if to not in ("age_band", "band"):
                raise PlanError(f"Column '{name}': width only applies to age_band and band.")
            if not _check_int(params["width"], 1, 1_000_000_000):
                raise PlanError(f"Column '{name}': width must be a positive whole number.")
        if "bands" in params:
            bands = params["bands"]
            if (
                to not in ("age_band", "band")
                or not isinstance(bands, list)
                or len(bands) < 2
                or not all(isinstance(b, (int, float)) and not isinstance(b, bool) for b in bands)
                or any(b >= c for b, c in itertools.pairwise(bands))
            ):
                raise PlanError(
                    f"Column '{name}': bands must be an increasing list of at least two numbers, such as [0, 18, 65]."
                )
        if "top" in params and (to not in ("age_band", "band") or not _check_int(params["top"], 1, 10**12)):
            raise PlanError(f"Column '{name}': top must be a positive whole number for age_band or band.")
        if "from" in params and (to != "age_band" or params["from"] not in ("date_of_birth", "age")):
            raise PlanError(f"Column '{name}': from must be 'date_of_birth' or 'age' (age_band only).")
    else:  # pragma: no cover - every Action is handled above
        raise PlanError(f"Column '{name}': action '{action}' is not supported.")
    unknown = sorted(set(params) - allowed)
    if unknown:
        raise PlanError(f"Column '{name}': action {action.value} does not take parameter '{unknown[0]}'.")


def validate_plan(plan: RemedyPlan, columns: Sequence[str] | None = None) -> None:
    """Raise :class:`PlanError` unless *plan* is complete, consistent and made for *columns*.

    *columns* are the dataset's column names; when given, the plan must have
    been made for a dataset with exactly these columns. A file with a new
    column might hold new personal data that nobody planned for, so it is
    refused rather than passed through.
    """

    if plan.plan_version != PLAN_VERSION:
        raise PlanError(
            f"This plan has plan_version {plan.plan_version}, but this version of "
            f"Community Insights reads plan_version {PLAN_VERSION}."
        )
    if not _check_int(plan.min_group_size, SMALLEST_GROUP_SIZE, 1_000_000):
        raise PlanError(f"min_group_size must be a whole number of at least {SMALLEST_GROUP_SIZE}.")
    if plan.small_groups not in SMALL_GROUP_METHODS:
        raise PlanError("small_groups must be 'generalise' or 'remove'.")
    if columns is not None:
        columns = list(columns)
        if columns_fingerprint(columns) != plan.source.columns_sha256 or columns != list(plan.source.columns):
            missing = [c for c in plan.source.columns if c not in columns]
            extra = [c for c in columns if c not in plan.source.columns]
            detail = []
            if extra:
                detail.append(f"{len(extra)} column(s) the plan does not know, such as '{extra[0]}'")
            if missing:
                detail.append(f"{len(missing)} planned column(s) missing, such as '{missing[0]}'")
            if not detail:
                detail.append("the columns are in a different order")
            raise PlanError(
                f"This plan was made for another dataset ('{plan.source.file_name}'): "
                f"{' and '.join(detail)}; make a new plan with 'insights plan'."
            )
    known = list(plan.source.columns)
    seen: set[str] = set()
    for rule in plan.columns:
        if rule.column not in known:
            raise PlanError(f"The plan names column '{rule.column}', which is not in the dataset.")
        if rule.column in seen:
            raise PlanError(f"The plan has two entries for column '{rule.column}'; keep one.")
        seen.add(rule.column)
        _validate_params(rule, known)
    for name in known:
        if name not in seen:
            raise PlanError(
                f"Column '{name}' of the dataset has no entry in the plan; "
                "add one (for example action: keep or action: drop)."
            )
    actions = {r.column: r.action for r in plan.columns}
    for name in plan.quasi_identifiers:
        if name not in actions:
            raise PlanError(f"Quasi-identifier '{name}' is not a column of the dataset.")
        action = actions[name]
        if action is Action.DROP:
            raise PlanError(f"Quasi-identifier '{name}' is dropped; take it out of quasi_identifiers.")
        if action in (Action.PSEUDONYMISE, Action.HASH_FILE_REFERENCE, Action.REDACT_SPANS):
            raise PlanError(
                f"Quasi-identifier '{name}' is {action.value}d, which makes every group a "
                "single record; use keep, generalise or suppress_small_groups for it."
            )
    if len(set(plan.quasi_identifiers)) != len(plan.quasi_identifiers):
        raise PlanError("quasi_identifiers lists a column twice.")


# --------------------------------------------------------------------------- YAML

_HEADER = """\
# Community Insights remedy plan.
# One entry per column: action is one of keep, drop, redact_spans, pseudonymise,
# generalise, suppress_small_groups, hash_file_reference. Edit the actions and
# parameters, keep the reasons honest, then run:
#   insights redact DATASET --plan THIS_FILE --key-file KEY --output SAFE_COPY
# Records whose quasi_identifiers together form a group smaller than
# min_group_size are generalised further (small_groups: generalise) or removed
# (small_groups: remove). reference_date fixes ages so reruns give the same copy.
# If small groups would hide most of an ethnicity column, group it instead:
# action: generalise, params: {to: ons_ethnic_group_5} (the five ONS high-level groups).
"""


def plan_to_dict(plan: RemedyPlan) -> dict[str, Any]:
    """The plan as plain data in the order people read it."""

    source: dict[str, Any] = {
        "file_name": plan.source.file_name,
        "format": plan.source.format,
    }
    if plan.source.sheet is not None:
        source["sheet"] = plan.source.sheet
    if plan.source.rows is not None:
        source["rows"] = plan.source.rows
    if plan.source.sha256 is not None:
        source["sha256"] = plan.source.sha256
    source["columns_sha256"] = plan.source.columns_sha256
    source["columns"] = list(plan.source.columns)
    entries = []
    for rule in plan.columns:
        entry: dict[str, Any] = {"column": rule.column, "action": rule.action.value}
        if rule.params:
            entry["params"] = dict(rule.params)
        if rule.reason:
            entry["reason"] = rule.reason
        if rule.kind is not None:
            entry["kind"] = rule.kind.value
        if rule.pii_types:
            entry["pii_types"] = [t.value for t in rule.pii_types]
        entries.append(entry)
    return {
        "plan_version": plan.plan_version,
        "source": source,
        "reference_date": plan.reference_date.isoformat(),
        "min_group_size": plan.min_group_size,
        "small_groups": plan.small_groups,
        "quasi_identifiers": list(plan.quasi_identifiers),
        **({"key_id": plan.key_id} if plan.key_id else {}),
        "columns": entries,
    }


class _PlanDumper(yaml.SafeDumper):
    """Quotes strings that plain YAML would change on the way back (odd line breaks, controls)."""


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    if any(ch in value for ch in "\x85\u2028\u2029") or not value.isprintable():
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style='"')
    return dumper.represent_str(value)


_PlanDumper.add_representer(str, _represent_str)


def dumps_plan(plan: RemedyPlan) -> str:
    """The plan as YAML text (deterministic, so its sha256 identifies the plan)."""

    body = yaml.dump(
        plan_to_dict(plan),
        Dumper=_PlanDumper,
        sort_keys=False,
        allow_unicode=True,
        default_flow_style=False,
        width=100,
    )
    return _HEADER + body


def save_plan(plan: RemedyPlan, path: str | Path, *, inputs: Iterable[str | Path | None] = ()) -> Path:
    """Write *plan* to *path* atomically (temp file in the same folder, then rename), never over *inputs*."""

    from community_insights.safety.files import atomic_write_text

    validate_plan(plan)
    return atomic_write_text(Path(path), dumps_plan(plan), inputs=inputs)


def _require(mapping: Mapping[str, Any], key: str, where: str) -> Any:
    if key not in mapping:
        raise PlanError(f"The plan has no '{key}' {where}.")
    return mapping[key]


_KNOWN_TOP = {
    "plan_version",
    "source",
    "reference_date",
    "min_group_size",
    "small_groups",
    "quasi_identifiers",
    "columns",
    "key_id",
}
_KNOWN_ENTRY = {"column", "action", "params", "reason", "kind", "pii_types"}


def plan_from_dict(data: Any) -> RemedyPlan:
    """Build a plan from parsed YAML, with one-sentence errors for every shape problem.

    The parts are read in the order a person reads the plan (version, source, reference
    date, columns, quasi-identifiers), so the first problem in the file is the one reported.
    """

    if not isinstance(data, Mapping):
        raise PlanError("The plan must be a YAML mapping with plan_version, source and columns.")
    version = _require(data, "plan_version", "at the top")
    if not _check_int(version, 1, 10**6):
        raise PlanError("plan_version must be a whole number such as 1.")
    if version != PLAN_VERSION:
        raise PlanError(
            f"This plan has plan_version {version}, but this version of "
            f"Community Insights reads plan_version {PLAN_VERSION}."
        )
    source = _source_from_dict(_require(data, "source", "at the top"))
    reference_date = _reference_date(_require(data, "reference_date", "at the top"))
    entries = _require(data, "columns", "at the top")
    if not isinstance(entries, list):
        raise PlanError("The plan's columns must be a list of entries.")
    rules = [_rule_from_dict(number, entry) for number, entry in enumerate(entries, start=1)]
    qis = data.get("quasi_identifiers") or []
    if not isinstance(qis, list) or not all(isinstance(q, str) for q in qis):
        raise PlanError("quasi_identifiers must be a list of column names.")
    extra_top = sorted(set(data) - _KNOWN_TOP)
    if extra_top:
        raise PlanError(f"The plan has an unknown field '{extra_top[0]}' at the top.")
    plan = RemedyPlan(
        plan_version=version,
        source=source,
        columns=rules,
        reference_date=reference_date,
        min_group_size=data.get("min_group_size", DEFAULT_THRESHOLD),
        quasi_identifiers=list(qis),
        small_groups=data.get("small_groups", "generalise"),
        key_id=_key_id_field(data.get("key_id")),
    )
    validate_plan(plan)
    return plan


def _source_from_dict(source_data: Any) -> SourceFingerprint:
    """The plan's fingerprint of the file it was made from."""

    if not isinstance(source_data, Mapping):
        raise PlanError("The plan's source must be a mapping.")
    cols = _require(source_data, "columns", "in its source")
    if not isinstance(cols, list) or not all(isinstance(c, str) for c in cols):
        raise PlanError("The plan's source columns must be a list of column names.")
    rows = source_data.get("rows")
    if rows is not None and not _check_int(rows, 0, 10**15):
        raise PlanError("The plan's source rows must be a whole number.")
    return SourceFingerprint(
        file_name=str(source_data.get("file_name", "")),
        format=str(source_data.get("format", "")),
        columns=list(cols),
        columns_sha256=str(source_data.get("columns_sha256") or columns_fingerprint(cols)),
        sha256=None if source_data.get("sha256") is None else str(source_data["sha256"]),
        rows=rows,
        sheet=None if source_data.get("sheet") is None else str(source_data["sheet"]),
    )


def _reference_date(raw_date: Any) -> dt.date:
    """The plan's reference date (ages are worked out at it), from a YAML date or ISO text."""

    if isinstance(raw_date, dt.datetime):
        raw_date = raw_date.date()
    if isinstance(raw_date, str):
        try:
            raw_date = dt.date.fromisoformat(raw_date)
        except ValueError:
            raise PlanError("reference_date must be a date such as 2025-01-31.") from None
    if not isinstance(raw_date, dt.date):
        raise PlanError("reference_date must be a date such as 2025-01-31.")
    return raw_date


def _rule_from_dict(number: int, entry: Any) -> ColumnRule:
    """One entry of the plan's columns: the column, its action, params, reason, kind and types."""

    if not isinstance(entry, Mapping) or not isinstance(entry.get("column"), str):
        raise PlanError(f"Entry {number} of the plan's columns has no column name.")
    name = entry["column"]
    raw_action = entry.get("action")
    try:
        action = Action(str(raw_action))
    except ValueError:
        valid_actions = ", ".join(a.value for a in Action)
        raise PlanError(f"Column '{name}' has unknown action '{raw_action}'; use one of {valid_actions}.") from None
    params = entry.get("params") or {}
    if not isinstance(params, Mapping):
        raise PlanError(f"Column '{name}': params must be a mapping.")
    kind = entry.get("kind")
    try:
        kind_value = None if kind is None else ColumnKind(kind)
        pii = [PiiType(t) for t in entry.get("pii_types") or []]
    except ValueError:
        raise PlanError(f"Column '{name}' has an unknown kind or pii type.") from None
    extra = sorted(set(entry) - _KNOWN_ENTRY)
    if extra:
        raise PlanError(f"Column '{name}' has an unknown field '{extra[0]}'.")
    return ColumnRule(
        column=name,
        action=action,
        params=dict(params),
        reason=str(entry.get("reason") or ""),
        kind=kind_value,
        pii_types=pii,
    )


def _key_id_field(value: Any) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or not re.fullmatch(r"[0-9a-f]{8,64}", value):
        raise PlanError("key_id must be the key's fingerprint as insights keygen printed it (hex digits).")
    return value


def loads_plan(text: str) -> RemedyPlan:
    """Parse and validate a plan from YAML text."""

    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 1})" if mark is not None else ""
        raise PlanError(f"The plan is not valid YAML{where}.") from None
    return plan_from_dict(data)


def load_plan(path: str | Path) -> RemedyPlan:
    """Read and validate a plan file."""

    path = Path(path)
    if path.exists() and not path.is_file():  # a pipe would make the read wait for ever
        raise PlanError(f"The plan '{path}' is not a regular file.")
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise PlanError(f"There is no plan file at '{path}'.") from None
    except (OSError, UnicodeDecodeError):
        raise PlanError(f"The plan file '{path}' cannot be read as UTF-8 text.") from None
    return loads_plan(text)
