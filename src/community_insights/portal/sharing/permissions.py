"""Who may share a project's insights publicly (named django-rules predicates).

The guide's Phase 4, Step 1. Publishing speaks for the whole project, so it is
for the people who run it (the facilitator and the delivery lead); programme
staff may also withdraw a page, because taking something down quickly must not
wait for the project team. Any core-team member may start a blog post and
co-write it; only its authors approve it. The project's team sees the sharing
page, with the registrations of interest it has received.
"""

from __future__ import annotations

from typing import Any

import rules

from community_insights.portal.core.permissions import is_programme_staff
from community_insights.portal.projects.membership import can_view_project
from community_insights.portal.projects.permissions import is_core_team_member, runs_project

PHASE = 4


@rules.predicate
def is_blog_author(user: Any, post: Any) -> bool:
    """One of the post's authors (asked of the database: authors are chosen per post)."""
    if post is None or getattr(user, "pk", None) is None:
        return False
    return bool(post.authors.filter(user=user).exists())


@rules.predicate
def shows_phase_four(user: Any, project: Any) -> bool:
    """The sharing pages are linked once the project reaches Phase 4."""
    return project is not None and project.phase >= PHASE


can_view_sharing = can_view_project
can_publish = runs_project
can_withdraw = is_programme_staff | runs_project
can_write_blog = is_core_team_member
can_plan_plenary = is_programme_staff | runs_project

rules.add_rule("sharing.view_sharing", can_view_sharing)
rules.add_rule("sharing.publish", can_publish)
rules.add_rule("sharing.withdraw", can_withdraw)
rules.add_rule("sharing.write_blog", can_write_blog)
rules.add_rule("sharing.approve_blog", is_blog_author)
rules.add_rule("sharing.plan_plenary", can_plan_plenary)
