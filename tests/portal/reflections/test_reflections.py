"""Reflections: the survey once per core-team member, the board, and anonymity that holds for everyone."""

from __future__ import annotations

from typing import Any

import pytest

from community_insights.portal.core.exceptions import ApplicationError, NotPermitted
from community_insights.portal.core.models import AuditEntry
from community_insights.portal.reflections import selectors, services
from community_insights.portal.reflections.models import SurveyAnswer
from tests.portal.access import World

pytestmark = pytest.mark.django_db

SECRET = "The DPIA surprised me: nobody had asked the carers themselves."


def _answer(world: World, persona: str, *, anonymous: bool, **extra: str) -> SurveyAnswer:
    answers = {"dpia_surprises": SECRET if anonymous else "Nothing surprising.", "safety_checks": "more", **extra}
    return services.survey_answer(actor=world.user(persona), project=world.project, anonymous=anonymous, **answers)


def test_a_core_team_member_answers_once_and_the_summary_names_them(world: World) -> None:
    _answer(world, "delivery_lead", anonymous=False, sharing_mechanisms="A secure file transfer.")
    summary = selectors.survey_summary(project=world.project)
    assert summary.respondents == 1
    mechanisms = summary.questions[0]
    assert [(a.text, a.by) for a in mechanisms.answers] == [("A secure file transfer.", "Delivery Lead")]
    assert dict(summary.safety_checks)["More of them up front"] == 1
    with pytest.raises(ApplicationError, match="already answered"):
        _answer(world, "delivery_lead", anonymous=True)
    entry = AuditEntry.objects.get(action="reflections.survey_answer")
    assert entry.project_id == world.project.pk and entry.changes == {"anonymous": False}


def test_only_the_core_team_answers_and_an_empty_survey_is_refused(world: World) -> None:
    with pytest.raises(NotPermitted):
        _answer(world, "subject_matter_expert", anonymous=False)  # complementary team
    with pytest.raises(NotPermitted):
        _answer(world, "outsider", anonymous=False)
    with pytest.raises(ApplicationError, match="at least one"):
        services.survey_answer(
            actor=world.user("facilitator"), project=world.project, anonymous=False, safety_checks="same"
        )
    with pytest.raises(ApplicationError, match="safety checks"):
        _answer(world, "facilitator", anonymous=False, safety_checks="lots")


def test_an_anonymous_answer_names_nobody_not_even_to_programme_staff(world: World, client_for: Any) -> None:
    answer = _answer(world, "vcs_member_lead", anonymous=True)
    assert answer.author is None
    assert [(a.text, a.by) for a in selectors.survey_summary(project=world.project).questions[3].answers] == [
        (SECRET, "Anonymous")
    ]
    name = world.user("vcs_member_lead").get_full_name()
    for persona in ("staff", "facilitator", "vcs_member_lead"):
        page = client_for(persona).get(f"/reflections/projects/{world.project.slug}/")
        html = page.content.decode()
        assert page.status_code == 200 and SECRET in html
        assert name not in html and world.user("vcs_member_lead").email not in html
    # The audit log says that they answered, never which answer: its entry points at the project.
    entry = AuditEntry.objects.get(action="reflections.survey_answer")
    assert entry.target_type == "projects.project" and entry.changes == {"anonymous": True}
    assert SECRET not in str(entry.changes) and entry.target_label == str(world.project)


def test_cards_go_on_the_board_under_a_name_or_anonymously(world: World, client_for: Any) -> None:
    services.card_add(
        actor=world.user("subject_matter_expert"),
        project=world.project,
        column="worked",
        text="Weekly calls.",
        anonymous=False,
    )
    services.card_add(
        actor=world.user("data_analyst"),
        project=world.project,
        column="guide",
        text="Say who owns the DPIA.",
        anonymous=True,
    )
    board = dict(selectors.board(project=world.project))
    assert [(c.text, c.by) for c in board["What worked"]] == [("Weekly calls.", "Subject Matter Expert")]
    assert [(c.text, c.by) for c in board["What the guide should say next time"]] == [
        ("Say who owns the DPIA.", "Anonymous")
    ]
    with pytest.raises(NotPermitted):
        services.card_add(actor=world.user("staff"), project=world.project, column="worked", text="x", anonymous=False)
    with pytest.raises(ApplicationError):
        services.card_add(
            actor=world.user("facilitator"), project=world.project, column="worked", text="  ", anonymous=False
        )


def test_the_survey_page_sends_answers_and_shows_errors_in_plain_words(world: World, client_for: Any) -> None:
    client = client_for("facilitator")
    url = f"/reflections/projects/{world.project.slug}/survey/"
    refused = client.post(url, {"sharing_mechanisms": "Email."})
    assert refused.status_code == 200
    assert "Select whether you would do more or fewer safety checks up front" in refused.content.decode()
    sent = client.post(url, {"selection_worked": "Yes, the panel helped.", "safety_checks": "fewer", "anonymous": "on"})
    assert sent.status_code == 302
    page = client.get(f"/reflections/projects/{world.project.slug}/").content.decode()
    assert "Yes, the panel helped." in page and "Answer the survey" not in page
    assert SurveyAnswer.objects.get().author is None
