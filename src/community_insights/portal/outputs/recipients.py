"""Who may receive a person-level output: each recipient needs a signed, unexpired sharing agreement.

Why: the guide's Step 5 names "'anonymised' datasets that collate residents
from several sources" as a way presentation turns safe data into a risk, and
issue 21 sets the rule: a person-level output is refused unless it is itself
a checked safe copy with a sharing agreement recorded for every recipient
organisation. The agreement must cover the flow (the safe copy's data
source), name the organisation as a party (the data's owner or a
recipient), be signed by every party at its current version, and not be
past its review date. The governance area owns agreements; this module
only reads them, through its selectors.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from community_insights.portal.datasets.models import DataSource
from community_insights.portal.governance import selectors as governance
from community_insights.portal.governance.models import SharingAgreement
from community_insights.portal.people.models import Organisation


def organisation_choices() -> list[tuple[int, str]]:
    """Every organisation the portal knows, by name: who a list of people could go to."""
    return [(o.pk, o.name) for o in governance.organisations()]


def recipient_names(organisation_ids: Iterable[int]) -> list[str]:
    """The organisations' names, in name order (for the safety check and the page)."""
    chosen = Organisation.objects.filter(pk__in=list(organisation_ids)).order_by("name")
    return list(chosen.values_list("name", flat=True))


def missing_agreements(
    source: DataSource, organisation_ids: Iterable[int], *, today: dt.date | None = None
) -> list[str]:
    """One phrase per recipient without a signed, unexpired agreement covering ``source`` (empty if all have one)."""

    agreement = SharingAgreement.objects.filter(source=source).prefetch_related("recipients", "signatures").first()
    organisations = Organisation.objects.filter(pk__in=list(organisation_ids)).order_by("name")
    return [
        f"{organisation.name} ({why})"
        for organisation in organisations
        if (why := _why_not_covered(agreement, organisation, today))
    ]


def _why_not_covered(agreement: SharingAgreement | None, organisation: Any, today: dt.date | None) -> str:
    if agreement is None:
        return "there is no sharing agreement for this data"
    if organisation.pk not in {o.pk for o in governance.parties(agreement)}:
        return "the sharing agreement does not name it"
    status = governance.agreement_status(agreement, today=today)
    if status == DataSource.AgreementStatus.EXPIRED:
        return f"the sharing agreement passed its review date, {agreement.review_date:%d %B %Y}"
    if status != DataSource.AgreementStatus.SIGNED:
        return "the sharing agreement is not yet signed by every party"
    return ""


def refusal(missing: list[str]) -> str:
    """The one plain sentence a refused person-level output carries, naming each recipient."""
    return (
        "A list of people can only go to organisations with a signed, unexpired sharing agreement covering "
        f"this data, and these have none: {'; '.join(missing)}."
    )
