"""Reads for the programme area."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from community_insights.portal.guide import per_version, read
from community_insights.portal.programme.current import current_programme
from community_insights.portal.programme.models import Programme


@per_version
def principles() -> list[dict[str, Any]]:
    """The guide's collaboration principles ("Ways of working")."""
    return list(read("principles")["principles"])


def programme_get() -> Programme:
    """The current programme's row, or an unsaved one with the defaults when none exists yet.

    A read never writes: the first row is made by a migration and by the
    ``programme_ensure`` service (set-up, demo data, the first edit). Until then
    the landing page shows the defaults rather than creating a row on a GET.
    """
    return current_programme()


def programme_get_by_slug(slug: str) -> Programme:
    """A programme by its own path, or 404: every programme's landing page is public."""
    return get_object_or_404(Programme, slug=slug)


def programme_list() -> QuerySet[Programme]:
    """Every programme of the installation, for the list at ``/programmes/`` and the switcher."""
    return Programme.objects.order_by("name")


def landing_page_context() -> dict[str, Any]:
    from community_insights.portal.projects.models import Project

    programme = programme_get()
    return {
        "programme": programme,
        "principles": principles(),
        "selected_projects": Project.objects.filter(programme_id=programme.pk, is_public=True, is_selected=True)
        .select_related("lead_organisation")
        .order_by("title"),
    }
