"""Demo reflections on the digital exclusion project (Phase 4): three survey answers, one anonymous, and a board."""

from __future__ import annotations

from typing import Any

from community_insights.portal.reflections import services
from community_insights.portal.reflections.models import RetroCard, SurveyResponse

# person key, anonymous, safety checks, answers
ANSWERS: list[tuple[str, bool, str, dict[str, str]]] = [
    (
        "facilitator",
        False,
        "more",
        {
            "sharing_mechanisms": "The portal's upload with the data safety check, then the secure workspace.",
            "new_relationships": "The library service and Age Well now meet monthly about digital help sessions.",
            "selection_worked": "Yes. Scoring against the criteria made the panel's choice easy to explain.",
        },
    ),
    (
        "age_well_lead",
        True,
        "more",
        {
            "data_sources": "The libraries' computer booking logs were a surprise: they showed who keeps coming back.",
            "dpia_surprises": "We had not thought that a small ward plus an age band could point at one person.",
        },
    ),
    (
        "analyst_2",
        False,
        "same",
        {"effective_relationships": "Pairing the council analyst with Age Well's volunteer coordinator."},
    ),
]

CARDS = [
    ("delivery_lead", RetroCard.Column.WORKED, "Fortnightly calls kept everyone on the same page.", False),
    ("age_well_lead", RetroCard.Column.CHANGE, "Ask older residents to test the map before it is published.", True),
    ("facilitator", RetroCard.Column.GUIDE, "Run the data safety check before the DPIA is started, not after.", False),
]


def load(context: Any) -> None:
    project = context.projects["digital_exclusion"]
    for person, anonymous, safety, answers in ANSWERS:
        user = context.users[person]
        if not SurveyResponse.objects.filter(project=project, user=user).exists():
            services.survey_answer(actor=user, project=project, anonymous=anonymous, safety_checks=safety, **answers)
    if not RetroCard.objects.filter(project=project).exists():
        for person, column, text, anonymous in CARDS:
            services.card_add(
                actor=context.users[person], project=project, column=column, text=text, anonymous=anonymous
            )
