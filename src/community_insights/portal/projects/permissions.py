"""Who may do what on a project: named rules that views, templates and services all ask.

A project is private to the people who hold a role on it and to programme
staff (the membership rules live in ``projects.membership``). Running the
project (editing it, choosing its team, moving it on a phase) is for its
facilitator and delivery lead; any core-team member may tick the "What we have
achieved" checklist.
"""

from __future__ import annotations

from typing import Any

import rules

from community_insights.portal.core.permissions import is_programme_staff
from community_insights.portal.people.models import Organisation
from community_insights.portal.people.roles import role_definitions
from community_insights.portal.projects.membership import can_view_project, holds_role, holds_role_anywhere, roles_of

RUNNING_ROLES = frozenset({"facilitator", "delivery_lead"})


@rules.predicate
def is_council_member(user: Any) -> bool:
    org = getattr(user, "organisation", None) if getattr(user, "is_authenticated", False) else None
    return bool(org is not None and org.kind == Organisation.Kind.COUNCIL)


runs_project = holds_role(*RUNNING_ROLES)


@rules.predicate
def is_core_team_member(user: Any, project: Any) -> bool:
    core = {k for k, r in role_definitions().items() if r.team == "core"}
    return bool(roles_of(user, project) & core)


@rules.predicate
def is_programme_facilitator(user: Any) -> bool:
    """A facilitator on any project: they run phases 1 and 2 (scoping, selection) for the programme."""
    return holds_role_anywhere(user, "facilitator")


@rules.predicate
def is_candidate_project(user: Any, project: Any) -> bool:
    """Still being discovered and selected (phases 1–2): the programme's facilitators shape its team."""
    return project is not None and project.phase <= 2


can_create_project = is_programme_staff | is_council_member
can_edit_project = is_programme_staff | runs_project
can_manage_team = is_programme_staff | runs_project
can_advance_phase = is_programme_staff | runs_project
can_tick_checklist = is_programme_staff | is_core_team_member
# Recording the selection decision (selected or not, shown on the landing page or not) is the
# programme facilitator's job in phase 2 of the guide, whether or not they are on the project.
can_set_selection = is_programme_staff | is_programme_facilitator | runs_project
# Scoping a candidate project brings people onto its team before anyone "runs" it.
can_staff_project = can_manage_team | (is_programme_facilitator & is_candidate_project)

rules.add_perm("projects.add_project", can_create_project)
rules.add_perm("projects.view_project", can_view_project)
rules.add_perm("projects.change_project", can_edit_project)
rules.add_perm("projects.manage_team", can_manage_team)
rules.add_perm("projects.advance_phase", can_advance_phase)
rules.add_perm("projects.tick_checklist", can_tick_checklist)
rules.add_perm("projects.set_selection", can_set_selection)
rules.add_perm("projects.staff_project", can_staff_project)
