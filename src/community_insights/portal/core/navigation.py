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
from django.urls import NoReverseMatch, reverse


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    order: int
    is_shown: Callable[[Any], bool]
    active_prefix: str | None


_ITEMS: dict[str, NavItem] = {}


def register(
    label: str,
    url_name: str,
    *,
    order: int = 100,
    is_shown: Callable[[Any], bool] = lambda user: True,
    active_prefix: str | None = None,
) -> None:
    """Add a menu item; registering the same ``url_name`` again replaces it.

    Nothing is reversed here: ``ready()`` runs before the URLconf can be loaded
    safely, so the URL (and the default active prefix) is worked out per request.
    """
    _ITEMS[url_name] = NavItem(label, url_name, order, is_shown, active_prefix)


def items_for(request: HttpRequest) -> list[dict[str, Any]]:
    """The menu for this request; the one item whose prefix matches the path best is active."""
    path = request.path
    result = []
    best: tuple[int, dict[str, Any]] | None = None
    for item in sorted(_ITEMS.values(), key=lambda i: (i.order, i.label)):
        if not item.is_shown(request.user):
            continue
        try:
            url = reverse(item.url_name)
        except NoReverseMatch:  # an area registered a page it has not built yet: leave it out
            continue
        prefix = item.active_prefix or url
        entry = {"label": item.label, "url": url, "active": False}
        matches = path == url if prefix == "/" else path.startswith(prefix)
        if matches and (best is None or len(prefix) > best[0]):
            best = (len(prefix), entry)
        result.append(entry)
    if best is not None:
        best[1]["active"] = True
    return result
