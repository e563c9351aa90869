"""Indicators guard: no published output may rank or flag individual people.

The guide (Step 5, data safety check) warns that "indicators around need"
can be turned into automated decisions — software setting a resident's case
to "priority" because they fall in a demographic, "without any human checks
or intervention". UK GDPR Article 22 gives people the right not to be subject
to a decision based solely on automated processing that significantly affects
them. So an output that scores, ranks or flags individual people or
households (a risk score per resident, a list of "top 50 families") is
refused for publication. It may be used only internally, for a named,
permitted use with a person reviewing each decision, and each such use
produces an audit record the caller stores (the engine has no database).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Sequence
from typing import Any

import polars as pl

from community_insights.safety.disclosure.tables import DisclosureError
from community_insights.safety.types import to_jsonable

AUDIT_ACTION = "safety.indicator_internal_use"

_IDENTIFIER_WORDS = {
    "id", "ids", "ref", "reference", "nhs", "uprn", "upn", "name", "names", "surname", "forename",
    "firstname", "lastname", "address", "postcode", "dob", "birth", "person", "resident", "client",
    "customer", "household", "family", "families", "case", "child", "pupil", "tenant", "patient",
    "member", "individual", "ni", "nino", "email", "phone", "mobile",
}  # fmt: skip
_RANKING_WORDS = {
    "score", "scores", "risk", "rank", "ranking", "ranked", "priority", "prioritised", "flag", "flags",
    "flagged", "propensity", "likelihood", "probability", "predicted", "prediction", "vulnerable",
    "vulnerability", "rag", "top", "decile", "percentile", "tier", "segment", "alert", "eligible",
    "eligibility", "target", "targeted",
}  # fmt: skip
_PEOPLE = (
    r"(families|family|households?|residents?|people|persons?|clients?|children|child"
    r"|pupils?|tenants?|patients?|individuals?|cases?)"
)
_DESCRIPTION_PATTERNS = [
    re.compile(rf"\btop\s+\d+\s+{_PEOPLE}", re.I),
    re.compile(rf"\b(rank|ranking|ranked|prioriti[sz]e[sd]?|flag|flagged|score[sd]?)\b.*\b{_PEOPLE}\b", re.I),
    re.compile(rf"\b{_PEOPLE}\b.*\b(rank|ranking|ranked|risk score|flag|flagged|priority list)\b", re.I),
    re.compile(r"\b(risk|need|vulnerability) score (per|for each|of each)\b", re.I),
]

ARTICLE_22 = (
    "UK GDPR Article 22 gives people the right not to be subject to a decision based solely on "
    "automated processing that significantly affects them"
)
GUIDE_WARNING = (
    "the Community Insights guide warns that indicators of need must not be used to set a resident's "
    "priority automatically, without human checks or intervention"
)


class IndicatorRefused(DisclosureError):
    """An output ranks or flags individuals and may not be published or used as asked."""


@dataclasses.dataclass(frozen=True, slots=True)
class PermittedUse:
    """A named internal use that information rights have agreed to.

    ``human_review`` must be true: a person looks at every case before
    anything is decided about it.
    """

    name: str
    approved_by: str
    purpose: str
    human_review: bool
    expires: dt.date | None = None


@dataclasses.dataclass(slots=True)
class IndicatorAuditRecord:
    """One permitted internal use of an individual-level output, for the audit log."""

    action: str
    decided_at: str
    actor: str
    permitted_use: str
    approved_by: str
    purpose: str
    description: str
    columns: list[str]
    rows: int | None
    reasons: list[str]


@dataclasses.dataclass(slots=True)
class IndicatorDecision:
    """The guard's answer: may this output go out, and to whom."""

    individual_level: bool
    allowed: bool
    audience: str  # "public" or "internal"
    reasons: list[str]
    audit: IndicatorAuditRecord | None = None

    def to_jsonable(self) -> dict[str, Any]:
        """Plain JSON types."""

        result: dict[str, Any] = to_jsonable(self)
        return result


def _words(name: str) -> set[str]:
    spaced = re.sub(r"([a-z])([A-Z])", r"\1 \2", name)
    return {w for w in re.split(r"[^a-z0-9]+", spaced.lower()) if w}


