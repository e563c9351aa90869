"""Small builders for the Phase 3 tests: a project in Phase 3, a plan, a session, an option."""

from __future__ import annotations

from datetime import date
from typing import Any

from community_insights.portal.solutions import services
from community_insights.portal.solutions.models import ResearchPlan, ResearchSession, SolutionOption


def in_phase_three(world: Any) -> Any:
    """``world.project`` selected and in the guide's Phase 3."""
    world.project.phase, world.project.is_selected = 3, True
    world.project.save(update_fields=["phase", "is_selected"])
    return world.project


def make_plan(world: Any, *, lead: str = "data_analyst") -> ResearchPlan:
    in_phase_three(world)
    return services.research_plan_save(
        actor=world.user("facilitator"),
        project=world.project,
        participants="Parents who used a food bank this year",
        how_many=8,
        format="both",
        consent_wording="We will keep your words without your name.",
        questions="What stops you asking for help?",
        research_lead=world.user(lead),
    )


def make_session(world: Any, *, notes: str = "Talked about getting to the food bank.", **kw: Any) -> ResearchSession:
    if not ResearchPlan.objects.filter(project=world.project).exists():
        make_plan(world)
    fields = {"held_on": date(2026, 3, 2), "format": "group", "participant_count": 3, "themes": "Bus fares"} | kw
    return services.research_session_log(actor=world.user("data_analyst"), project=world.project, notes=notes, **fields)


def make_option(world: Any, *, title: str = "Map of food bank use", kinds: tuple[str, ...] = ()) -> SolutionOption:
    in_phase_three(world)
    return services.option_add(
        actor=world.user("delivery_lead"),
        project=world.project,
        title=title,
        audience="Food bank coordinators",
        narrative="Where need is rising",
        action="A ward map showing where visits rose this year",
        datasets_used="Food bank visits by ward",
        kinds=list(kinds),
    )
