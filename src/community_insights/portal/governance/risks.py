"""The DPIA's risks, drafted from each dataset's data safety check, with the measures its plan applies.

One rule per kind of finding the check raises (direct identifiers, special category data, the mosaic
effect, small areas, free-text identifiers, pseudonymised data that is still personal data). Each rule
says whether the finding is there, which columns it is about, and what the plan does to them; a risk
with no plan yet has an empty measure, so the DPIA cannot be approved until it has one or is accepted.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from community_insights.portal.governance.drafting import Risk, Sentence, measure_words
from community_insights.portal.governance.evidence import DatasetEvidence
from community_insights.portal.governance.models import Level, Severity
from community_insights.safety import records_share


def _small_area_columns(d: DatasetEvidence) -> list[str]:
    areas = d.report.get("small_areas") or {}
    found = [a["column"] for a in areas.get("areas", []) if a.get("areas_below")]
    if areas.get("full_postcodes_present"):
        found += list(areas.get("postcode_columns", []))
    return list(dict.fromkeys(found))


def _mosaic_columns(d: DatasetEvidence) -> list[str]:
    mosaic = d.report.get("mosaic") or {}
    return list(mosaic.get("quasi_identifiers", [])) if mosaic.get("records_below_threshold") else []


def _pseudonymised_columns(d: DatasetEvidence) -> list[str]:
    planned = [
        c["column"]
        for c in d.plan_data.get("columns", [])
        if c.get("action") in ("pseudonymise", "hash_file_reference")
    ]
    return planned or d.columns("system_id")


def _mosaic_finding(d: DatasetEvidence, cols: list[str]) -> str:
    """Records, with their share when the check recorded the total (older reports did not)."""

    mosaic = d.report.get("mosaic") or {}
    below = records_share(int(mosaic.get("records_below_threshold") or 0), int(mosaic.get("records") or 0))
    return (
        f"Mosaic effect: together, {', '.join(cols)} put {below} in groups of fewer than "
        f"{mosaic.get('threshold', '')} records, so someone could be recognised."
    )


@dataclass(frozen=True)
class RiskRule:
    key: str
    title: str
    columns: Callable[[DatasetEvidence], list[str]]
    finding: Callable[[DatasetEvidence, list[str]], str]
    severity: str
    extra_measure: str = ""


RULES: tuple[RiskRule, ...] = (
    RiskRule(
        "direct",
        "People identified directly",
        lambda d: d.columns("direct_identifier"),
        lambda d, cols: f"Columns that identify people directly: {', '.join(cols)}.",
        Severity.SEVERE,
    ),
    RiskRule(
        "special",
        "Special category data",
        lambda d: d.columns("special_category"),
        lambda d, cols: f"Special category data (UK GDPR Article 9): {', '.join(cols)}.",
        Severity.SEVERE,
        "Shared only under a sharing agreement naming an Article 9 condition.",
    ),
    RiskRule(
        "mosaic",
        "Mosaic effect",
        _mosaic_columns,
        _mosaic_finding,
        Severity.SIGNIFICANT,
        "Published figures follow the disclosure rules: no group of fewer than the programme's threshold.",
    ),
    RiskRule(
        "small_areas",
        "Small areas",
        _small_area_columns,
        lambda d, cols: f"Small areas: {', '.join(cols)} point to areas with fewer people than the threshold.",
        Severity.SIGNIFICANT,
        "Maps and tables use areas with at least the programme's threshold of people.",
    ),
    RiskRule(
        "free_text",
        "Identifiers in free text",
        lambda d: [c for c in d.columns("free_text") if d.column(c).get("span_count")],
        lambda d, cols: (
            "Free text mentions people: "
            + ", ".join(f"{c} ({d.column(c).get('span_count')} places)" for c in cols)
            + "."
        ),
        Severity.SIGNIFICANT,
    ),
    RiskRule(
        "pseudonymised",
        "Pseudonymised data is still personal data",
        _pseudonymised_columns,
        lambda d, cols: (
            f"Pseudonymised or system identifiers ({', '.join(cols)}) can be linked back by whoever "
            "holds the key or the source system, so the safe copy is still personal data."
        ),
        Severity.SIGNIFICANT,
        "The key is sealed and never shown; the safe copy goes only to the project team under the agreement.",
    ),
)


def dataset_risks(d: DatasetEvidence) -> list[Risk]:
    """Every risk the check of ``d`` raised, each with the measure its plan applies (empty without a plan)."""
    result = []
    for rule in RULES:
        cols = rule.columns(d)
        if not cols:
            continue
        key = f"risk.{rule.key}.{d.dataset.pk}"
        measure = measure_words(d, cols)
        if measure and rule.extra_measure:
            measure = f"{measure} {rule.extra_measure}"
        links = [("Findings", d.findings_url)]
        if d.plan is not None:
            links.append((f"Remedy plan version {d.plan.number}", d.plan_url))
        if d.safe_copy_url:
            links.append(("Safe copy report", d.safe_copy_url))
        result.append(
            Risk(
                key=key,
                title=f"{rule.title}: {d.dataset.title}",
                finding=Sentence(
                    f"{key}.finding", rule.finding(d, cols), f"Data safety check of {d.label}", d.findings_url
                ),
                measure=Sentence(f"{key}.measure", measure, f"Remedy plan of {d.label}", d.plan_url),
                likelihood=Level.MEDIUM if measure else Level.HIGH,
                severity=rule.severity,
                links=links,
            )
        )
    return result


def apply_rating(risk: Risk, rating: Any) -> None:
    """The team's likelihood, severity and acceptance replace the drafted ones."""
    if rating is None:
        return
    risk.likelihood = rating.likelihood
    risk.severity = rating.severity
    risk.accepted_reason = rating.accepted_reason
