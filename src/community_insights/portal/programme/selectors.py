"""Reads for the programme area."""

from __future__ import annotations

from typing import Any

from community_insights.portal.guide import per_version, read
from community_insights.portal.programme.models import Programme


@per_version
def principles() -> list[dict[str, Any]]:
    """The guide's collaboration principles ("Ways of working")."""
    return list(read("principles")["principles"])


def programme_get() -> Programme:
    """The programme's row, or an unsaved one with the defaults when none exists yet.

    A read never writes: the row is made by a migration and by the
    ``programme_ensure`` service (set-up, demo data, the first edit). Until then
    the landing page shows the defaults rather than creating a row on a GET.
    """
    return Programme.objects.order_by("pk").first() or Programme()


def landing_page_context() -> dict[str, Any]:
    from community_insights.portal.projects.models import Project

    return {
        "programme": programme_get(),
        "principles": principles(),
        "selected_projects": Project.objects.filter(is_public=True, is_selected=True)
        .select_related("lead_organisation")
        .order_by("title"),
    }
