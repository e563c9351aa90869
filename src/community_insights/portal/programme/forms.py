from __future__ import annotations

from typing import Any

from crispy_forms_gds.layout import Field
from django import forms

from community_insights.portal.core.forms import BaseForm


class ProgrammeForm(BaseForm):
    class Layout:
        TITLE = "Change the landing page"
        SUBMIT_BUTTON_TEXT = "Save changes"

    name = forms.CharField(label="Programme name", max_length=200)
    introduction = forms.CharField(label="What it is", widget=forms.Textarea(attrs={"rows": 4}))
    how_to_take_part = forms.CharField(label="How to take part", widget=forms.Textarea(attrs={"rows": 4}))
    office_hours = forms.CharField(
        label="Office hours note",
        help_text="Shown on the landing page only while no office hours time is open to book.",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    contact_email = forms.EmailField(label="Contact email address (optional)", required=False)

    def get_layout_fields(self) -> list[Any]:
        return [
            Field.text("name"),
            Field.textarea("introduction"),
            Field.textarea("how_to_take_part"),
            Field.textarea("office_hours"),
            Field.text("contact_email", spellcheck="false"),
        ]
