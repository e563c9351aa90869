"""People and skills, the shared evaluation (page and PDF), panel scores, ranking, decision and next steps."""

from __future__ import annotations

import io

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from community_insights.portal.core.exceptions import ApplicationError, NotPermitted
from community_insights.portal.core.models import AuditEntry
from community_insights.portal.ideas.models import DataNeed, Idea
from community_insights.portal.projects.models import Project, ProjectRole
from community_insights.portal.selection import guide, selectors, services
from community_insights.portal.selection.models import Decision, PanelMember
from tests.portal.ideas.factories import make_idea, make_session


def _candidate(world, **kw):  # type: ignore[no-untyped-def]
    return make_idea(world, status=Idea.Status.READY_FOR_EVALUATION, **kw)


def _second_candidate(world):  # type: ignore[no-untyped-def]
    project = Project.objects.create(
        title="Digital exclusion", slug="digital-exclusion", question="Who has no computer?", phase=2
    )
    idea = make_idea(world, status=Idea.Status.READY_FOR_EVALUATION, project=project)
    idea.title = "Digital exclusion"
    idea.proposer = world.user("subject_matter_expert")
    idea.save()
    return project


def _all_scores(value: int, comment: str = "") -> dict[str, tuple[int, str]]:
    return {c.key: (value, comment) for c in guide.criteria()}


def test_guide_tables_load_from_their_data_files() -> None:
    assert len(guide.criteria()) == 7
    assert guide.criteria()[0].question.startswith("How likely are we to be able to get the roles and skills")
    assert {d.key for d in guide.data_types()} >= {"internal_systems", "new_collection", "external_datasets"}
    internal = next(d for d in guide.data_types() if d.key == "internal_systems")
    assert [guide.skill(k).name for k in internal.needs] == [
        "Someone who knows the data, to help analysts understand it in depth",
        "A system or database administrator who can extract information from internal systems",
    ]
    assert [c.key for c in guide.checklists()] == ["mobilise", "communicate"]


@pytest.mark.django_db
def test_people_and_skills_compares_needs_with_the_team(world) -> None:
    idea = _candidate(world)
    session = make_session(world, idea)
    DataNeed.objects.create(session=session, source_category="systems", description="Referral spreadsheet")
    DataNeed.objects.create(session=session, source_category="new_collection", description="Two-week tally")
    report = selectors.skills_for_project(world.project)
    assert not report.chosen_explicitly
    assert [d.key for d in report.data_types] == ["internal_systems", "new_collection", "internal_datasets"]
    rows = {r.skill.key: r for r in report.rows}
    # world.project has one person in every role: only the system administrator is a gap.
    assert [r.skill.key for r in report.gaps] == ["system_administrator"]
    assert any("Vcs Member Lead" in who for who in rows["knows_the_data"].covered_by)
    assert any("Data Analyst" in who for who in rows["collection_design"].covered_by)

    ProjectRole.objects.filter(project=world.project, role="data_analyst").delete()
    assert {r.skill.key for r in selectors.skills_for_project(world.project).gaps} == {
        "system_administrator",
        "collection_design",
    }

    facilitator = world.user("facilitator")
    services.skill_cover_add(
        actor=facilitator, project=world.project, skill_key="system_administrator", name="Council IT service desk"
    )
    services.project_data_types_set(actor=facilitator, project=world.project, keys=["internal_systems"])
    report = selectors.skills_for_project(world.project)
    assert report.chosen_explicitly and report.gaps == []
    with pytest.raises(ApplicationError):
        services.project_data_types_set(actor=facilitator, project=world.project, keys=["made_up"])
    with pytest.raises(NotPermitted):
        services.skill_cover_add(
            actor=world.user("data_analyst"), project=world.project, skill_key="data_mining", name="x"
        )

    client = Client()
    client.force_login(world.user("vcs_member_lead"))
    page = client.get(reverse("selection:skills", args=[world.project.slug])).content.decode()
    assert "Council IT service desk" in page and "Using data from internal systems" in page


