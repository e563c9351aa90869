"""Phase 3: selection leads here; similar work; options with the skills and days they need; scores and the choice."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from community_insights.portal.core.exceptions import ApplicationError, NotPermitted
from community_insights.portal.core.models import AuditEntry
from community_insights.portal.ideas.models import Idea
from community_insights.portal.projects.models import ProjectRole
from community_insights.portal.selection import services as selection_services
from community_insights.portal.solutions import selectors, services
from community_insights.portal.solutions.models import ChosenOption
from tests.portal.ideas.factories import make_idea
from tests.portal.solutions.factories import in_phase_three, make_option, make_plan, make_session


def _page(world, persona: str, url: str) -> str:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(world.user(persona))
    return client.get(url).content.decode()


def _overview(world, persona: str = "vcs_member_lead") -> str:  # type: ignore[no-untyped-def]
    return _page(world, persona, reverse("projects:project_detail", args=[world.project.slug]))


@pytest.mark.django_db
def test_selecting_a_project_moves_it_into_phase_three_and_tells_the_team(
    world, django_capture_on_commit_callbacks
) -> None:
    make_idea(world, status=Idea.Status.READY_FOR_EVALUATION)
    world.project.phase = 2
    world.project.save(update_fields=["phase"])
    decision_page = _page(world, "facilitator", reverse("selection:decision", args=[world.project.slug]))
    assert "moves on to Phase 3, Develop and test" in decision_page
    with django_capture_on_commit_callbacks(execute=True):
        selection_services.decision_record(
            actor=world.user("facilitator"), project=world.project, outcome="selected", reasons="Best scored."
        )
    world.project.refresh_from_db()
    assert world.project.phase == 3
    moved = AuditEntry.objects.get(action="projects.project_advance_phase")
    assert moved.changes == {"from": 2, "to": 3, "by": "selection"}
    team_mail = [m for m in mail.outbox if "moved to phase 3" in m.subject]
    assert [world.user("data_analyst").email] in [m.to for m in team_mail], "one email per person"
    assert all("What is next: look at where similar work has been done." in m.body for m in team_mail)
    page = _overview(world)
    assert "What is next:" in page and "Look at where similar work has been done" in page
    assert reverse("solutions:overview", args=[world.project.slug]) in page


@pytest.mark.django_db
def test_a_project_not_taken_forward_stays_where_it_is(world) -> None:
    make_idea(world, status=Idea.Status.READY_FOR_EVALUATION)
    selection_services.decision_record(
        actor=world.user("facilitator"), project=world.project, outcome="not_selected", reasons="No data yet."
    )
    world.project.refresh_from_db()
    assert world.project.phase == 1
    assert "What is next:" not in _overview(world)


@pytest.mark.django_db
def test_the_phase_steps_follow_the_work_and_say_what_is_next(world) -> None:
    in_phase_three(world)
    names = lambda: [(s.name, s.status) for _, steps in selectors.phase_steps(world.project) for s in steps]  # noqa: E731
    assert names()[:5] == [
        ("Look at where similar work has been done", "todo"),
        ("Lead agreed upon qualitative research", "todo"),
        ("Explore potential solutions in a workshop", "todo"),
        ("Evaluate solutions", "todo"),
        ("Data safety check", "todo"),
    ]
    assert selectors.next_step(selectors.phase_steps(world.project)).name == "Look at where similar work has been done"
    services.similar_work_add(
        actor=world.user("vcs_member_lead"),
        project=world.project,
        title="Food insecurity index",
        organisation="Another borough",
        url="https://example.org/index",
        reusable="Their ward map",
    )
    make_plan(world)
    assert [s for _, s in names()[:2]] == ["done", "started"]
    make_session(world)
    option = make_option(world)
    services.option_score(actor=world.user("advisory_panel"), option=option, score=4)
    assert [s for _, s in names()[:4]] == ["done", "done", "done", "started"]
    services.option_choose(actor=world.user("facilitator"), project=world.project, option=option, reasons="Clear")
    assert [s for _, s in names()] == ["done"] * 4 + ["todo"] * 4  # Step 5 and Part 2 need outputs and testing
    assert selectors.next_step(selectors.phase_steps(world.project)).name == "Data safety check"
    assert [e.action for e in AuditEntry.objects.filter(action__startswith="solutions.").order_by("pk")] == [
        "solutions.similar_work_add",
        "solutions.research_plan_save",
        "solutions.research_session_log",
        "solutions.option_add",
        "solutions.option_score",
        "solutions.option_choose",
    ]


@pytest.mark.django_db
def test_phase_three_work_waits_for_selection(world) -> None:
    with pytest.raises(ApplicationError, match="not in Phase 3"):
        services.similar_work_add(actor=world.user("facilitator"), project=world.project, title="x", organisation="y")
    in_phase_three(world)
    with pytest.raises(NotPermitted):
        services.similar_work_add(
            actor=world.user("information_rights"), project=world.project, title="x", organisation="y"
        )


@pytest.mark.django_db
def test_an_option_lists_the_skills_the_guide_says_it_needs_against_the_team_and_its_days(world) -> None:
    option = make_option(world, kinds=("statistical_claims", "infographic"))
    needs = {n.skill.key: n for n in selectors.option_skills(option)}
    assert list(needs) == ["statistical_evaluation", "visual_design"]
    assert needs["visual_design"].status == "gap"  # nobody's role covers it
    analyst = needs["statistical_evaluation"].holders
    # No days planned: the guide's top of the data analyst's range (6 to 12 days) stands in.
    assert [(h.name, h.days, h.from_guide) for h in analyst] == [("Data Analyst", Decimal(12), True)]
    assert needs["statistical_evaluation"].status == "unknown"

    services.estimates_save(
        actor=world.user("data_analyst"), option=option, days={"statistical_evaluation": Decimal(8)}
    )
    assert selectors.option_skills(option)[0].status == "ok"
    ProjectRole.objects.filter(project=world.project, role="data_analyst").update(planned_days=Decimal(5))
    short = selectors.option_skills(option)[0]
    assert (short.available, short.estimate, short.status) == (Decimal(5), Decimal(8), "short")
    with pytest.raises(ApplicationError, match="only the skills this option needs"):
        services.estimates_save(actor=world.user("data_analyst"), option=option, days={"ethics_legal": Decimal(1)})
    services.estimates_save(actor=world.user("data_analyst"), option=option, days={"statistical_evaluation": None})
    assert selectors.option_skills(option)[0].estimate is None
    assert AuditEntry.objects.filter(action="solutions.estimates_save").count() == 2

    html = _page(world, "vcs_member_lead", reverse("solutions:option_detail", args=[world.project.slug, option.pk]))
    assert "A visual designer with access to design tools" in html and "Gap" in html


@pytest.mark.django_db
def test_scores_average_per_option_and_the_choice_is_recorded_once_with_reasons(
    world, django_capture_on_commit_callbacks
) -> None:
    first, second = make_option(world, title="Ward map"), make_option(world, title="Infographic")
    services.option_score(actor=world.user("advisory_panel"), option=first, score=4)
    services.option_score(actor=world.user("vcs_member_lead"), option=first, score=5, comment="Useful")
    services.option_score(actor=world.user("vcs_member_lead"), option=first, score=3)  # changes their score
    with pytest.raises(NotPermitted):
        services.option_score(actor=world.user("information_rights"), option=first, score=2)
    with pytest.raises(ApplicationError, match="from 1 to 5"):
        services.option_score(actor=world.user("advisory_panel"), option=second, score=6)
    rows = {r.option.title: r for r in selectors.option_rows(world.project, world.user("vcs_member_lead"))}
    assert (rows["Ward map"].average, rows["Ward map"].votes, rows["Ward map"].mine.score) == (3.5, 2, 3)
    assert rows["Infographic"].average is None

    with pytest.raises(NotPermitted):
        services.option_choose(actor=world.user("data_analyst"), project=world.project, option=first, reasons="x")
    with django_capture_on_commit_callbacks(execute=True):
        services.option_choose(
            actor=world.user("facilitator"), project=world.project, option=first, reasons="Highest score."
        )
    assert ChosenOption.objects.get(project=world.project).option == first
    chosen = [m for m in mail.outbox if m.subject.startswith("Solution chosen")]
    assert all("Highest score." in m.body for m in chosen)
    assert [world.user("advisory_panel").email] in [m.to for m in chosen], "one email per person"
    with pytest.raises(ApplicationError, match="already been chosen"):
        services.option_choose(actor=world.user("facilitator"), project=world.project, option=second, reasons="y")
    with pytest.raises(ApplicationError, match="can no longer change"):
        services.option_score(actor=world.user("advisory_panel"), option=first, score=1)
    assert AuditEntry.objects.get(action="solutions.option_choose").changes == {"option": first.pk}
