"""Forms of the reflections area: the survey and a card for the board (shape only; rules are in services)."""

from __future__ import annotations

from typing import Any

from crispy_forms_gds.layout import Field, Size
from django import forms

from community_insights.portal.core.forms import BaseForm, text_area
from community_insights.portal.reflections.models import RetroCard, SafetyChecks
from community_insights.portal.reflections.questions import QUESTIONS, SAFETY_CHECKS_QUESTION

ANONYMOUS_HINT = (
    "If you choose this, your answers are kept without your name: nobody, including programme staff, "
    "can see they are yours, and you cannot change them later."
)


class SurveyForm(BaseForm):
    class Layout:
        TITLE = "Reflections survey"
        SUBMIT_BUTTON_TEXT = "Send my answers"

    REQUIRED_MESSAGES = {"safety_checks": "Select whether you would do more or fewer safety checks up front"}

    safety_checks = forms.ChoiceField(
        label=SAFETY_CHECKS_QUESTION, choices=SafetyChecks.choices, widget=forms.RadioSelect
    )
    safety_checks_why = text_area("Why? (optional)", rows=3)
    anonymous = forms.BooleanField(
        label="Do not show my name with my answers", help_text=ANONYMOUS_HINT, required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        for q in QUESTIONS:
            self.base_fields[q.field] = text_area(q.text, rows=3)
        super().__init__(*args, **kwargs)

    def get_layout_fields(self) -> list[Any]:
        return [
            *(Field.textarea(q.field) for q in QUESTIONS),
            Field.radios("safety_checks", legend_size=Size.SMALL),
            Field.textarea("safety_checks_why"),
            Field.checkbox("anonymous"),
        ]


class CardForm(BaseForm):
    class Layout:
        TITLE = "Add a card to the board"
        SUBMIT_BUTTON_TEXT = "Add the card"

    REQUIRED_MESSAGES = {"column": "Select where the card goes", "text": "Enter what the card says"}

    column = forms.ChoiceField(label="Where it goes", choices=RetroCard.Column.choices, widget=forms.RadioSelect)
    text = text_area("What the card says", required=True, rows=3)
    anonymous = forms.BooleanField(label="Do not show my name on the card", required=False)

    def get_layout_fields(self) -> list[Any]:
        return [Field.radios("column", legend_size=Size.SMALL), Field.textarea("text"), Field.checkbox("anonymous")]