@pytest.mark.django_db
def test_evaluation_page_and_pdf_carry_the_summary(world, committed) -> None:
    idea = _candidate(world)
    session = make_session(world, idea)
    DataNeed.objects.create(
        session=session, source_category="public", description="ONS population estimates", catalogue_key="ons"
    )
    facilitator = world.user("facilitator")
    PanelMember.objects.create(user=world.user("delivery_lead"))
    with committed():
        services.evaluation_save(
            actor=facilitator,
            project=world.project,
            existing_work="The council's anti-poverty strategy mapped food banks in 2023.",
            data_safety_findings="Referral records hold names and postcodes: remove names, keep postcode sectors.",
            skills_notes="We need a system administrator for the case management export.",
            risks="The food partnership's spreadsheet may stop being kept up to date.",
            share=True,
        )
    recipients = [m.to for m in mail.outbox]
    assert all(len(to) == 1 for to in recipients), "one email per person"
    assert [world.user("advisory_panel").email] in recipients and [world.user("delivery_lead").email] in recipients
    assert all(reverse("selection:evaluation_pdf", args=[world.project.slug]) in m.body for m in mail.outbox)

    client = Client()
    client.force_login(world.user("advisory_panel"))
    page = client.get(reverse("selection:evaluation", args=[world.project.slug])).content.decode()
    assert "remove names, keep postcode sectors" in page and "Shared with the core team" in page

    response = client.get(reverse("selection:evaluation_pdf", args=[world.project.slug]))
    assert response["Content-Type"] == "application/pdf"
    assert 'filename="evaluation-food-insecurity.pdf"' in response["Content-Disposition"]
    text = " ".join(" ".join((p.extract_text() or "").split()) for p in PdfReader(io.BytesIO(response.content)).pages)
    for expected in (
        "Food insecurity in Northmoor",
        "Which families stopped getting food support in 2024, and why?",
        "anti-poverty strategy mapped food banks",
        "remove names, keep postcode sectors",
        "ONS population estimates",
        "system administrator",
        "may stop being kept up to date",
        "Page 1 of",
    ):
        assert expected in text, expected


@pytest.mark.django_db
def test_evaluation_needs_a_candidate(world) -> None:
    with pytest.raises(ApplicationError, match="not a candidate"):
        services.evaluation_save(
            actor=world.user("facilitator"),
            project=world.project,
            existing_work="x",
            data_safety_findings="y",
            skills_notes="",
            risks="",
            share=False,
        )


@pytest.mark.django_db
def test_two_panel_members_score_and_the_ranking_combines_them(world) -> None:
    _candidate(world)
    second = _second_candidate(world)
    panel_a = world.user("advisory_panel")
    panel_b = world.user("delivery_lead")
    services.panel_member_add(actor=world.user("facilitator"), user=panel_b)
    with pytest.raises(NotPermitted):
        services.scores_save(actor=world.user("data_analyst"), project=world.project, scores=_all_scores(3))
    with pytest.raises(ApplicationError, match="Score every criterion"):
        services.scores_save(actor=panel_a, project=world.project, scores={"impact": (5, "")})

    client = Client()
    client.force_login(panel_a)
    data = {f"score_{c.key}": "4" for c in guide.criteria()} | {"comment_impact": "Could change where outreach goes."}
    assert client.post(reverse("selection:score", args=[world.project.slug]), data).status_code == 302
    services.scores_save(actor=panel_b, project=world.project, scores=_all_scores(5))
    services.scores_save(actor=panel_a, project=second, scores=_all_scores(2, "Hard to get the data."))

    rows = selectors.ranking()
    assert [(r.project.slug, r.rank, r.total, r.scorers) for r in rows] == [
        ("food-insecurity", 1, 31.5, 2),  # (4 + 5) / 2 = 4.5 on each of 7 criteria
        ("digital-exclusion", 2, 14.0, 1),
    ]
    impact = next(c for c in rows[0].criteria if c.criterion.key == "impact")
    assert impact.average == 4.5 and impact.comments == [
        (panel_a.get_full_name(), 4, "Could change where outreach goes.")
    ]
    # Scoring again replaces a member's scores rather than adding to them.
    services.scores_save(actor=panel_b, project=world.project, scores=_all_scores(4))
    assert selectors.ranking()[0].total == 28.0

    overview = client.get(reverse("selection:overview")).content.decode()
    assert overview.index("Food insecurity in Northmoor") < overview.index("Digital exclusion")
    audit = AuditEntry.objects.filter(action="selection.scores_save").first()
    assert audit is not None and set(audit.changes["scores"]) == {c.key for c in guide.criteria()}


