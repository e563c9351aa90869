"""Project reads: who sees which project, the team summary against the guide, the checklists."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.http import Http404

from community_insights.portal.projects import selectors
from community_insights.portal.projects.models import ChecklistTick, ProjectRole
from tests.portal.access import World

pytestmark = pytest.mark.django_db


def test_people_see_their_projects_and_staff_see_all(world: World) -> None:
    assert set(selectors.project_list_for_user(user=world.user("staff"))) == {world.project, world.other_project}
    assert list(selectors.project_list_for_user(user=world.user("data_analyst"))) == [world.project]
    assert list(selectors.project_list_for_user(user=world.user("outsider"))) == [world.other_project]
    with pytest.raises(Http404):
        selectors.project_get_for_user(user=world.user("outsider"), slug=world.project.slug)
    with pytest.raises(Http404):
        selectors.project_get_for_user(user=world.user("staff"), slug="no-such-project")


def test_a_deactivated_member_loses_sight_of_the_project(world: World) -> None:
    analyst = world.user("data_analyst")
    analyst.is_active = False
    analyst.save()
    with pytest.raises(Http404):
        selectors.project_get_for_user(user=analyst, slug=world.project.slug)


def test_team_warns_about_missing_essential_roles(world: World) -> None:
    ProjectRole.objects.filter(project=world.project, role__in=["facilitator", "data_analyst"]).delete()
    team = selectors.project_team(project=world.project)
    assert "This project has no facilitator, an essential role." in team.warnings
    assert "This project has no data scientist or analyst, an essential role." in team.warnings


def test_team_compares_each_persons_days_with_the_guides_range(world: World) -> None:
    ProjectRole.objects.filter(project=world.project).update(planned_days=None)
    ProjectRole.objects.filter(project=world.project, role="facilitator").update(planned_days=Decimal(30))
    ProjectRole.objects.filter(project=world.project, role="data_analyst").update(planned_days=Decimal(8))
    team = selectors.project_team(project=world.project)
    rows = {r.definition.key: r for r in team.rows}
    assert rows["facilitator"].out_of_range
    assert any("30 days planned as facilitator" in w and "18 to 25" in w for w in team.warnings)
    assert not rows["data_analyst"].warnings and rows["data_analyst"].total_days == Decimal(8)
    assert any("No days are planned for" in w and "delivery lead" in w for w in team.warnings)
    assert not rows["information_rights"].warnings, "complementary roles have no range in the guide"
    assert rows["information_rights"].range_label == "As needed"


def test_checklists_show_every_phase_with_status_and_who_ticked(world: World) -> None:
    world.project.phase = 2
    world.project.save()
    ChecklistTick.objects.create(project=world.project, item_key="question_framed", ticked_by=world.user("facilitator"))
    checklists = selectors.project_checklists(project=world.project)
    assert [c.status for c in checklists] == ["unfinished", "current", "not_started", "not_started"]
    phase2 = checklists[1]
    assert phase2.done_count == 1 and phase2.item_count == 11 and not phase2.is_complete
    row = next(r for p in phase2.parts for r in p.rows if r.item.key == "question_framed")
    assert row.done and row.tick is not None and row.tick.ticked_by == world.user("facilitator")


def test_a_phase_is_finished_only_when_its_checklist_is(world: World, client_for: Any) -> None:
    from django.urls import reverse

    from community_insights.portal.projects import phases as phase_data

    world.project.phase = 2
    world.project.save()
    url = reverse("projects:project_phases", kwargs={"slug": world.project.slug})
    page = client_for("facilitator").get(url).content.decode()
    phase1 = page.split("Phase 1:", 1)[1].split("Phase 2:", 1)[0]
    assert "Finished" not in phase1 and "Moved on, not finished" in phase1 and "0 of 5 items ticked" in phase1
    for item in phase_data.phase(1).items:
        ChecklistTick.objects.create(project=world.project, item_key=item.key, ticked_by=world.user("facilitator"))
    ChecklistTick.objects.create(project=world.project, item_key="question_framed", ticked_by=world.user("facilitator"))
    statuses = [c.status for c in selectors.project_checklists(project=world.project)]
    assert statuses[:2] == ["done", "current"]
    page = client_for("facilitator").get(url).content.decode()
    assert "Finished" in page.split("Phase 1:", 1)[1].split("Phase 2:", 1)[0]
