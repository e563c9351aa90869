"""Turn the findings of a data safety check into an editable remedy plan.

The check says what each column is; the plan says what to do about it, with
parameters filled in and the reason copied in plain words, so a person can
read it top to bottom, change what they disagree with and sign it off. The
defaults follow the guide's table: remove names and contact details, redact
free text, generalise dates of birth and postcodes, encrypt system IDs, and
keep every group of people at least ``min_group_size`` strong.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from community_insights.safety.defaults import DEFAULT_THRESHOLD, SMALLEST_GROUP_SIZE
from community_insights.safety.errors import PlanError
from community_insights.safety.remedies.plan import (
    PSEUDONYM_TYPES,
    ColumnRule,
    RemedyPlan,
    SourceFingerprint,
    columns_fingerprint,
    validate_plan,
)
from community_insights.safety.types import (
    Action,
    CheckOptions,
    CheckReport,
    ColumnFinding,
    ColumnKind,
    PiiType,
)

# Direct identifiers whose text finds the same person in another column's free text.
_ECHO_TYPES = {
    PiiType.PERSON,
    PiiType.NHS_NUMBER,
    PiiType.NI_NUMBER,
    PiiType.EMAIL,
    PiiType.PHONE,
    PiiType.UPN,
    PiiType.DATE_OF_BIRTH,
}


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "reference"


def _pseudonym_type(finding: ColumnFinding) -> str:
    for pii in finding.pii_types:
        if pii.value in PSEUDONYM_TYPES:
            return pii.value
    return "SYSTEM_ID" if finding.kind is ColumnKind.SYSTEM_ID else "TEXT"


def _generalise_params(finding: ColumnFinding) -> dict[str, Any] | None:
    types = set(finding.pii_types)
    if PiiType.POSTCODE in types:
        return {"to": "sector"}
    if PiiType.DATE_OF_BIRTH in types:
        return {"to": "age_band", "width": 10, "top": 90}
    if PiiType.AGE in types:
        return {"to": "age_band", "from": "age", "width": 10, "top": 90}
    return None


def rule_from_finding(finding: ColumnFinding, *, pseudonymise: bool = False) -> ColumnRule:
    """The default remedy for one column finding (see the module docstring)."""

    action = finding.recommended_action
    params: dict[str, Any] = {}
    reason = finding.reason
    if pseudonymise:
        action = Action.PSEUDONYMISE
        reason = (
            f"{reason} Pseudonymised with a shared key instead, so this file can be joined with a "
            "partner's file on the same people."
        ).strip()
    if action is Action.GENERALISE:
        found = _generalise_params(finding)
        if found is None:
            action = Action.SUPPRESS_SMALL_GROUPS
        else:
            params = found
    if action is Action.PSEUDONYMISE:
        if finding.kind is ColumnKind.SYSTEM_ID and not pseudonymise:
            action = Action.HASH_FILE_REFERENCE
            params = {"system": _slug(finding.name)}
        else:
            params = {"type": _pseudonym_type(finding)}
    return ColumnRule(
        column=finding.name,
        action=action,
        params=params,
        reason=reason,
        kind=finding.kind,
        pii_types=list(finding.pii_types),
    )


def plan_from_check(
    report: CheckReport,
    *,
    columns: Sequence[str] | None = None,
    reference_date: dt.date | None = None,
    min_group_size: int | None = None,
    quasi: Sequence[str] | None = None,
    pseudonymise: Sequence[str] = (),
    small_groups: str = "generalise",
) -> RemedyPlan:
    """A remedy plan from a finished check report (the portal's entry point).

    *columns* defaults to the columns the check reported on, in order;
    *pseudonymise* names columns to pseudonymise with a shared key rather
    than drop, for files that will be joined with a partner's.
    """

    names = list(columns) if columns is not None else [f.name for f in report.columns]
    findings = {f.name: f for f in report.columns}
    for wanted in list(pseudonymise) + list(quasi or []):
        if wanted not in names:
            raise PlanError(f"Column '{wanted}' is not in the dataset.")
    rules: list[ColumnRule] = []
    for name in names:
        finding = findings.get(name)
        if finding is None:
            rules.append(ColumnRule(column=name, action=Action.KEEP, reason="The check did not report on this column."))
            continue
        rules.append(rule_from_finding(finding, pseudonymise=name in pseudonymise))

    echo = [
        r.column
        for r in rules
        if r.action in (Action.DROP, Action.PSEUDONYMISE, Action.GENERALISE)
        and r.kind in (ColumnKind.DIRECT_IDENTIFIER, ColumnKind.QUASI_IDENTIFIER)
        and _ECHO_TYPES.intersection(r.pii_types)
    ]
    for rule in rules:
        if rule.action is Action.REDACT_SPANS and echo:
            rule.params = {"also_values_of": list(echo)}

    by_name = {r.column: r for r in rules}
    usable = (Action.KEEP, Action.GENERALISE, Action.SUPPRESS_SMALL_GROUPS)
    if quasi is not None:
        candidates = list(quasi)
    else:
        # The check's own choice (it knows which special categories people can see, such as
        # ethnicity); without one, every quasi-identifier it found.
        candidates = list(report.mosaic.quasi_identifiers) if report.mosaic is not None else []
        if not candidates:
            candidates = [r.column for r in rules if r.kind is ColumnKind.QUASI_IDENTIFIER]
    qis: list[str] = []
    for name in candidates:
        if name in by_name and by_name[name].action in usable and name not in qis:
            qis.append(name)
    k_text = min_group_size if min_group_size is not None else DEFAULT_THRESHOLD
    for rule in rules:
        if rule.action is Action.SUPPRESS_SMALL_GROUPS and rule.column not in qis:
            # A sensitive detail others do not know (religion, health) is what small groups
            # would reveal, not what singles people out: keep it, protected by the groups.
            rule.action = Action.KEEP
            rule.reason = (
                f"{rule.reason} Kept as a sensitive detail, protected by keeping every group of "
                f"quasi-identifiers at least {k_text} strong; groups where everyone shares one value "
                "are reported."
            ).strip()
    k = (
        min_group_size
        if min_group_size is not None
        else max(SMALLEST_GROUP_SIZE, report.mosaic.threshold or DEFAULT_THRESHOLD)
    )
    plan = RemedyPlan(
        source=SourceFingerprint(
            file_name=report.source.file_name,
            format=report.source.format,
            columns=names,
            columns_sha256=columns_fingerprint(names),
            sha256=report.source.sha256,
            rows=report.source.rows,
            sheet=report.source.sheet,
        ),
        columns=rules,
        reference_date=reference_date or dt.date.today(),
        min_group_size=k,
        quasi_identifiers=qis,
        small_groups=small_groups,
    )
    validate_plan(plan, names)
    return plan


def plan_dataset(
    path: str | Path,
    options: CheckOptions | None = None,
    *,
    reference_date: dt.date | None = None,
    min_group_size: int | None = None,
    quasi: Sequence[str] | None = None,
    pseudonymise: Sequence[str] = (),
    small_groups: str = "generalise",
    progress: Callable[[int, int | None], None] | None = None,
) -> RemedyPlan:
    """Run the data safety check on *path* and return a remedy plan for it.

    ``reference_date`` (default: today) is written into the plan so that ages
    computed from dates of birth stay the same on every rerun of the plan.
    Without *options* the check runs without scanning free text for spans
    (free-text columns are still recognised and get ``redact_spans``). When
    the first row may be a record, the plan names every column masked, as the
    check's report does (``headers.shown_columns``); ``redact_dataset`` maps
    those names back to the file's.
    """

    from community_insights.safety.check import check_dataset
    from community_insights.safety.headers import shown_columns
    from community_insights.safety.readers import open_table, sheet_names

    # The plan needs to know which columns are free text, not every name inside them:
    # redact finds those. Skipping the span scan makes planning about as fast as reading.
    opts = options or CheckOptions(free_text=False)
    if quasi is not None:
        opts = dataclasses.replace(opts, quasi=list(quasi))
    if min_group_size is not None:
        opts = dataclasses.replace(opts, threshold=min_group_size)
    report = check_dataset(path, opts, progress=progress)
    table = open_table(Path(path), sheet=opts.sheet, delimiter=opts.delimiter, encoding=opts.encoding)
    # A file whose first row may be a record: the plan names columns as the report does (masked).
    shown = shown_columns(table.columns, table.sheet)
    as_shown = dict(zip(table.columns, shown, strict=True))
    plan = plan_from_check(
        report,
        columns=shown,
        reference_date=reference_date,
        min_group_size=min_group_size,
        quasi=None if quasi is None else [as_shown.get(c, c) for c in quasi],
        pseudonymise=[as_shown.get(c, c) for c in pseudonymise],
        small_groups=small_groups,
    )
    if shown != table.columns and table.sheet is not None:
        # The report masks the sheet's name too; redact finds the sheet by its number instead.
        plan.source.sheet = str(sheet_names(Path(path)).index(table.sheet) + 1)
    return plan
