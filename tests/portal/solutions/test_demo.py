"""``insights demo`` shows Phase 3: similar work, a plan with two sessions, three options and a chosen one."""

from __future__ import annotations

import pytest

from community_insights.portal.core.demo import load_demo
from community_insights.portal.solutions.models import ChosenOption, ResearchSession, SimilarWork, SolutionOption
from community_insights.portal.solutions.services import research_notes_open


@pytest.mark.django_db
def test_the_demo_has_a_project_exploring_solutions_and_a_second_load_adds_nothing() -> None:
    context = load_demo(password="a-long-and-unusual-passphrase")
    project = context.projects["young_carers"]
    project.refresh_from_db()
    assert project.phase == 3
    assert SimilarWork.objects.filter(project=project).count() == 2
    sessions = list(ResearchSession.objects.filter(project=project))
    assert len(sessions) == 2 and project.research_plan.research_lead == context.users["carers_lead"]
    assert all(s.consents.filter(given=True).count() == s.participant_count for s in sessions)
    # The demo's notes name a made-up resident: only the sealed notes keep the name.
    assert not any("Jamie" in s.themes + s.quotes for s in sessions)
    assert "Jamie Clarke" in research_notes_open(actor=context.users["carers_lead"], session=sessions[0])
    assert SolutionOption.objects.filter(project=project).count() == 3
    chosen = ChosenOption.objects.get(project=project)
    assert chosen.option.title == "Ward map of hidden young carers" and chosen.option.scores.count() == 3
    load_demo(password="a-long-and-unusual-passphrase")
    assert ResearchSession.objects.filter(project=project).count() == 2
    assert SolutionOption.objects.filter(project=project).count() == 3


@pytest.mark.django_db
def test_the_demo_tests_a_chart_whose_final_checks_failed_then_passed() -> None:
    from community_insights.portal.outputs.models import OutputVersion
    from community_insights.portal.solutions import selectors
    from community_insights.portal.solutions.models import FinalCheckRun, TestingWorkshop

    context = load_demo(password="a-long-and-unusual-passphrase")
    project = context.projects["young_carers"]
    workshop = TestingWorkshop.objects.get(project=project)
    kinds = set(workshop.feedback.values_list("kind", flat=True))
    assert kinds == {"substantive", "accessibility"} and workshop.feedback.filter(used_differently=True).exists()
    first, second = OutputVersion.objects.filter(output__project=project).order_by("number")
    failed = FinalCheckRun.objects.get(version=first)
    outcomes = {r["key"]: r["outcome"] for r in failed.results}
    assert not failed.passed and outcomes["personal_data"] == "fail"
    assert not selectors.final_checks_passed(first) and selectors.final_checks_passed(second)
    assert selectors.reasons_to_stay_in_phase_three(project) == []
    load_demo(password="a-long-and-unusual-passphrase")
    assert TestingWorkshop.objects.filter(project=project).count() == 1
