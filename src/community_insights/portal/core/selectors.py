"""Reads for the audit log: who may see which entries, filtered and exported."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Q, QuerySet

from community_insights.portal.core.audit import ACTIONS
from community_insights.portal.core.exceptions import NotPermitted
from community_insights.portal.core.models import AuditEntry
from community_insights.portal.core.permissions import can_view_audit_log, is_programme_staff


@dataclass(frozen=True)
class AuditFilters:
    action: str = ""
    project_id: int | None = None
    actor: str = ""
    date_from: date | None = None
    date_to: date | None = None


def audit_project_ids_for_user(*, user: Any) -> list[int] | None:
    """Projects whose entries ``user`` may read; ``None`` means every entry (staff)."""
    if is_programme_staff(user):
        return None
    from community_insights.portal.programme.current import current_programme_id
    from community_insights.portal.projects.models import ProjectRole

    return list(
        ProjectRole.objects.filter(user=user, role="information_rights", project__programme_id=current_programme_id())
        .values_list("project_id", flat=True)
        .distinct()
    )


def audit_entry_list(*, user: Any, filters: AuditFilters | None = None) -> QuerySet[AuditEntry]:
    """Entries ``user`` may read, newest first: all for staff, their projects' for information rights."""
    if not can_view_audit_log(user):
        raise NotPermitted("Only programme staff and information rights experts can read the audit log.")
    from community_insights.portal.programme.current import current_programme_id

    qs = AuditEntry.objects.filter(programme_id=current_programme_id())
    project_ids = audit_project_ids_for_user(user=user)
    if project_ids is not None:
        qs = qs.filter(project_id__in=project_ids)
    f = filters or AuditFilters()
    if f.action:
        qs = qs.filter(action=f.action)
    if f.project_id:
        qs = qs.filter(project_id=f.project_id)
    if f.actor:
        qs = qs.filter(Q(actor_label__icontains=f.actor))
    if f.date_from:
        qs = qs.filter(at__date__gte=f.date_from)
    if f.date_to:
        qs = qs.filter(at__date__lte=f.date_to)
    return qs.order_by("-at", "-id")


CSV_COLUMNS = [
    "when",
    "who",
    "action",
    "description",
    "target_type",
    "target_id",
    "target",
    "project_id",
    "ip_address",
    "changes",
]


def _cell(value: Any) -> str:
    """A CSV cell that a spreadsheet will not run as a formula (the engine's one rule for CSV injection)."""
    from community_insights.safety import escape_formula

    return str(escape_formula("" if value is None else str(value)))


def audit_csv_rows(entries: QuerySet[AuditEntry]) -> Iterator[str]:
    """The entries as CSV text, one line at a time (streamed, so a long log never sits in memory)."""
    import json

    buffer = io.StringIO()
    writer = csv.writer(buffer)

    def flush() -> str:
        value = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate(0)
        return value

    writer.writerow(CSV_COLUMNS)
    yield flush()
    for e in entries.iterator(chunk_size=2000):
        writer.writerow(
            [
                _cell(e.at.isoformat()),
                _cell(e.actor_label),
                _cell(e.action),
                _cell(ACTIONS.get(e.action, "")),
                _cell(e.target_type),
                _cell(e.target_id),
                _cell(e.target_label),
                _cell(e.project_id),
                _cell(e.ip_address),
                _cell(json.dumps(e.changes, sort_keys=True)),
            ]
        )
        yield flush()
