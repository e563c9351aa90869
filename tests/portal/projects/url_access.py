"""Who may open each page of the projects area (see tests/portal/access.py)."""

from __future__ import annotations

from typing import Any

from tests.portal.access import CORE_ROLES, LOGIN, MEMBERS, SIGNED_IN, Case, World, expect

COUNCIL_PERSONAS = (
    "delivery_lead",
    "data_analyst",
    "communities_representative",
    "contracts_legal",
    "information_rights",
)


def _in_phase_two(w: World) -> dict[str, Any]:
    w.project.phase = 2
    w.project.save(update_fields=["phase"])
    return {"slug": w.project.slug}


RUNNERS = expect(LOGIN, default=403, outsider=404, staff=200, facilitator=200, delivery_lead=200)
RUNNERS_POST = expect(LOGIN, default=403, outsider=404, staff=302, facilitator=302, delivery_lead=302)
CREATORS = expect(LOGIN, default=403, staff=200, **dict.fromkeys(COUNCIL_PERSONAS, 200))
CREATORS_POST = expect(LOGIN, default=403, staff=302, **dict.fromkeys(COUNCIL_PERSONAS, 302))
TICKERS_POST = expect(LOGIN, default=403, outsider=404, staff=302, **dict.fromkeys(CORE_ROLES, 302))


def _ready_to_close(w: World) -> dict[str, Any]:
    """The project in Phase 4 with every item of its checklist ticked: closing it may succeed."""
    from community_insights.portal.projects import phases as phase_data
    from community_insights.portal.projects.models import ChecklistTick

    w.project.phase = 4
    w.project.save(update_fields=["phase"])
    for item in phase_data.phase(4).items:
        ChecklistTick.objects.create(project=w.project, item_key=item.key)
    return {"slug": w.project.slug}


def slug(w: World) -> dict[str, Any]:
    return {"slug": w.project.slug}


def analyst_role(w: World) -> dict[str, Any]:
    return {"slug": w.project.slug, "role_id": w.project.roles.get(role="data_analyst").pk}


CASES = [
    Case("projects:project_list", expect=SIGNED_IN),
    Case("projects:project_create", expect=CREATORS),
    Case(
        "projects:project_create",
        method="post",
        data=lambda w: {"title": "Warm spaces", "question": "Who uses warm spaces?", "creator_role": "delivery_lead"},
        expect=CREATORS_POST,
    ),
    Case("projects:project_detail", kwargs=slug, expect=MEMBERS),
    Case(
        "projects:project_detail",
        kwargs=lambda w: {"slug": w.other_project.slug},
        note="other-project",
        expect=expect(LOGIN, default=404, outsider=200, staff=200),
    ),
    Case("projects:project_edit", kwargs=slug, expect=RUNNERS),
    Case("projects:project_phases", kwargs=slug, expect=MEMBERS),
    Case("projects:phase_advance", kwargs=slug, expect=RUNNERS),
    Case("projects:phase_loop_back", kwargs=_in_phase_two, expect=RUNNERS),
    Case("projects:project_close", kwargs=slug, expect=RUNNERS),
    Case("projects:project_close", kwargs=_ready_to_close, note="ready", expect=RUNNERS),
    Case("projects:project_close", kwargs=_ready_to_close, method="post", data=lambda w: {}, expect=RUNNERS_POST),
    Case(
        "projects:phase_loop_back",
        kwargs=_in_phase_two,
        method="post",
        data=lambda w: {"reason": "The solutions do not answer the question."},
        expect=RUNNERS_POST,
    ),
    Case(
        "projects:phase_advance",
        kwargs=slug,
        method="post",
        data=lambda w: {"confirm_incomplete": "on"},
        expect=RUNNERS_POST,
    ),
    Case(
        "projects:checklist_item",
        kwargs=lambda w: {"slug": w.project.slug, "item_key": "core_team_identified"},
        expect=MEMBERS,
    ),
    Case(
        "projects:checklist_item",
        kwargs=lambda w: {"slug": w.project.slug, "item_key": "core_team_identified"},
        method="post",
        data=lambda w: {"note": ""},
        expect=TICKERS_POST,
    ),
    Case("projects:project_team", kwargs=slug, expect=MEMBERS),
    Case("projects:role_assign", kwargs=slug, expect=RUNNERS),
    Case(
        "projects:role_assign",
        kwargs=slug,
        method="post",
        data=lambda w: {"user": w.user("outsider").pk, "role": "advisory_panel", "planned_days": "4"},
        expect=RUNNERS_POST,
    ),
    Case("projects:role_edit", kwargs=analyst_role, expect=RUNNERS),
    Case("projects:role_remove", kwargs=analyst_role, expect=RUNNERS),
    Case("projects:role_remove", kwargs=analyst_role, method="post", expect=RUNNERS_POST),
]