@pytest.mark.django_db
def test_decision_tells_the_proposer_and_shows_the_project_on_the_landing_page(world, committed) -> None:
    idea = _candidate(world)
    second = _second_candidate(world)
    facilitator = world.user("facilitator")
    with pytest.raises(NotPermitted):
        services.decision_record(
            actor=world.user("advisory_panel"), project=world.project, outcome="selected", reasons="x"
        )
    with committed():
        services.decision_record(
            actor=facilitator,
            project=world.project,
            outcome="selected",
            reasons="Highest score, and the team can be found.",
            show_on_landing_page=True,
        )
        services.decision_record(
            actor=facilitator, project=second, outcome="not_selected", reasons="Nobody holds the data yet."
        )
    world.project.refresh_from_db()
    idea.refresh_from_db()
    assert world.project.is_selected and world.project.is_public and idea.status == "selected"
    second_idea = Idea.objects.get(project=second)
    assert second_idea.status == "not_taken_forward" and second_idea.status_reason == "Nobody holds the data yet."
    selected_mail = next(m for m in mail.outbox if m.to == [idea.proposer.email] and "selected" in m.subject)
    assert "selected" in selected_mail.subject and "Highest score" in selected_mail.body
    to_proposer = [m for m in mail.outbox if m.to == [world.user("subject_matter_expert").email]]
    assert any("Nobody holds the data yet." in m.body for m in to_proposer), [m.subject for m in to_proposer]

    landing = Client().get(reverse("programme:landing")).content.decode()
    assert "Food insecurity in Northmoor" in landing and "Digital exclusion" not in landing

    with pytest.raises(ApplicationError, match="already been recorded"):
        services.decision_record(actor=facilitator, project=world.project, outcome="not_selected", reasons="x")
    with pytest.raises(ApplicationError, match="can no longer change"):
        services.scores_save(actor=world.user("advisory_panel"), project=world.project, scores=_all_scores(1))
    assert Decision.objects.get(project=world.project).decided_by == facilitator
    # The projects area recorded the change of its own fields.
    outcomes = {
        e.project_id: (e.changes["selected"], e.changes["public"])
        for e in AuditEntry.objects.filter(action="projects.project_set_selection")
    }
    assert outcomes == {world.project.pk: (True, True), second.pk: (False, False)}


@pytest.mark.django_db
def test_mobilise_and_communicate_checklists(world) -> None:
    _candidate(world)
    lead = world.user("delivery_lead")
    with pytest.raises(ApplicationError, match="selected projects"):
        services.next_step_set(actor=lead, project=world.project, item_key="landing_page", done=True)
    services.decision_record(
        actor=world.user("facilitator"), project=world.project, outcome="selected", reasons="Clear question."
    )
    world.project.refresh_from_db()
    client = Client()
    client.force_login(lead)
    client.post(
        reverse("selection:next_steps", args=[world.project.slug]),
        {"item_key": "timelines_shared", "done": "on", "note": "Sent 3 March"},
    )
    groups = selectors.next_steps_for_project(world.project)
    ticks = {row["item"].key: row["tick"] for g in groups for row in g["items"]}
    assert ticks["timelines_shared"] is not None and ticks["timelines_shared"].note == "Sent 3 March"
    assert ticks["landing_page"] is None
    client.post(reverse("selection:next_steps", args=[world.project.slug]), {"item_key": "timelines_shared"})
    assert not world.project.selection_next_steps.exists()
    with pytest.raises(NotPermitted):
        services.next_step_set(
            actor=world.user("data_analyst"), project=world.project, item_key="landing_page", done=True
        )
