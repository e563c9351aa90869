"""Who may read and run the insights to actions step (named rules, django-rules).

The guide gives the meeting to "the Community Insights Team": programme staff, and on the project the
facilitator and the delivery lead, plan it, invite people and write the packet; the whole team reads it.
"""

from __future__ import annotations

import rules

from community_insights.portal.core.permissions import is_programme_staff
from community_insights.portal.projects.membership import can_view_project, holds_role

HOST_ROLES = ("facilitator", "delivery_lead")

can_view_actions = can_view_project
can_host_actions = is_programme_staff | holds_role(*HOST_ROLES)

rules.add_perm("actions.view", can_view_actions)
rules.add_perm("actions.host", can_host_actions)
