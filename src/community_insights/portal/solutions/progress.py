"""The project overview's "where you are in Phase 3 and what is next" (registered on import)."""

from __future__ import annotations

from typing import Any

from community_insights.portal.projects.navigation import register_progress
from community_insights.portal.solutions import permissions, selectors


def _context(user: Any, project: Any) -> dict[str, Any]:
    parts = selectors.phase_steps(project)
    return {"parts": parts, "next": selectors.next_step(parts)}


register_progress(permissions.PHASE, "solutions/includes/progress.html", _context)
