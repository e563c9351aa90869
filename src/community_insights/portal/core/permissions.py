"""Predicates every area shares (django-rules style)."""

from __future__ import annotations

from typing import Any

import rules


@rules.predicate
def is_signed_in(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


@rules.predicate
def is_programme_staff(user: Any, obj: Any = None) -> bool:
    """Programme staff run the current programme: they see its every project and manage its people.

    Staff of one programme are nobody special in another (issue 22), so this asks for a
    staff membership of the programme being worked in, not the account-wide flag, and
    says no about a record of another programme (``obj``, when a rule is asked about one).
    """
    from community_insights.portal.programme.current import belongs_here, current_programme, is_staff_of

    return is_staff_of(user, current_programme()) and belongs_here(obj)


@rules.predicate
def can_view_audit_log(user: Any) -> bool:
    """Staff see the whole audit log; an information rights expert sees their projects' entries."""
    if is_programme_staff(user):
        return True
    if not is_signed_in(user):
        return False
    from community_insights.portal.programme.current import current_programme_id
    from community_insights.portal.projects.models import ProjectRole

    return ProjectRole.objects.filter(
        user=user, role="information_rights", project__programme_id=current_programme_id()
    ).exists()


rules.add_perm("core.view_auditentry", can_view_audit_log)
