"""Reads for the programme area."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import yaml

from community_insights.portal.programme.models import Programme


@cache
def principles() -> list[dict[str, Any]]:
    """The guide's collaboration principles ("Ways of working"), from ``data/principles.yaml``."""
    path = Path(__file__).parent / "data" / "principles.yaml"
    return list(yaml.safe_load(path.read_text(encoding="utf-8"))["principles"])


def programme_get() -> Programme:
    """The programme (created with defaults on first use)."""
    programme = Programme.objects.order_by("pk").first()
    if programme is None:
        programme = Programme.objects.create()
    return programme


def landing_page_context() -> dict[str, Any]:
    from community_insights.portal.projects.models import Project

    return {
        "programme": programme_get(),
        "principles": principles(),
        "selected_projects": Project.objects.filter(is_public=True, is_selected=True)
        .select_related("lead_organisation")
        .order_by("title"),
    }
