"""The check's last step: the verdict and its reasons in plain words.

Why a module of its own: the reasons are what the information rights officer reads first, so
their wording sits apart from the counting that produced them.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from community_insights.safety.combinations import records_share
from community_insights.safety.mosaic import column_label
from community_insights.safety.text_scan import FreeTextScanner
from community_insights.safety.types import Action, CheckSummary, ColumnFinding, ColumnKind, Verdict

__all__ = ["span_words", "summarise"]


def span_words(pii: str) -> str:
    return {
        "PERSON": "names",
        "EMAIL": "email addresses",
        "PHONE": "phone numbers",
        "POSTCODE": "postcodes",
        "ADDRESS": "addresses",
        "DATE_OF_BIRTH": "dates of birth",
        "NHS_NUMBER": "NHS numbers",
        "NI_NUMBER": "National Insurance numbers",
    }.get(pii, pii.replace("_", " ").lower())


def _first_step(mosaic: Any) -> str:
    """What to generalise first: the step that takes most records out of small groups, if one does."""

    steps = [s for s in mosaic.generalise_first if s.records_below_after < s.records_below_before]
    if not steps:
        return "generalise one of these columns, or suppress the small groups."
    first = steps[0]
    return f"generalise {column_label(first.column)} first; {first.sentence}"


def summarise(
    findings: list[ColumnFinding],
    small_areas: Any,
    mosaic: Any,
    scanner: FreeTextScanner,
    threshold: int,
) -> CheckSummary:
    reasons: list[str] = []
    direct = [f.name for f in findings if f.kind == ColumnKind.DIRECT_IDENTIFIER]
    special = [f.name for f in findings if f.kind == ColumnKind.SPECIAL_CATEGORY]
    system = [f.name for f in findings if f.kind == ColumnKind.SYSTEM_ID]
    text_hits = [f for f in findings if f.kind == ColumnKind.FREE_TEXT and f.recommended_action == Action.REDACT_SPANS]
    span_counts: Counter[str] = Counter()
    for c in scanner.counts.values():
        span_counts.update(c)

    if direct:
        reasons.append(f"Columns that identify people directly: {', '.join(direct)}. Remove them before sharing.")
    if text_hits:
        for f in text_hits:
            reasons.append(f"{f.name}: {f.reason}")
    if system:
        reasons.append(f"System IDs tie rows back to records: {', '.join(system)}. Pseudonymise or remove them.")
    if special:
        reasons.append(
            f"Special category data (UK GDPR Article 9): {', '.join(special)}. Share it only with a lawful basis "
            "and a sharing agreement, and suppress small groups."
        )
    reasons.extend(small_areas.recommendations)
    if mosaic.quasi_identifiers and mosaic.records_below_threshold:
        labels = " + ".join(column_label(c) for c in mosaic.quasi_identifiers)
        reasons.append(
            f"Mosaic effect: {records_share(mosaic.records_below_threshold, mosaic.records)} sit in groups of "
            f"fewer than {threshold} records sharing the same {labels}; {_first_step(mosaic)}"
        )
    for d in mosaic.l_diversity:
        if d.groups_with_one_value:
            reasons.append(
                f"{d.column}: in {d.groups_with_one_value:,} groups every record has the same value, "
                f"so it is disclosed for {records_share(d.records_in_those_groups, mosaic.records)}."
            )

    if direct and special:
        verdict = Verdict.NOT_SHAREABLE
        reasons.insert(
            0,
            "Not shareable as it is: it links named or numbered people to special category data. "
            "It needs a sharing agreement, or remedies that make a different, de-identified dataset.",
        )
    elif reasons:
        verdict = Verdict.NEEDS_REMEDIES
    else:
        verdict = Verdict.SAFE_TO_SHARE
        reasons.append("No personal data, small areas or combinations that single people out were found.")
    return CheckSummary(
        verdict=verdict,
        reasons=reasons,
        personal_data_found=verdict != Verdict.SAFE_TO_SHARE,
        direct_identifiers=direct,
        special_category=special,
        span_counts=dict(span_counts.most_common()),
    )
