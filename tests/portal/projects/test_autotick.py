"""Checklists tick themselves from the events that prove them, with who and when; people can still tick."""

from __future__ import annotations

from typing import Any

import pytest

from community_insights.portal.core import audit
from community_insights.portal.projects import phases, services
from community_insights.portal.projects.autotick import PROOFS
from community_insights.portal.projects.models import ChecklistTick, Project
from tests.portal.access import World

pytestmark = pytest.mark.django_db


def _ticks(project: Project) -> dict[str, ChecklistTick]:
    return {t.item_key: t for t in ChecklistTick.objects.filter(project=project)}


def test_every_proved_item_is_an_item_of_the_guide() -> None:
    keys = {item.key for p in phases.phases() for item in p.items}
    assert set(PROOFS) <= keys


def test_an_event_on_a_project_ticks_the_item_it_proves_with_who_and_when(world: World) -> None:
    analyst = world.user("data_analyst")
    audit.record(actor=analyst, action="selection.evaluation_save", target=world.project, changes={"shared": False})
    ticks = _ticks(world.project)
    assert "work_mapped" in ticks and "feasibility_shared" not in ticks, "sharing is proved only when shared"
    tick = ticks["work_mapped"]
    assert tick.ticked_by == analyst and tick.note.startswith("Ticked by the portal: ")
    assert analyst.get_full_name() in tick.note
    audit.record(actor=analyst, action="selection.evaluation_save", target=world.project, changes={"shared": True})
    assert "feasibility_shared" in _ticks(world.project)
    assert "work_mapped" not in _ticks(world.other_project), "another project's checklist is not touched"


def test_programme_wide_work_ticks_phase_one_everywhere_and_for_projects_started_later(world: World) -> None:
    staff = world.user("staff")
    audit.record(actor=staff, action="programme.programme_update", changes={"fields": ["introduction"]})
    assert "landing_page_created" in _ticks(world.project) and "landing_page_created" in _ticks(world.other_project)
    later = services.project_create(actor=world.user("delivery_lead"), title="Warm spaces", question="Where?")
    assert "landing_page_created" in _ticks(later)


def test_a_person_can_still_untick_an_automatic_tick_and_tick_by_hand_with_a_note(world: World) -> None:
    lead: Any = world.user("delivery_lead")
    audit.record(actor=lead, action="projects.project_role_assign", target=world.project)
    assert "core_team_identified" in _ticks(world.project)
    services.checklist_item_untick(actor=lead, project=world.project, item_key="core_team_identified")
    services.checklist_item_tick(
        actor=lead, project=world.project, item_key="core_team_identified", note="Agreed at the first meeting."
    )
    assert _ticks(world.project)["core_team_identified"].note == "Agreed at the first meeting."
