"""Service navigation assembled from the areas, as Wagtail's hooks do.

Each area registers its menu items in its ``AppConfig.ready()``; the shell never
imports an area by name, and each item asks the area's own permission rule
whether to show itself.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.urls import reverse


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    order: int
    is_shown: Callable[[Any], bool]
    active_prefix: str


_ITEMS: dict[str, NavItem] = {}


def register(
    label: str,
    url_name: str,
    *,
    order: int = 100,
    is_shown: Callable[[Any], bool] = lambda user: True,
    active_prefix: str | None = None,
) -> None:
    """Add a menu item; registering the same ``url_name`` again replaces it."""
    _ITEMS[url_name] = NavItem(label, url_name, order, is_shown, active_prefix or reverse(url_name))


def items_for(request: HttpRequest) -> list[dict[str, Any]]:
    path = request.path
    result = []
    for item in sorted(_ITEMS.values(), key=lambda i: (i.order, i.label)):
        if not item.is_shown(request.user):
            continue
        url = reverse(item.url_name)
        prefix = item.active_prefix
        active = path == url if prefix == "/" else path.startswith(prefix)
        result.append({"label": item.label, "url": url, "active": active})
    return result
