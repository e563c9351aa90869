"""Writes of the reflections area: answer the survey once, add a card to the board.

Each checks the named rule, writes, and records an audit entry whose target is the *project*, not
the answer or card: an entry pointing at an anonymous answer would tell anyone who reads the audit
log who wrote it.
"""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from community_insights.portal.core import audit
from community_insights.portal.core.exceptions import ApplicationError, NotPermitted
from community_insights.portal.projects.models import Project
from community_insights.portal.reflections.models import RetroCard, SafetyChecks, SurveyAnswer, SurveyResponse
from community_insights.portal.reflections.permissions import can_add_card, can_answer_survey
from community_insights.portal.reflections.questions import QUESTIONS


@transaction.atomic
def survey_answer(
    *, actor: Any, project: Project, anonymous: bool, safety_checks: str, safety_checks_why: str = "", **answers: str
) -> SurveyAnswer:
    """Record one core-team member's answers; anonymous answers keep no link to the person at all."""
    if not can_answer_survey(actor, project):
        raise NotPermitted("Only the project's core team answer the reflections survey.")
    if safety_checks not in SafetyChecks.values:
        raise ApplicationError(
            "Select whether you would do more or fewer safety checks up front.", field="safety_checks"
        )
    texts = {q.field: answers.get(q.field, "").strip() for q in QUESTIONS}
    if not any(texts.values()):
        raise ApplicationError("Answer at least one of the questions.", field=QUESTIONS[0].field)
    try:
        with transaction.atomic():
            SurveyResponse.objects.create(project=project, user=actor)
    except IntegrityError:
        raise ApplicationError("You have already answered the survey for this project.") from None
    answer = SurveyAnswer(
        project=project,
        author=None if anonymous else actor,
        given_on=timezone.localdate(),
        safety_checks=safety_checks,
        safety_checks_why=safety_checks_why.strip(),
        **texts,
    )
    answer.full_clean()
    answer.save()
    audit.record(actor=actor, action="reflections.survey_answer", target=project, changes={"anonymous": anonymous})
    return answer


@transaction.atomic
def card_add(*, actor: Any, project: Project, column: str, text: str, anonymous: bool) -> RetroCard:
    """Put a card on the retrospective board, under the person's name unless they choose not to."""
    if not can_add_card(actor, project):
        raise NotPermitted("Only the project team add to the retrospective board.")
    if not text.strip():
        raise ApplicationError("Enter what the card says.", field="text")
    card = RetroCard(
        project=project,
        column=column,
        text=text.strip(),
        author=None if anonymous else actor,
        given_on=timezone.localdate(),
    )
    card.full_clean()
    card.save()
    audit.record(
        actor=actor, action="reflections.card_add", target=project, changes={"column": column, "anonymous": anonymous}
    )
    return card
