"""Who may see and do what in Phase 3 (named django-rules predicates).

The project's team reads the phase; the core team adds similar work and options
and scores them; the facilitator and delivery lead run the research plan and
choose the option. Raw research notes are personal data about residents: only
the plan's research lead and the project's information rights expert may open
them (programme staff may not: they do not need the notes to run the programme).
"""

from __future__ import annotations

from typing import Any

import rules

from community_insights.portal.core.permissions import is_programme_staff
from community_insights.portal.projects.membership import can_view_project, holds_role, is_project_member, roles_of
from community_insights.portal.projects.permissions import is_core_team_member, runs_project

PHASE = 3


@rules.predicate
def is_research_lead(user: Any, project: Any) -> bool:
    """The plan's research lead, asked of the database each time: the lead can change mid-project."""
    if project is None or not roles_of(user, project):
        return False
    from community_insights.portal.solutions.models import ResearchPlan

    return ResearchPlan.objects.filter(project=project, research_lead=user).exists()


@rules.predicate
def shows_phase_three(user: Any, project: Any) -> bool:
    """The phase's pages are linked once the project is in Phase 3 or later."""
    return project is not None and project.phase >= PHASE


can_view_phase = can_view_project
can_contribute = is_programme_staff | is_core_team_member
can_run_phase = is_programme_staff | runs_project
can_log_research = can_run_phase | is_research_lead
is_information_rights = holds_role("information_rights")
can_read_raw_notes = is_research_lead | is_information_rights
can_score_option = is_core_team_member

rules.add_rule("solutions.view_phase", can_view_phase)
rules.add_rule("solutions.contribute", can_contribute)
rules.add_rule("solutions.run_phase", can_run_phase)
rules.add_rule("solutions.log_research", can_log_research)
rules.add_rule("solutions.read_raw_notes", can_read_raw_notes)
rules.add_rule("solutions.score_option", can_score_option)

# Part 2, Step 3: final checks. Outputs are the team's alone until shared, so programme
# staff who are not on the team see none (as in the outputs area).
can_view_final_checks = is_project_member
can_run_final_checks = runs_project | holds_role("data_analyst", "information_rights")

rules.add_rule("solutions.view_final_checks", can_view_final_checks)
rules.add_rule("solutions.run_final_checks", can_run_final_checks)

# Part 2, Steps 1 and 2: testing workshops show output versions, so they too are the team's alone.
can_view_testing = is_project_member
can_run_testing = runs_project
can_record_feedback = is_core_team_member
can_close_feedback = can_run_final_checks

rules.add_rule("solutions.view_testing", can_view_testing)
rules.add_rule("solutions.run_testing", can_run_testing)
rules.add_rule("solutions.record_feedback", can_record_feedback)
rules.add_rule("solutions.close_feedback", can_close_feedback)
