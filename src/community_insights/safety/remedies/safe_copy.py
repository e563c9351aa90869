"""What every engine's safe copy shares: the checks of plan and key before any work, and the report's words.

Why a module of its own: a safe copy is made on one machine (:mod:`.redact`)
or on Spark (:mod:`.spark_redact`), and both must refuse the same mistakes in
the same sentence and write the same report, so what decides those is here once.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import polars as pl

from community_insights.safety.errors import InputError, KeyFileError, SafetyError
from community_insights.safety.files import sha256_file
from community_insights.safety.remedies.actions import Remedies
from community_insights.safety.remedies.keys import KEY_BYTES, key_id, load_key
from community_insights.safety.remedies.plan import RemedyPlan, dumps_plan, load_plan, rename_plan_columns
from community_insights.safety.remedies.pseudonymise import TOKEN_VERSION
from community_insights.safety.remedies.report import (
    FileSummary,
    GroupSizes,
    PlanSummary,
    RedactReport,
    SensitiveDetail,
    SmallGroupsSummary,
)
from community_insights.safety.remedies.suppress import COUNT, GroupCounter, GroupStats
from community_insights.safety.types import Action


def _stats(g: GroupStats) -> GroupSizes:
    return GroupSizes(
        smallest_group=g.k,
        groups=g.groups,
        records=g.records,
        groups_below_min=g.groups_below,
        records_below_min=g.records_below,
    )


def _one_value_groups(column: str, qis: list[str], counter: GroupCounter) -> SensitiveDetail:
    """Groups of the safe copy in which every record has the same value of *column*."""

    counts = counter.counts()
    if counts.height == 0:
        return SensitiveDetail(column, 0, 0)
    per_group = counts.group_by(qis).agg(
        pl.col(column).n_unique().alias("__values"), pl.col(COUNT).sum().alias("__records")
    )
    alike = per_group.filter(pl.col("__values") == 1)
    return SensitiveDetail(column, alike.height, int(alike["__records"].sum()))


def _resolve_key(plan: RemedyPlan, key: bytes | str | Path | None) -> bytes | None:
    if not plan.needs_key():
        return None if key is None else (key if isinstance(key, bytes) else load_key(key))
    if key is None:
        raise KeyFileError("This plan pseudonymises columns, so it needs a key file; make one with 'insights keygen'.")
    if isinstance(key, bytes):
        if len(key) != KEY_BYTES:
            raise KeyFileError("The key must be 256 bits (32 bytes).")
        return key
    return load_key(key)


def _overrides(plan: RemedyPlan, key_bytes: bytes | None, same_as_planned: bool | None, force: bool) -> list[str]:
    """What this run would override, in plain words; raises unless *force* allows it.

    Why refuse: a plan made for another file may keep a column this file
    fills with names, and tokens made with another key cannot be joined with
    the partner's. Both are usually mistakes, so they need saying on purpose.
    """

    reasons: list[str] = []
    if same_as_planned is False:
        reasons.append("The plan was made for a different file (its contents differ); it was applied by force.")
        if not force:
            raise InputError(
                "The plan was made for a different file; make a plan for this file, or force it if the "
                "plan's decisions still fit."
            )
    if plan.key_id and key_bytes is not None and key_id(key_bytes) != plan.key_id:
        reasons.append(
            f"The key (fingerprint {key_id(key_bytes)}) is not the one the plan was made with "
            f"({plan.key_id}); it was used by force, so tokens will not match copies made with the plan's key."
        )
        if not force:
            raise KeyFileError(
                "The key file is not the key this plan was made with; use the plan's key, or force it if the "
                "change is intended."
            )
    return reasons


def _residual_risks(
    plan: RemedyPlan, remedies: Remedies, small: SmallGroupsSummary | None, same_file_as_planned: bool | None
) -> list[str]:
    risks: list[str] = []
    pseudo = [r.column for r in plan.columns if r.action in (Action.PSEUDONYMISE, Action.HASH_FILE_REFERENCE)]
    if pseudo:
        risks.append(
            f"Pseudonymised columns and keyed references ({', '.join(pseudo)}) are still personal data under "
            "UK GDPR: "
            "anyone holding the key can link them back to people. Keep the key away from the recipients "
            "of this copy and share the copy under a data sharing agreement."
        )
    free = [r.column for r in plan.columns if r.action is Action.REDACT_SPANS]
    if free:
        found = sum(remedies.states[c].remedy.spans_redacted for c in free)
        risks.append(
            f"Free text ({', '.join(free)}) had {found:,} pieces of personal data redacted automatically; "
            "automatic redaction misses some (unusual names, nicknames, descriptions of people), so a "
            "person should read a sample before it is shared."
        )
    kept = [
        r.column for r in plan.columns if r.action is Action.KEEP and r.kind is not None and r.kind.value != "other"
    ]
    if kept:
        risks.append(f"Columns the check flagged are kept as they are ({', '.join(kept)}); make sure that is intended.")
    blanked = [s.remedy.name for s in remedies.states.values() if s.remedy.values_blanked]
    if blanked:
        risks.append(
            f"Some values could not be read and were left empty ({', '.join(blanked)}); check the input "
            "for unusual formats."
        )
    if small is None:
        risks.append(
            "No quasi-identifiers were named, so the copy was not checked for small groups of people "
            "(the mosaic effect)."
        )
    else:
        if small.records_generalised:
            risks.append(
                "Records of small groups were made coarser than the rest; someone who knows the rule can "
                "tell that such a record comes from a small group."
            )
        if small.after.smallest_group is not None and small.after.smallest_group < small.min_group_size:
            risks.append(
                f"A group of {small.after.smallest_group} records remains, below the minimum of {small.min_group_size}."
            )
        for detail in small.sensitive_details:
            if detail.groups_with_one_value:
                risks.append(
                    f"In {detail.groups_with_one_value:,} groups ({detail.records_in_those_groups:,} records) "
                    f"everyone has the same {detail.column}: anyone who knows a person is in such a group "
                    "learns it."
                )
        risks.append(
            "Group sizes only cover the named quasi-identifiers; a recipient who holds other data about "
            "these people may still match records (the mosaic effect)."
        )
    if same_file_as_planned is False:
        risks.append(
            "The plan was made from a different file with the same columns; check that its decisions "
            "still fit this file."
        )
    return risks


def _in_file_names(plan: RemedyPlan, table: Any) -> RemedyPlan:
    """A plan written in masked names (the first row may be a record) renamed to the file's own names."""

    from community_insights.safety.headers import shown_columns

    shown = shown_columns(table.columns, table.sheet)
    if shown == list(table.columns) or list(plan.source.columns) != shown:
        return plan
    return rename_plan_columns(plan, dict(zip(shown, table.columns, strict=True)))


