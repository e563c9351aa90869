"""Who may answer, add to and read the reflections of a project (named rules, django-rules).

- every core-team member answers the survey (the guide asks the core team to reflect);
- anyone on the project adds cards to the retrospective board;
- the team and programme staff read the summary (staff improve the guide from it).
"""

from __future__ import annotations

import rules

from community_insights.portal.people.roles import CORE_ROLE_KEYS
from community_insights.portal.projects.membership import can_view_project, holds_role, is_project_member

CORE_ROLES = CORE_ROLE_KEYS

can_view_reflections = can_view_project
can_answer_survey = holds_role(*CORE_ROLES)
can_add_card = is_project_member

rules.add_perm("reflections.view", can_view_reflections)
rules.add_perm("reflections.answer", can_answer_survey)
rules.add_perm("reflections.add_card", can_add_card)
