"""Every page built on the shared form page frame shows its own title, caption, heading and way back.

Why: the ideas and selection form pages now extend one shared template and fill
in only what differs; a block filled in the wrong place (or not at all) would
show the wrong heading, lose the caption or the back link, and no error test
would notice on a page that was only read.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from community_insights.portal.ideas.models import Idea
from tests.portal.ideas.factories import make_idea, make_session
from tests.portal.solutions.factories import in_phase_three


def _slug(w: Any) -> str:
    make_idea(w, status=Idea.Status.READY_FOR_EVALUATION)
    return str(w.project.slug)


def _at(view: str, key: Any, back: str, back_key: Any = None) -> tuple[str, str]:
    """The page's address and the address its back link should go to."""
    return reverse(view, args=[key]), reverse(back, args=[] if back_key is None else [back_key])


def _keyed(make: Callable[[Any], Any], view: str, back: str) -> Callable[[Any], tuple[str, str]]:
    """A page and its back link that both take the key of the object ``make`` creates."""

    def pages(w: Any) -> tuple[str, str]:
        pk = make(w).pk
        return _at(view, pk, back, pk)

    return pages


def _session(view: str) -> Callable[[Any], tuple[str, str]]:
    return _keyed(make_session, f"ideas:{view}", "ideas:session_detail")


def _idea(view: str) -> Callable[[Any], tuple[str, str]]:
    return _keyed(make_idea, f"ideas:{view}", "ideas:idea_detail")


def _project(view: str, back: str, back_takes_slug: bool) -> Callable[[Any], tuple[str, str]]:
    """A selection page of a project ready for evaluation, and its back link (with the slug or without)."""

    def pages(w: Any) -> tuple[str, str]:
        slug = _slug(w)
        return _at(f"selection:{view}", slug, f"selection:{back}", slug if back_takes_slug else None)

    return pages


def _phase3(view: str, back: str) -> Callable[[Any], tuple[str, str]]:
    """A Phase 3 page of a project in that phase, and the page of the area it goes back to."""

    def pages(w: Any) -> tuple[str, str]:
        slug = in_phase_three(w).slug
        return _at(f"solutions:{view}", slug, f"solutions:{back}", slug)

    return pages


# (name, persona, page and back-link addresses, title starts with, h1)
PAGES = [
    ("attendee", "facilitator", _session("attendee_add"), "Add someone to the session", "Add someone to the session"),
    ("data-need", "facilitator", _session("data_need_add"), "Data we might need", "Data we might need"),
    ("session", "facilitator", _idea("session_create"), "Plan a scoping session", "Plan a scoping session"),
    ("status", "facilitator", _idea("idea_status"), "Change the status", "Change the status"),
    ("score", "advisory_panel", _project("score", "overview", False), "Score: ", "Score this project"),
    (
        "decision",
        "facilitator",
        _project("decision", "overview", False),
        "Record the decision: ",
        "Record the decision",
    ),
    (
        "evaluation",
        "facilitator",
        _project("evaluation_edit", "evaluation", True),
        "Evaluation summary: ",
        "Evaluation summary",
    ),
    ("data-types", "facilitator", _project("data_types", "skills", True), "Types of data", "Types of data"),
    (
        "similar-work",
        "facilitator",
        _phase3("similar_work_add", "similar_work"),
        "Add similar work: ",
        "Add similar work",
    ),
    ("research-plan", "facilitator", _phase3("research_plan", "research"), "Research plan: ", "Research plan"),
    ("option", "facilitator", _phase3("option_add", "options"), "Add a solution option: ", "Add a solution option"),
]


@pytest.mark.django_db
@pytest.mark.parametrize("name,persona,pages,title,heading", PAGES, ids=[p[0] for p in PAGES])
def test_form_page_shows_its_own_frame(world, name, persona, pages, title, heading) -> None:  # type: ignore[no-untyped-def]
    address, back = pages(world)
    client = Client()
    client.force_login(world.user(persona))
    html = client.get(address).content.decode()
    assert re.search(r"<title>\s*" + re.escape(title), html), f"the page title starts with {title!r}"
    assert "Error: " not in html.split("</title>")[0]
    assert re.search(r'<h1 class="govuk-heading-l">' + re.escape(heading) + "</h1>", html)
    assert html.index('class="govuk-caption-l"') < html.index("<h1"), "the caption sits above the heading"
    assert f'href="{back}"' in html and "govuk-back-link" in html
    assert "<form" in html
