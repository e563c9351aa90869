"""Forms of the ideas area: shape of input only; the rules live in the ``services`` package."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any, ClassVar

from crispy_forms_gds.fields import DateInputField
from crispy_forms_gds.layout import Div, Fieldset, Size, Submit
from crispy_forms_gds.layout import Layout as CrispyLayout
from django import forms
from django.utils import timezone

from community_insights.portal.core.forms import BaseForm
from community_insights.portal.ideas import guide, spam
from community_insights.portal.ideas.models import Idea, InterestLead, OfficeHourSlot


def _text(label: str, *, max_length: int = 200, hint: str = "", required: bool = True, **kw: Any) -> forms.CharField:
    return forms.CharField(label=label, max_length=max_length, help_text=hint, required=required, **kw)


def _area(
    label: str, *, hint: str = "", required: bool = True, max_length: int = 5000, rows: int = 5
) -> forms.CharField:
    return forms.CharField(
        label=label,
        help_text=hint,
        required=required,
        max_length=max_length,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


def _email(hint: str) -> forms.EmailField:
    """An email address field whose errors say what to do, as GOV.UK asks."""
    return forms.EmailField(
        label="Email address",
        help_text=hint,
        error_messages={
            "required": "Enter your email address",
            "invalid": "Enter an email address in the correct format, like name@example.org",
        },
    )


class SpamProtectedForm(BaseForm):
    """A public form with a honeypot and a time-stamped token (see ``spam.py``)."""

    FORM_NAME: ClassVar[str] = "public"

    website = forms.CharField(
        label="Leave this field empty",
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )
    form_token = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.fields["form_token"].initial = spam.issue_token(self.FORM_NAME)
        self.fields[spam.HONEYPOT_FIELD].widget.attrs["tabindex"] = "-1"
        self.is_spam = False

    def own_fields(self) -> list[str]:
        return [f for f in self.fields if f not in (spam.HONEYPOT_FIELD, spam.TOKEN_FIELD)]

    def own_data(self) -> dict[str, Any]:
        """What the person typed, without the honeypot and the token: the service's arguments."""
        return {name: self.cleaned_data[name] for name in self.own_fields()}

    def get_layout_fields(self) -> list[Any]:
        return [
            *self.own_fields(),
            Div(spam.HONEYPOT_FIELD, css_class="govuk-visually-hidden", aria_hidden="true"),
            spam.TOKEN_FIELD,
        ]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get(spam.HONEYPOT_FIELD):
            self.is_spam = True
            return cleaned
        problem = spam.token_problem(cleaned.get(spam.TOKEN_FIELD) or "", self.FORM_NAME)
        if problem:
            raise forms.ValidationError(problem)
        return cleaned

    def fresh_token(self) -> None:
        """After an error, give the page a new token so the next try is judged from now."""
        data = self.data.copy()  # type: ignore[attr-defined]
        data[spam.TOKEN_FIELD] = spam.issue_token(self.FORM_NAME)
        self.data = data


class InterestForm(SpamProtectedForm):
    FORM_NAME = spam.INTEREST_FORM

    class Layout:
        TITLE = "Take part in Community Insights"
        SUBMIT_BUTTON_TEXT = "Send"

    name = _text("Your name", hint="So the facilitator knows who to ask for.")
    organisation_name = _text("Your organisation")
    email = _email("We only use this to reply to you.")
    interest = _area(
        "What would you like to know or explore?",
        hint="For example, a question about the people you support that data might help answer.",
        max_length=2000,
    )
    wants_office_hours = forms.BooleanField(
        label="I'd like an office hours conversation with the facilitator", required=False
    )

    REQUIRED_MESSAGES = {
        "name": "Enter your name",
        "organisation_name": "Enter the name of your organisation",
        "interest": "Tell us what you would like to know or explore",
    }


class BookingForm(SpamProtectedForm):
    FORM_NAME = spam.BOOKING_FORM

    class Layout:
        TITLE = "Book office hours"
        SUBMIT_BUTTON_TEXT = "Book this time"

    name = _text("Your name")
    organisation_name = _text("Your organisation")
    email = _email("We'll send the invitation and a reminder here.")
    idea = _area(
        "Your idea, in a few words",
        hint="A problem you face, or a question you'd like data to help answer. It's fine if it's not clear yet.",
        max_length=1000,
        rows=4,
    )

    REQUIRED_MESSAGES = {
        "name": "Enter your name",
        "organisation_name": "Enter the name of your organisation",
        "idea": "Tell us your idea in a few words",
    }


