"""The links under a project's title (Overview, Phases, Team, ...), registered by each area.

Later areas (datasets, ideas, selection, ...) add their own project pages with
:func:`register` from their ``AppConfig.ready()``; the projects area never
imports them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.urls import reverse


@dataclass(frozen=True)
class ProjectLink:
    label: str
    url_name: str
    order: int
    is_shown: Callable[[Any, Any], bool]


_LINKS: dict[str, ProjectLink] = {}
_PROGRESS: dict[int, tuple[str, Callable[[Any, Any], dict[str, Any]]]] = {}


def register(
    label: str, url_name: str, *, order: int = 100, is_shown: Callable[[Any, Any], bool] = lambda user, project: True
) -> None:
    """Add a project page link; ``url_name`` must take the project's ``slug`` as its one argument."""
    _LINKS[url_name] = ProjectLink(label, url_name, order, is_shown)


def links_for(user: Any, project: Any, current_path: str) -> list[dict[str, Any]]:
    result = []
    for link in sorted(_LINKS.values(), key=lambda x: (x.order, x.label)):
        if not link.is_shown(user, project):
            continue
        url = reverse(link.url_name, kwargs={"slug": project.slug})
        result.append({"label": link.label, "url": url, "active": current_path == url})
    return result


def register_progress(phase: int, template: str, context: Callable[[Any, Any], dict[str, Any]]) -> None:
    """Show where a project is within ``phase`` on its overview: the area that serves the phase knows.

    ``context(user, project)`` builds what ``template`` needs; the projects area renders it
    without importing that area.
    """
    _PROGRESS[phase] = (template, context)


def progress_for(user: Any, project: Any) -> tuple[str, dict[str, Any]] | None:
    entry = _PROGRESS.get(project.phase)
    if entry is None:
        return None
    template, context = entry
    return template, {"project": project, **context(user, project)}
