from __future__ import annotations

from typing import Any

from django import template

from community_insights.portal.core.navigation import items_for

register = template.Library()


@register.simple_tag(takes_context=True)
def navigation_items(context: dict[str, Any]) -> list[dict[str, Any]]:
    request = context.get("request")
    return items_for(request) if request is not None else []
