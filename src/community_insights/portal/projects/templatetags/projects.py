from __future__ import annotations

from typing import Any

from django import template
from django.template.loader import render_to_string

from community_insights.portal.projects.navigation import links_for, progress_for

register = template.Library()


@register.simple_tag(takes_context=True)
def project_links(context: dict[str, Any], project: Any) -> list[dict[str, Any]]:
    request = context.get("request")
    if request is None:
        return []
    return links_for(request.user, project, request.path)


@register.simple_tag(takes_context=True)
def phase_progress(context: dict[str, Any], project: Any) -> str:
    """Where the project is in its current phase and what is next, from the area serving that phase."""
    request = context.get("request")
    found = progress_for(request.user, project) if request is not None else None
    if found is None:
        return ""
    template, extra = found
    return render_to_string(template, extra, request=request)
