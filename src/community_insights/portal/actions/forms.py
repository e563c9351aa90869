"""Forms of the insights to actions area (shape only; the rules are in services)."""

from __future__ import annotations

from datetime import datetime, time
from typing import Any

from crispy_forms_gds.fields import DateInputField
from crispy_forms_gds.layout import Field, Fieldset, Size
from django import forms
from django.utils import timezone

from community_insights.portal.core.forms import BaseForm, text_area

TIME_FORMATS = ("%H:%M", "%I:%M%p", "%I%p", "%H")


def _time(value: str) -> time:
    cleaned = value.strip().lower().replace(".", ":").replace(" ", "")
    for fmt in TIME_FORMATS:
        try:
            return datetime.strptime(cleaned, fmt).time()
        except ValueError:
            continue
    raise forms.ValidationError("Enter a time like 14:30 or 2:30pm")


class MeetingForm(BaseForm):
    class Layout:
        TITLE = "Plan the insights to actions meeting"
        SUBMIT_BUTTON_TEXT = "Plan the meeting"

    REQUIRED_MESSAGES = {"start_time": "Enter the start time", "end_time": "Enter the end time"}

    date = DateInputField(label="Date", help_text="For example, 27 3 2026", require_all_fields=False)
    start_time = forms.CharField(label="Start time", max_length=10, help_text="For example, 14:30 or 2:30pm")
    end_time = forms.CharField(label="End time", max_length=10, help_text="For example, 16:00 or 4pm")
    place = forms.CharField(label="Place (if in person)", max_length=300, required=False)
    link = forms.URLField(label="Link to join (if online)", max_length=500, required=False, assume_scheme="https")
    agenda = text_area("Agenda (optional)", rows=4)

    def get_layout_fields(self) -> list[Any]:
        return [
            Fieldset("date", legend="When", legend_size=Size.SMALL),
            "start_time",
            "end_time",
            Field.text("place"),
            Field.text("link", spellcheck="false"),
            Field.textarea("agenda"),
        ]

    def clean_start_time(self) -> time:
        return _time(self.cleaned_data["start_time"])

    def clean_end_time(self) -> time:
        return _time(self.cleaned_data["end_time"])

    def meeting(self) -> dict[str, Any]:
        """The service's arguments: the day and times become the start and end in the portal's time zone."""
        data = self.cleaned_data
        tz = timezone.get_current_timezone()
        return {
            "starts_at": datetime.combine(data["date"], data["start_time"], tzinfo=tz),
            "ends_at": datetime.combine(data["date"], data["end_time"], tzinfo=tz),
            "place": data["place"],
            "link": data["link"],
            "agenda": data["agenda"],
        }


class AttendeeForm(BaseForm):
    class Layout:
        TITLE = "Invite someone to the meeting"
        SUBMIT_BUTTON_TEXT = "Send the invitation"

    REQUIRED_MESSAGES = {
        "name": "Enter the person's name",
        "email": "Enter the person's email address",
        "organisation": "Enter the organisation they come for",
    }

    name = forms.CharField(label="Name", max_length=200)
    email = forms.EmailField(label="Email address")
    organisation = forms.CharField(label="Organisation", max_length=200)
    intended_use = text_area(
        "How the organisation wants to use the insights (optional)",
        hint="Shown in the packet under the organisation's name.",
        rows=3,
    )

    def get_layout_fields(self) -> list[Any]:
        return [
            Field.text("name"),
            Field.text("email", spellcheck="false"),
            Field.text("organisation"),
            Field.textarea("intended_use"),
        ]


class PacketForm(BaseForm):
    class Layout:
        TITLE = "Write the packet"
        SUBMIT_BUTTON_TEXT = "Save the packet"

    REQUIRED_MESSAGES = {"insight": "Enter the insight in plain words", "caveats": "Enter the caveats"}

    insight = text_area("The insight, in plain words", required=True, rows=5)
    caveats = text_area(
        "Caveats", hint="What the insight may be used for, who it may be shared with, and its limits.", required=True
    )

    def get_layout_fields(self) -> list[Any]:
        return [Field.textarea("insight"), Field.textarea("caveats")]
