"""The seam to the organisations that registered interest in a project's insights.

Registrations of interest belong to the sharing area (Phase 4, Step 1), which publishes the insights
and collects them. This area reads them only through :func:`intended_uses`: when the sharing area is
installed, through its ``registrations`` selector; until then, from the people invited to this
area's meeting, whose intended use the host writes down. Nothing else here knows where they come from.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass

from django.apps import apps

from community_insights.portal.actions.models import MeetingAttendee
from community_insights.portal.projects.models import Project

SHARING_APP = "community_insights.portal.sharing"


@dataclass(frozen=True)
class IntendedUse:
    """An organisation and what it wants to do with the insights (no personal details: the packet is shared)."""

    organisation: str
    intended_use: str


def intended_uses(project: Project) -> list[IntendedUse]:
    """Each interested organisation's intended use, once per organisation and use, by organisation."""
    if apps.is_installed(SHARING_APP):
        sharing = importlib.import_module(f"{SHARING_APP}.selectors")
        rows = [(r.organisation, r.intended_use) for r in sharing.registrations(project=project)]
    else:
        rows = list(
            MeetingAttendee.objects.filter(meeting__project=project)
            .exclude(intended_use="")
            .values_list("organisation", "intended_use")
        )
    unique = dict.fromkeys((org.strip(), use.strip()) for org, use in rows)
    return [IntendedUse(org, use) for org, use in sorted(unique)]
