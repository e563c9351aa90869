"""Who may do what with news, leads, office hours, ideas and scoping sessions.

Named predicates (django-rules); views, templates and navigation all ask these.
The facilitator is programme staff or anyone holding the facilitator role on a
project: the guide has one independent facilitator running Phases 1 and 2.
"""

from __future__ import annotations

from typing import Any

import rules

from community_insights.portal.core.permissions import is_programme_staff
from community_insights.portal.projects.membership import holds_role_anywhere, is_project_member


@rules.predicate
def is_signed_in(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


@rules.predicate
def is_facilitator(user: Any) -> bool:
    """Programme staff, or a facilitator on any project."""
    if not is_signed_in(user):
        return False
    return is_programme_staff(user) or holds_role_anywhere(user, "facilitator")


@rules.predicate
def is_proposer(user: Any, idea: Any) -> bool:
    return is_signed_in(user) and idea is not None and idea.proposer_id == user.pk


@rules.predicate
def is_idea_colleague(user: Any, idea: Any) -> bool:
    """The proposer's organisation, anyone on the idea's candidate project, or a session attendee."""
    if not is_signed_in(user) or idea is None:
        return False
    if idea.organisation_id and idea.organisation_id == user.organisation_id:
        return True
    if idea.project_id and is_project_member(user, idea.project):
        return True
    return idea.scoping_sessions.filter(attendees__user=user).exists()


@rules.predicate
def is_session_attendee(user: Any, session: Any) -> bool:
    return is_signed_in(user) and session is not None and session.attendees.filter(user=user).exists()


can_manage_programme_news = is_facilitator
can_manage_leads = is_facilitator
can_manage_office_hours = is_facilitator
can_submit_idea = is_signed_in
can_view_idea = is_facilitator | is_proposer | is_idea_colleague
can_shape_idea = is_facilitator
can_change_idea_status = is_facilitator
can_plan_scoping = is_facilitator


@rules.predicate
def can_view_session(user: Any, session: Any) -> bool:
    return session is not None and bool(can_view_idea(user, session.idea))


@rules.predicate
def can_take_scoping_notes(user: Any, session: Any) -> bool:
    """The facilitator and the people in the session record notes and data needs."""
    return bool(is_facilitator(user)) or bool(is_session_attendee(user, session))


rules.add_rule("ideas.manage_news", can_manage_programme_news)
rules.add_rule("ideas.manage_leads", can_manage_leads)
rules.add_rule("ideas.manage_office_hours", can_manage_office_hours)
rules.add_rule("ideas.submit_idea", can_submit_idea)
rules.add_rule("ideas.view_idea", can_view_idea)
rules.add_rule("ideas.shape_idea", can_shape_idea)
rules.add_rule("ideas.plan_scoping", can_plan_scoping)
rules.add_rule("ideas.view_session", can_view_session)
rules.add_rule("ideas.take_scoping_notes", can_take_scoping_notes)
