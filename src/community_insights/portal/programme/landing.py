"""Sections of the public landing page, filled by the areas that own them.

The landing page has fixed places (what it is, how to take part, office hours,
selected projects, published insights, ways of working). The programme area
fills each with a simple default; a later area replaces one by registering a
section with the same key from its ``AppConfig.ready()``, for example::

    landing.register("office_hours", title="Office hours", template="ideas/landing_office_hours.html",
                     context=lambda request: {"slots": upcoming_slots()}, order=30)

Context functions receive the request and must return only public information.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.template.loader import render_to_string


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    template: str
    order: int
    context: Callable[[HttpRequest], dict[str, Any]]


_SECTIONS: dict[str, Section] = {}


def _no_context(request: HttpRequest) -> dict[str, Any]:
    return {}


def register(
    key: str,
    *,
    title: str,
    template: str,
    order: int = 100,
    context: Callable[[HttpRequest], dict[str, Any]] = _no_context,
) -> None:
    """Add a section, or replace the one with the same ``key``."""
    _SECTIONS[key] = Section(key, title, template, order, context)


def sections() -> list[Section]:
    return sorted(_SECTIONS.values(), key=lambda s: (s.order, s.key))


def render_sections(request: HttpRequest, base_context: dict[str, Any]) -> list[dict[str, Any]]:
    rendered = []
    for section in sections():
        ctx = {**base_context, **section.context(request), "section": section}
        rendered.append(
            {"key": section.key, "title": section.title, "html": render_to_string(section.template, ctx, request)}
        )
    return rendered