def _looks_unique(frame: pl.DataFrame, column: str) -> bool:
    series = frame[column].drop_nulls()
    return series.len() >= 2 and series.n_unique() == series.len()


def individual_level_reasons(output: pl.DataFrame | Sequence[str], *, description: str = "") -> list[str]:
    """Why ``output`` looks like a ranking or flag list of individuals (empty if it does not).

    Judged from column names (an identifier such as a name, ID or address
    together with a score, rank or flag), from the rows (an identifier that
    is different on every row means one row per person) and from the
    description ("top 50 families").
    """

    columns = list(output.columns) if isinstance(output, pl.DataFrame) else [str(c) for c in output]
    identifiers = [c for c in columns if _words(c) & _IDENTIFIER_WORDS]
    rankings = [c for c in columns if _words(c) & _RANKING_WORDS]
    reasons: list[str] = []
    described = any(p.search(description) for p in _DESCRIPTION_PATTERNS) if description else False
    if identifiers and (rankings or described):
        reasons.append(
            "it has columns that identify people or households ("
            + ", ".join(identifiers)
            + ")"
            + (" next to a score, rank or flag (" + ", ".join(rankings) + ")" if rankings else "")
        )
    if isinstance(output, pl.DataFrame) and identifiers and (rankings or described):
        unique = [c for c in identifiers if _looks_unique(output, c)]
        if unique:
            reasons.append("each row is a different person or household (" + ", ".join(unique) + ")")
    if described:
        reasons.append("its description says it ranks or flags individual people or households")
    return reasons


def check_indicator_output(
    output: pl.DataFrame | Sequence[str],
    *,
    description: str = "",
    permitted_use: PermittedUse | None = None,
    actor: str = "",
    today: dt.date | None = None,
) -> IndicatorDecision:
    """Refuse an output that ranks or flags individuals, unless for a permitted internal use.

    ``output`` is the output itself (a polars frame) or its column names.
    Returns a decision; an aggregate output is allowed for the public. For an
    individual-level output, raises :class:`IndicatorRefused` unless
    ``permitted_use`` names an approved, unexpired use with human review, in
    which case the decision carries an :class:`IndicatorAuditRecord` the
    caller must store.

    Example::

        check_indicator_output(frame, description="top 50 families by risk")   # raises
    """

    reasons = individual_level_reasons(output, description=description)
    if not reasons:
        return IndicatorDecision(individual_level=False, allowed=True, audience="public", reasons=[])
    why = "; ".join(reasons)
    if permitted_use is None:
        raise IndicatorRefused(
            f"This output ranks or flags individual people or households ({why}), so it cannot be "
            f"published: {ARTICLE_22}, and {GUIDE_WARNING}. It can be used internally only under a "
            "named, permitted use agreed with Information Rights, with a person reviewing every case."
        )
    if not permitted_use.name.strip() or not permitted_use.approved_by.strip():
        raise IndicatorRefused("A permitted use needs a name and the person or role who approved it.")
    if not permitted_use.human_review:
        raise IndicatorRefused(
            f"The use {permitted_use.name!r} has no human review, and {ARTICLE_22}; a person must "
            "check every case before anything is decided."
        )
    today = today or dt.date.today()
    if permitted_use.expires is not None and permitted_use.expires < today:
        raise IndicatorRefused(f"The permitted use {permitted_use.name!r} expired on {permitted_use.expires:%d %B %Y}.")
    columns = list(output.columns) if isinstance(output, pl.DataFrame) else [str(c) for c in output]
    record = IndicatorAuditRecord(
        action=AUDIT_ACTION,
        decided_at=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        actor=actor,
        permitted_use=permitted_use.name,
        approved_by=permitted_use.approved_by,
        purpose=permitted_use.purpose,
        description=description,
        columns=columns,
        rows=output.height if isinstance(output, pl.DataFrame) else None,
        reasons=reasons,
    )
    return IndicatorDecision(individual_level=True, allowed=True, audience="internal", reasons=reasons, audit=record)
