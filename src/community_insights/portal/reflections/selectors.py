"""Reads of the reflections area: the team's summary of the survey and the board.

The summary gives each answer with its author's name, or "Anonymous" when the author chose not to
be named; there is no author to find for those, for the team or for programme staff.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from community_insights.portal.projects.membership import project_get_for_user
from community_insights.portal.projects.models import Project
from community_insights.portal.reflections.models import RetroCard, SafetyChecks, SurveyAnswer, SurveyResponse
from community_insights.portal.reflections.permissions import can_view_reflections
from community_insights.portal.reflections.questions import QUESTIONS

ANONYMOUS = "Anonymous"


@dataclass(frozen=True)
class Said:
    """One answer or card as the team reads it: the words and who said them (or "Anonymous")."""

    text: str
    by: str
    card_id: int | None = None  # a card can prompt a change to the guide


@dataclass(frozen=True)
class QuestionSummary:
    text: str
    answers: list[Said]


@dataclass(frozen=True)
class Summary:
    respondents: int
    questions: list[QuestionSummary]
    safety_checks: list[tuple[str, int]]
    safety_checks_why: list[Said]


def project_get(*, user: Any, slug: str) -> Project:
    return project_get_for_user(user=user, slug=slug, rule=can_view_reflections)


def _by(author: Any) -> str:
    return author.get_full_name() if author is not None else ANONYMOUS


def has_answered(*, user: Any, project: Project) -> bool:
    return SurveyResponse.objects.filter(project=project, user=user).exists()


def survey_summary(*, project: Project) -> Summary:
    """Every answer to each question, then how many would do more, the same or fewer safety checks."""
    answers = list(SurveyAnswer.objects.filter(project=project).select_related("author"))
    questions = [
        QuestionSummary(q.text, [Said(getattr(a, q.field), _by(a.author)) for a in answers if getattr(a, q.field)])
        for q in QUESTIONS
    ]
    counts = Counter(a.safety_checks for a in answers)
    return Summary(
        respondents=len(answers),
        questions=questions,
        safety_checks=[(label, counts[value]) for value, label in SafetyChecks.choices],
        safety_checks_why=[Said(a.safety_checks_why, _by(a.author)) for a in answers if a.safety_checks_why],
    )


def board(*, project: Project) -> list[tuple[str, list[Said]]]:
    """The retrospective board's three columns with their cards."""
    cards = list(RetroCard.objects.filter(project=project).select_related("author"))
    return [
        (label, [Said(c.text, _by(c.author), c.pk) for c in cards if c.column == value])
        for value, label in RetroCard.Column.choices
    ]
