from __future__ import annotations

from typing import Any

from django import template

from community_insights.portal.projects.navigation import links_for

register = template.Library()


@register.simple_tag(takes_context=True)
def project_links(context: dict[str, Any], project: Any) -> list[dict[str, Any]]:
    request = context.get("request")
    if request is None:
        return []
    return links_for(request.user, project, request.path)
