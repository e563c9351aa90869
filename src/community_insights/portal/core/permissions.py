"""Predicates every area shares (django-rules style)."""

from __future__ import annotations

from typing import Any

import rules


@rules.predicate
def is_signed_in(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


@rules.predicate
def is_programme_staff(user: Any) -> bool:
    """Programme staff run the programme: they see every project and manage accounts."""
    return bool(getattr(user, "is_authenticated", False) and user.is_active and user.is_staff)


@rules.predicate
def can_view_audit_log(user: Any) -> bool:
    """Staff see the whole audit log; an information rights expert sees their projects' entries."""
    if is_programme_staff(user):
        return True
    if not is_signed_in(user):
        return False
    from community_insights.portal.projects.models import ProjectRole

    return ProjectRole.objects.filter(user=user, role="information_rights").exists()


rules.add_perm("core.view_auditentry", can_view_audit_log)
