"""The project overview's "where you are in Phase 3 and what is next", and what keeps a project in Phase 3.

Both are registered on import (from ``SolutionsConfig.ready``): the projects
area shows the progress and asks the gate without importing this area.
"""

from __future__ import annotations

from typing import Any

from community_insights.portal.projects import gates
from community_insights.portal.projects.navigation import register_progress
from community_insights.portal.solutions import permissions, selectors


def _context(user: Any, project: Any) -> dict[str, Any]:
    parts = selectors.phase_steps(project)
    return {"parts": parts, "next": selectors.next_step(parts)}


register_progress(permissions.PHASE, "solutions/includes/progress.html", _context)
gates.register(permissions.PHASE, selectors.reasons_to_stay_in_phase_three)
