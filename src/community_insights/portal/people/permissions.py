"""Who may run the people side of the programme: programme staff, and facilitators for invitations.

A facilitator meets people first (office hours, the take-part form); letting only
programme staff invite them meant the person who just booked a conversation had to
wait for someone else to bring them in.
"""

from __future__ import annotations

from typing import Any

import rules

from community_insights.portal.core.permissions import is_programme_staff, is_signed_in


@rules.predicate
def is_self(user: Any, other: Any) -> bool:
    return bool(getattr(user, "pk", None) is not None and user.pk == getattr(other, "pk", None))


@rules.predicate
def is_a_facilitator(user: Any) -> bool:
    """Holds the facilitator role on any project."""
    if not is_signed_in(user):
        return False
    from community_insights.portal.programme.current import current_programme_id
    from community_insights.portal.projects.models import ProjectRole

    return ProjectRole.objects.filter(
        user=user, role="facilitator", project__programme_id=current_programme_id()
    ).exists()


can_see_organisations = is_signed_in
can_manage_organisations = is_programme_staff
can_invite = is_programme_staff | is_a_facilitator
can_see_people = is_programme_staff
can_deactivate = is_programme_staff & ~is_self

rules.add_perm("people.view_organisation", can_see_organisations)
rules.add_perm("people.add_organisation", can_manage_organisations)
rules.add_perm("people.add_invitation", can_invite)
rules.add_perm("people.view_user", can_see_people)
rules.add_perm("people.deactivate_user", can_deactivate)
