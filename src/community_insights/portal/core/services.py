"""Writes of the core area: exporting the audit log is itself audited."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import QuerySet

from community_insights.portal.core import audit
from community_insights.portal.core.models import AuditEntry
from community_insights.portal.core.selectors import AuditFilters, audit_entry_list


@transaction.atomic
def audit_export(*, actor: Any, filters: AuditFilters) -> QuerySet[AuditEntry]:
    """The entries to export; the export is recorded first (who exported what, never the rows)."""
    entries = audit_entry_list(user=actor, filters=filters)
    audit.record(
        actor=actor,
        action="core.audit_export",
        project_id=filters.project_id,
        changes={
            "action": filters.action,
            "project_id": filters.project_id,
            "actor_filter_given": bool(filters.actor),
            "date_from": filters.date_from.isoformat() if filters.date_from else None,
            "date_to": filters.date_to.isoformat() if filters.date_to else None,
            "rows": entries.count(),
        },
    )
    return audit_entry_list(user=actor, filters=filters)