@contextmanager
def _names_masked_in_errors(table: Any) -> Iterator[None]:
    """Every refusal names columns as the report would: masked when the first row may be a record."""

    from community_insights.safety.headers import mask_names, shown_columns

    if shown_columns(table.columns, table.sheet) == list(table.columns):
        yield
        return
    try:
        yield
    except SafetyError as exc:
        raise type(exc)(mask_names(str(exc), table.columns, table.sheet)) from None


def _report(
    *,
    source: FileSummary,
    output: FileSummary,
    plan: tuple[RemedyPlan, str | None, str, bool | None],
    remedies: Remedies,
    in_columns: list[str],
    small: SmallGroupsSummary | None,
    key_bytes: bytes | None,
) -> RedactReport:
    """The safe-copy report both engines write: one builder, so the two reports cannot drift apart.

    *plan* is the plan, its file name, its SHA-256 and whether the input is the file it was made for.
    """

    plan_obj, plan_name, plan_sha, same_as_planned = plan
    return RedactReport(
        source=source,
        output=output,
        plan=PlanSummary(
            file_name=plan_name,
            sha256=plan_sha,
            plan_version=plan_obj.plan_version,
            reference_date=plan_obj.reference_date.isoformat(),
            made_for=plan_obj.source.file_name,
            made_for_sha256=plan_obj.source.sha256,
            same_file_as_planned=same_as_planned,
        ),
        columns=[remedies.states[c].remedy for c in in_columns],
        small_groups=small,
        residual_risks=_residual_risks(plan_obj, remedies, small, same_as_planned),
        key_id=None if key_bytes is None else key_id(key_bytes),
        token_version=TOKEN_VERSION if plan_obj.needs_key() else None,
    )


def plan_and_digest(plan: RemedyPlan | str | Path) -> tuple[RemedyPlan, str, str | None]:
    """The plan, the SHA-256 the report gives for it (of the file, or of the plan as saved) and its file's name."""

    if isinstance(plan, RemedyPlan):
        return plan, hashlib.sha256(dumps_plan(plan).encode("utf-8")).hexdigest(), None
    return load_plan(plan), sha256_file(Path(plan)), Path(plan).name
