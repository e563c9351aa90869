"""Accept every finding not yet reviewed in one step.

Nine columns meant nine pages to accept nine findings. Accepting all keeps each
column's own decision (one ColumnReview each, decided by the same person) and
leaves alone any column already accepted or overridden, so an override made
first is never undone. One audit entry records the columns accepted.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

from community_insights.portal.core import audit
from community_insights.portal.core.exceptions import NotPermitted
from community_insights.portal.datasets import permissions
from community_insights.portal.datasets.models import CheckResult, ColumnReview


@transaction.atomic
def findings_accept_all(*, actor: Any, result: CheckResult) -> list[str]:
    """Accept the check's finding for every column nobody has reviewed yet; return their names."""
    dataset = result.dataset
    if not permissions.can_work_on_dataset(actor, dataset):
        raise NotPermitted("You cannot review this dataset's findings.")
    reviewed = set(result.reviews.values_list("column", flat=True))
    accepted = []
    for column in result.report.get("columns", []):
        name = str(column["name"])
        if name in reviewed:
            continue
        ColumnReview.objects.create(
            result=result, column=name, decision=ColumnReview.Decision.ACCEPTED, kind=str(column["kind"]),
            decided_by=actor,
        )  # fmt: skip
        accepted.append(name)
    if accepted:
        changes = {"columns": accepted}
        audit.record(actor=actor, action="datasets.findings_accept_all", target=dataset, changes=changes)
    return accepted
