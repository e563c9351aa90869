"""Who may see and do what in evaluation and selection (named django-rules predicates).

The panel is the advisory panel (anyone holding that role on a project) plus the
people the facilitator adds; the facilitator collates the evaluation and records
the core team's decision.
"""

from __future__ import annotations

from typing import Any

import rules

from community_insights.portal.ideas.permissions import is_facilitator, is_signed_in
from community_insights.portal.projects.membership import holds_role, holds_role_anywhere, is_project_member


@rules.predicate
def is_panel_member(user: Any) -> bool:
    if not is_signed_in(user):
        return False
    from community_insights.portal.programme.current import current_programme_id
    from community_insights.portal.selection.models import PanelMember

    return PanelMember.objects.filter(user=user, programme_id=current_programme_id()).exists() or holds_role_anywhere(
        user, "advisory_panel"
    )


is_project_delivery_lead = holds_role("delivery_lead")

can_view_selection = is_facilitator | is_panel_member
can_view_evaluation = is_facilitator | is_panel_member | is_project_member
can_edit_evaluation = is_facilitator
can_manage_panel = is_facilitator
can_score = is_panel_member
can_decide = is_facilitator
can_manage_next_steps = is_facilitator | is_project_delivery_lead

rules.add_rule("selection.view_selection", can_view_selection)
rules.add_rule("selection.view_evaluation", can_view_evaluation)
rules.add_rule("selection.edit_evaluation", can_edit_evaluation)
rules.add_rule("selection.manage_panel", can_manage_panel)
rules.add_rule("selection.score", can_score)
rules.add_rule("selection.decide", can_decide)
rules.add_rule("selection.manage_next_steps", can_manage_next_steps)
