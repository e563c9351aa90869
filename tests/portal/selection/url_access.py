"""Who may open each URL of the selection area (format: tests/portal/access.py)."""

from __future__ import annotations

from typing import Any

from community_insights.portal.ideas.models import Idea
from community_insights.portal.selection.models import PanelMember, SkillCover
from tests.portal.access import LOGIN, MEMBERS, PUBLIC, Case, expect
from tests.portal.ideas.factories import make_idea

SELECTION = expect(LOGIN, default=403, facilitator=200, staff=200, advisory_panel=200)
FACILITATOR = expect(LOGIN, default=403, facilitator=200, staff=200)
FACILITATOR_POST = expect(LOGIN, default=403, facilitator=302, staff=302)
PROJECT_FACILITATOR = expect(LOGIN, default=403, outsider=404, facilitator=200, staff=200)
PROJECT_FACILITATOR_POST = expect(LOGIN, default=403, outsider=404, facilitator=302, staff=302)


def _candidate(w: Any) -> dict[str, Any]:
    """``world.project`` as a candidate: its idea is ready for evaluation."""
    make_idea(w, status=Idea.Status.READY_FOR_EVALUATION)
    return {"slug": w.project.slug}


def _selected(w: Any) -> dict[str, Any]:
    make_idea(w, status=Idea.Status.SELECTED)
    w.project.is_selected = True
    w.project.save(update_fields=["is_selected"])
    return {"slug": w.project.slug}


def _public_selected(w: Any) -> dict[str, Any]:
    w.project.is_selected = w.project.is_public = True
    w.project.save(update_fields=["is_selected", "is_public"])
    return {"slug": w.project.slug}


def _panel_member(w: Any) -> dict[str, Any]:
    return {"pk": PanelMember.objects.create(user=w.user("delivery_lead")).pk}


def _cover(w: Any) -> dict[str, Any]:
    cover = SkillCover.objects.create(project=w.project, skill_key="system_administrator", name="Council IT")
    return {"slug": w.project.slug, "pk": cover.pk}


CASES = [
    Case("selection:overview", expect=SELECTION),
    Case("selection:panel", expect=FACILITATOR),
    Case("selection:panel_remove", kwargs=_panel_member, method="post", expect=FACILITATOR_POST),
    Case("selection:skills", kwargs=_candidate, expect=MEMBERS),
    Case("selection:data_types", kwargs=_candidate, expect=PROJECT_FACILITATOR),
    Case("selection:skill_cover", kwargs=_candidate, expect=PROJECT_FACILITATOR),
    Case("selection:skill_cover_remove", kwargs=_cover, method="post", expect=PROJECT_FACILITATOR_POST),
    Case("selection:evaluation", kwargs=_candidate, expect=MEMBERS),
    Case("selection:evaluation_pdf", kwargs=_candidate, expect=MEMBERS),
    Case("selection:evaluation_edit", kwargs=_candidate, expect=PROJECT_FACILITATOR),
    Case(
        "selection:score",
        kwargs=_candidate,
        expect=expect(LOGIN, default=403, outsider=404, advisory_panel=200),
    ),
    Case("selection:decision", kwargs=_candidate, expect=PROJECT_FACILITATOR),
    Case("selection:next_steps", kwargs=_selected, expect=MEMBERS),
    Case("selection:project_about", kwargs=_public_selected, expect=PUBLIC),
    Case("selection:project_about", kwargs=_selected, expect=expect(404, default=404), note="selected but not public"),
    Case(
        "selection:next_steps",
        kwargs=_selected,
        method="post",
        data=lambda w: {"item_key": "landing_page", "done": "on"},
        expect=expect(LOGIN, default=403, outsider=404, facilitator=302, staff=302, delivery_lead=302),
        note="tick",
    ),
]