class ConfirmForm(BaseForm):
    """A button-only form for actions that need a POST (cancel, withdraw, remove)."""

    def __init__(self, *args: Any, button: str = "Confirm", warning: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        css = "govuk-button--warning" if warning else ""
        self.helper.layout = CrispyLayout(Submit("submit", button, css_class=css))


class NewsPostForm(BaseForm):
    class Layout:
        TITLE = "News post"
        SUBMIT_BUTTON_TEXT = "Save"

    title = _text("Title")
    summary = _text("Summary", max_length=300, hint="One or two sentences, shown in lists and the feed.")
    body = _area("Text", hint="Leave a blank line between paragraphs.", max_length=20000, rows=10)
    publish = forms.BooleanField(label="Publish now (show on the news page and in the feed)", required=False)

    REQUIRED_MESSAGES = {
        "title": "Enter a title",
        "summary": "Enter a summary",
        "body": "Enter the text",
    }


class LeadUpdateForm(BaseForm):
    class Layout:
        TITLE = "Follow up"
        SUBMIT_BUTTON_TEXT = "Save"

    status = forms.ChoiceField(label="Status", choices=InterestLead.Status.choices, widget=forms.RadioSelect)
    notes = _area("Notes", required=False, max_length=5000)

    REQUIRED_MESSAGES = {
        "status": "Choose a status",
    }


def _parse_time(value: str) -> time:
    cleaned = value.strip().lower().replace(".", ":")
    for fmt in ("%H:%M", "%I:%M%p", "%I%p", "%H"):
        try:
            return datetime.strptime(cleaned.replace(" ", ""), fmt).time()
        except ValueError:
            continue
    raise forms.ValidationError("Enter a time like 14:30 or 2:30pm")


class SlotForm(BaseForm):
    class Layout:
        TITLE = "Offer an office hours time"
        SUBMIT_BUTTON_TEXT = "Publish this time"

    date = DateInputField(label="Date", help_text="For example, 27 3 2026", require_all_fields=False)
    start_time = _text("Start time", max_length=10, hint="For example, 14:30 or 2:30pm")
    end_time = _text("End time", max_length=10, hint="For example, 15:00 or 3pm")
    mode = forms.ChoiceField(label="How will you meet?", choices=OfficeHourSlot.Mode.choices, widget=forms.RadioSelect)
    location = _text(
        "Where", max_length=300, hint="The address for in person, or the video call link for online conversations."
    )

    REQUIRED_MESSAGES = {
        "start_time": "Enter the start time",
        "end_time": "Enter the end time",
        "mode": "Choose online or in person",
        "location": "Enter the address or the video call link",
    }

    def get_layout_fields(self) -> list[Any]:
        return [
            Fieldset("date", legend="When", legend_size=Size.SMALL),
            "start_time",
            "end_time",
            "mode",
            "location",
        ]

    def clean_start_time(self) -> time:
        return _parse_time(self.cleaned_data["start_time"])

    def clean_end_time(self) -> time:
        return _parse_time(self.cleaned_data["end_time"])

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        day, start, end = cleaned.get("date"), cleaned.get("start_time"), cleaned.get("end_time")
        if day and start and end:
            tz = timezone.get_current_timezone()
            cleaned["starts_at"] = datetime.combine(day, start, tzinfo=tz)
            cleaned["ends_at"] = datetime.combine(day, end, tzinfo=tz)
        return cleaned


class BookingNotesForm(BaseForm):
    class Layout:
        TITLE = "Notes on the conversation"
        SUBMIT_BUTTON_TEXT = "Save notes"

    notes = _area("Notes", required=False, max_length=10000, rows=8, hint="What you talked about and next steps.")


class IdeaForm(BaseForm):
    class Layout:
        TITLE = "Put forward an idea"
        SUBMIT_BUTTON_TEXT = "Send idea"

    title = _text("A short name for your idea", hint="For example, Families missing out on free school meals")
    problem = _area("What is the problem?", hint="What are you seeing, and what don't you know?", max_length=5000)
    who_is_affected = _area("Who is affected?", hint="Which residents, and which services or organisations.")
    decision_informed = _area(
        "What decision would the insight inform?",
        hint="What would you or others do differently if you knew the answer?",
    )

    REQUIRED_MESSAGES = {
        "title": "Enter a short name for your idea",
        "problem": "Describe the problem",
        "who_is_affected": "Say who is affected",
        "decision_informed": "Say what decision the insight would inform",
    }


class IdeaShapeForm(BaseForm):
    class Layout:
        TITLE = "Shape the question"
        SUBMIT_BUTTON_TEXT = "Save question"

    title = _text("Name of the idea")
    question = _area(
        "The question",
        hint="A question a project could answer: WHO could do WHAT differently if they had better information?",
        max_length=2000,
        rows=3,
    )

    REQUIRED_MESSAGES = {
        "title": "Enter a name for the idea",
        "question": "Enter the question",
    }


class IdeaStatusForm(BaseForm):
    class Layout:
        TITLE = "Change the status"
        SUBMIT_BUTTON_TEXT = "Change status"

    status = forms.ChoiceField(label="New status", widget=forms.RadioSelect)
    reason = _area(
        "Reason (if not taken forward)",
        required=False,
        hint="The proposer sees this, so write it for them.",
        max_length=2000,
        rows=3,
    )

    REQUIRED_MESSAGES = {"status": "Choose the new status"}

    def __init__(self, *args: Any, choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = choices  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("status") == Idea.Status.NOT_TAKEN_FORWARD and not cleaned.get("reason", "").strip():
            self.add_error("reason", "Enter the reason the idea is not being taken forward")
        return cleaned


# How long a scoping session lasts, in minutes: the facilitator chooses, and the calendar entry ends then.
SESSION_LENGTHS = [
    (30, "30 minutes"),
    (60, "1 hour"),
    (90, "1 hour 30 minutes"),
    (120, "2 hours"),
    (150, "2 hours 30 minutes"),
    (180, "3 hours"),
    (240, "4 hours"),
]


class ScopingSessionForm(BaseForm):
    class Layout:
        TITLE = "Plan a scoping session"
        SUBMIT_BUTTON_TEXT = "Plan session"

    date = DateInputField(label="Date", help_text="For example, 27 3 2026", require_all_fields=False)
    start_time = _text("Start time", max_length=10, hint="For example, 10:00")
    duration = forms.TypedChoiceField(
        label="How long",
        choices=SESSION_LENGTHS,
        coerce=int,
        initial=90,
        help_text="Invitations and calendar entries say when the session ends.",
    )
    location = _text("Where", max_length=300, hint="A room, or a video call link.")

    REQUIRED_MESSAGES = {
        "start_time": "Enter the start time",
        "duration": "Choose how long the session lasts",
        "location": "Enter where the session is",
    }

    def get_layout_fields(self) -> list[Any]:
        return [Fieldset("date", legend="When", legend_size=Size.SMALL), "start_time", "duration", "location"]

    def clean_start_time(self) -> time:
        return _parse_time(self.cleaned_data["start_time"])

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("date") and cleaned.get("start_time"):
            cleaned["starts_at"] = datetime.combine(
                cleaned["date"], cleaned["start_time"], tzinfo=timezone.get_current_timezone()
            )
            if cleaned.get("duration"):
                cleaned["ends_at"] = cleaned["starts_at"] + timedelta(minutes=cleaned["duration"])
        return cleaned


class AttendeeForm(BaseForm):
    class Layout:
        TITLE = "Add someone to the session"
        SUBMIT_BUTTON_TEXT = "Add"

    role = forms.ChoiceField(label="Role in the session", widget=forms.RadioSelect)
    user: forms.ModelChoiceField = forms.ModelChoiceField(
        label="Person with an account", queryset=None, required=False, empty_label="Choose a person"
    )
    name = _text("Or their name, if they have no account", required=False)

    REQUIRED_MESSAGES = {"role": "Choose the person's role in the session"}

    def __init__(self, *args: Any, users: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = guide.attendee_role_choices()  # type: ignore[attr-defined]
        self.fields["user"].queryset = users  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not cleaned.get("user") and not (cleaned.get("name") or "").strip() and "user" not in self.errors:
            self.add_error("user", "Choose a person or enter their name")
        return cleaned


class AgendaNoteForm(BaseForm):
    class Layout:
        TITLE = ""
        SUBMIT_BUTTON_TEXT = "Save notes"

    notes = _area("Notes", required=False, max_length=10000, rows=5)
    is_done = forms.BooleanField(label="We have covered this", required=False)


class DataNeedForm(BaseForm):
    class Layout:
        TITLE = "Data we might need"
        SUBMIT_BUTTON_TEXT = "Add source"

    source_category = forms.ChoiceField(label="Where would it come from?", widget=forms.RadioSelect)
    description = _text("What data", max_length=300, hint="For example, Food bank referral spreadsheet")
    held_by = _text("Who holds it (optional)", required=False)
    catalogue_key = forms.ChoiceField(label="Public dataset from the catalogue (optional)", required=False)

    REQUIRED_MESSAGES = {"source_category": "Choose where the data would come from", "description": "Describe the data"}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["source_category"].choices = guide.source_category_choices()  # type: ignore[attr-defined]
        self.fields["catalogue_key"].choices = [("", "None"), *[(d.key, d.name) for d in guide.public_datasets()]]  # type: ignore[attr-defined]
