"""The seam to the organisations that registered interest in a project's insights.

Registrations of interest belong to the sharing area (Phase 4, Step 1), which publishes the insights
and collects them at the plenary. This area reads them only through :func:`intended_uses`, together
with the intended uses the host writes down for the people invited to this area's meeting (some come
to the meeting without registering). Nothing else here knows where they come from.
"""

from __future__ import annotations

from dataclasses import dataclass

from community_insights.portal.actions.models import MeetingAttendee
from community_insights.portal.projects.models import Project
from community_insights.portal.sharing.selectors import registrations


@dataclass(frozen=True)
class IntendedUse:
    """An organisation and what it wants to do with the insights (no personal details: the packet is shared)."""

    organisation: str
    intended_use: str


def intended_uses(project: Project) -> list[IntendedUse]:
    """Each interested organisation's intended use, once per organisation and use, by organisation."""
    rows = [(r.organisation, r.intended_use) for r in registrations(project=project)]
    rows += list(
        MeetingAttendee.objects.filter(meeting__project=project)
        .exclude(intended_use="")
        .values_list("organisation", "intended_use")
    )
    unique = dict.fromkeys((org.strip(), use.strip()) for org, use in rows)
    return [IntendedUse(org, use) for org, use in sorted(unique)]
