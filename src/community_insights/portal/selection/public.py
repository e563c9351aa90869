"""The public page of a selected project: what it asks, who is working on it, how to join in.

The landing page lists selected projects; without a page of their own a visitor
could read the question but not see which organisations are involved or where to
go next. Only projects that are both public and selected are shown to anyone;
every other slug is "Page not found", so a private project is never revealed.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from community_insights.portal.programme.current import current_programme_id, using
from community_insights.portal.projects.models import Project


def public_selected_projects() -> list[Project]:
    """Public, selected projects, each with ``organisations``: the lead first, then the team's, by name."""
    projects = list(
        Project.objects.filter(programme_id=current_programme_id(), is_public=True, is_selected=True)
        .select_related("lead_organisation")
        .prefetch_related("roles__user__organisation")
        .order_by("title")
    )
    for project in projects:
        project.organisations = _organisations(project)  # type: ignore[attr-defined]
    return projects


def _organisations(project: Project) -> list[Any]:
    team = {r.user.organisation for r in project.roles.all() if r.user.organisation is not None and r.user.is_active}
    lead = project.lead_organisation
    rest = sorted((o for o in team if o is not None and o != lead), key=lambda o: o.name)
    return ([lead] if lead else []) + rest


def landing_context(request: HttpRequest) -> dict[str, Any]:
    """Context of the landing page's "Selected projects" section."""
    return {"selected_projects": public_selected_projects()}


@require_GET
def project_about(request: HttpRequest, slug: str) -> HttpResponse:
    # Public once selected, like a published insight: its page answers whichever programme the visitor is in,
    # in its own programme's context and branding (each programme's landing page links to its own).
    found = Project.objects.filter(slug=slug, is_public=True, is_selected=True).select_related("programme").first()
    if found is None:
        raise Http404("No public selected project has this address.")
    with using(found.programme):
        project = next(p for p in public_selected_projects() if p.pk == found.pk)
        request.programme = found.programme  # type: ignore[attr-defined]
        return render(request, "selection/project_about.html", {"project": project})
