"""Forms of the Phase 3 area: shape of input only; rules live in ``services.py``."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms

from community_insights.portal.core.forms import BaseForm
from community_insights.portal.solutions.models import ResearchPlan, SolutionOption
from community_insights.portal.solutions.selectors import SkillNeed, solution_kind_choices


def _area(label: str, *, hint: str = "", required: bool = True, rows: int = 4, error: str = "") -> forms.CharField:
    """A text area; its empty-field sentence is ``error`` or "Enter the <label>"."""
    field = forms.CharField(
        label=label, help_text=hint, required=required, max_length=10000, widget=forms.Textarea(attrs={"rows": rows})
    )
    field.error_messages["required"] = error or f"Enter the {label.lower()}"
    return field


def _line(label: str, *, hint: str = "", error: str = "") -> forms.CharField:
    field = forms.CharField(label=label, help_text=hint, max_length=200)
    field.error_messages["required"] = error or f"Enter the {label.lower()}"
    return field


def _count(label: str, *, most: int) -> forms.IntegerField:
    """A number of people from 1 to ``most``, with GOV.UK sentences for each way it can be wrong."""
    return forms.IntegerField(
        label=label,
        min_value=1,
        max_value=most,
        widget=forms.NumberInput(attrs={"class": "govuk-input--width-4"}),
        error_messages={
            "required": f"Enter {label[0].lower()}{label[1:]}",
            "invalid": f"{label} must be a whole number, like 3",
            "min_value": f"{label} must be 1 or more",
            "max_value": f"{label} must be {most} or fewer",
        },
    )


class SimilarWorkForm(BaseForm):
    class Layout:
        TITLE = "Add similar work"
        SUBMIT_BUTTON_TEXT = "Add similar work"

    title = _line("Title of the work", hint="For example, Food insecurity risk index")
    organisation = _line("Council or organisation that did it", error="Enter the council or organisation that did it")
    url = forms.URLField(
        label="Link (optional)",
        required=False,
        max_length=500,
        assume_scheme="https",
        error_messages={"invalid": "Enter a link in the right format, like https://www.example.org/report"},
    )
    notes = _area("Notes (optional)", hint="What they did and what they found.", required=False)
    reusable = _area(
        "What we can reuse (optional)",
        hint="An approach, a way of presenting the data, a chart, code or a contact.",
        required=False,
    )


class ResearchPlanForm(BaseForm):
    class Layout:
        TITLE = "Research plan"
        SUBMIT_BUTTON_TEXT = "Save the plan"

    participants = _area(
        "Who we will talk to",
        hint="For example, parents who have used a food bank this year.",
        error="Enter who you will talk to",
    )
    how_many = _count("How many people", most=500)
    format = forms.ChoiceField(
        label="1-1 or group interviews",
        choices=ResearchPlan.Format.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose 1-1 interviews, group interviews or both"},
    )
    consent_wording = _area(
        "Consent wording", hint="What you will read to each participant before you start, and how notes are kept."
    )
    questions = _area("Questions", hint="One question a line.", rows=6)
    research_lead: forms.ModelChoiceField = forms.ModelChoiceField(
        label="Research lead (optional)",
        help_text="Leads the sessions and, with the information rights expert, is the only one who reads raw notes.",
        queryset=None,
        required=False,
        empty_label="Choose someone on the team",
    )

    def __init__(self, *args: Any, team: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["research_lead"].queryset = team  # type: ignore[attr-defined]


class ResearchSessionForm(BaseForm):
    class Layout:
        TITLE = "Log a research session"
        SUBMIT_BUTTON_TEXT = "Log the session"

    held_on = forms.DateField(
        label="Date the session was held",
        help_text="For example, 27 3 2026 or 2026-03-27",
        input_formats=["%Y-%m-%d", "%d %m %Y", "%d/%m/%Y"],
        error_messages={"required": "Enter the date the session was held", "invalid": "Enter a real date"},
    )
    format = forms.ChoiceField(
        label="Kind of session",
        choices=ResearchPlan.Format.choices[:2],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose a 1-1 interview or a group"},
    )
    participant_count = _count("How many took part", most=100)
    notes = _area(
        "Notes",
        hint="Sealed once saved: only the research lead and the information rights expert can read them again.",
        rows=8,
    )
    themes = _area(
        "Themes", hint="What came up, for the wider team. Names, phone numbers and other personal data are removed."
    )
    quotes = _area(
        "Quotes (optional)", hint="One quote a line. Personal data is removed before they are stored.", required=False
    )


class ConsentForm(BaseForm):
    class Layout:
        TITLE = "Consent"
        SUBMIT_BUTTON_TEXT = "Save consent"

    given = forms.MultipleChoiceField(
        label="Who gave consent",
        help_text="Participants are numbered, never named. Select everyone who agreed after hearing the wording.",
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(self, *args: Any, participants: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["given"].choices = [(str(n), f"Participant {n}") for n in range(1, participants + 1)]  # type: ignore[attr-defined]


class OptionForm(BaseForm):
    class Layout:
        TITLE = "Add a solution option"
        SUBMIT_BUTTON_TEXT = "Add the option"

    title = _line("Name of the option", hint="For example, Map of food bank use by ward")
    audience = _area("Audience", hint="Who it is for, and how they will use the insight.")
    narrative = _area("Narrative", hint="What the solution should tell them.")
    action = _area(
        "What would we need to see on a screen to enable the action?",
        error="Enter what you would need to see on a screen",
    )
    datasets_used = _area("Datasets it uses", error="Enter the datasets it uses")
    gaps = _area("Gaps in the data (optional)", required=False)
    caveats = _area(
        "Caveats from the data safety check (optional)",
        hint="For example, you won't be able to put this statistic in a funding application because …",
        required=False,
    )
    kinds = forms.MultipleChoiceField(
        label="What the solution does",
        help_text="From the guide's Step 4 table; each needs its own skills. Select all that apply.",
        choices=solution_kind_choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )


class EstimatesForm(BaseForm):
    """One number of days per skill the option needs."""

    class Layout:
        TITLE = "Estimate the days"
        SUBMIT_BUTTON_TEXT = "Save estimates"

    def __init__(self, *args: Any, needs: list[SkillNeed], **kwargs: Any) -> None:
        self.base_fields = {  # type: ignore[misc]
            f"days_{n.skill.key}": forms.DecimalField(
                label=f"Days of: {n.skill.name}",
                required=False,
                min_value=Decimal("0.5"),
                max_value=Decimal(365),
                decimal_places=1,
                widget=forms.NumberInput(attrs={"class": "govuk-input--width-4", "step": "0.5"}),
                error_messages={
                    "invalid": "Days must be a number, like 4 or 2.5",
                    "min_value": "Days must be 0.5 or more",
                    "max_value": "Days must be 365 or fewer",
                    "max_decimal_places": "Days can have one decimal place, like 2.5",
                },
            )
            for n in needs
        }
        super().__init__(*args, **kwargs)

    def days(self) -> dict[str, Decimal | None]:
        return {name.removeprefix("days_"): value for name, value in self.cleaned_data.items()}


class ScoreForm(BaseForm):
    class Layout:
        TITLE = "Score this option"
        SUBMIT_BUTTON_TEXT = "Save my score"

    score = forms.TypedChoiceField(
        label="How well would it help answer the project's question?",
        choices=[
            (str(n), f"{n}{' – not at all' if n == 1 else ' – very well' if n == 5 else ''}") for n in range(1, 6)
        ],
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose a score from 1 to 5"},
    )
    comment = _area("Comment (optional)", required=False, rows=3)


class ChooseForm(BaseForm):
    class Layout:
        TITLE = "Choose the option to take forward"
        SUBMIT_BUTTON_TEXT = "Record the choice"

    option: forms.ModelChoiceField = forms.ModelChoiceField(
        label="Option",
        queryset=SolutionOption.objects.none(),
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={"required": "Choose the option to take forward"},
    )
    reasons = _area("Reasons", hint="The team is emailed these.")

    def __init__(self, *args: Any, options: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["option"].queryset = options  # type: ignore[attr-defined]


class FinalCheckAnswerForm(BaseForm):
    """A person's answer to one final check; the title is the question itself."""

    class Layout:
        TITLE = "Final check"
        SUBMIT_BUTTON_TEXT = "Save the answer"

    answer = forms.ChoiceField(
        label="Your answer",
        choices=[("yes", "Yes"), ("no", "No")],
        widget=forms.RadioSelect,
        error_messages={"required": "Answer yes or no"},
    )
    note = _area("What you tried and what happened", error="Say what you tried and what happened", rows=3)

    def __init__(self, *args: Any, question: Any, **kwargs: Any) -> None:
        # The question is this form's title: set on the instance, never on the shared class.
        self.Layout = type("Layout", (), {"TITLE": question.text, "SUBMIT_BUTTON_TEXT": "Save the answer"})  # type: ignore[misc,assignment]
        super().__init__(*args, **kwargs)
        self.fields["answer"].help_text = question.hint


class WorkshopForm(BaseForm):
    """A testing workshop: when, where, what is shown and who is invited."""

    class Layout:
        TITLE = "Schedule a testing workshop"
        SUBMIT_BUTTON_TEXT = "Schedule and invite"

    title = _line("Title", hint="For example, Testing the ward map with school staff", error="Enter the title")
    date = forms.DateField(
        label="Date",
        help_text="For example, 27 3 2026 or 2026-03-27",
        input_formats=["%Y-%m-%d", "%d %m %Y", "%d/%m/%Y"],
        error_messages={"required": "Enter the date", "invalid": "Enter a real date"},
    )
    start_time = forms.TimeField(
        label="Starts at",
        help_text="For example, 14:00",
        error_messages={"required": "Enter when it starts", "invalid": "Enter a time like 14:00"},
    )
    end_time = forms.TimeField(
        label="Ends at",
        help_text="For example, 15:30",
        error_messages={"required": "Enter when it ends", "invalid": "Enter a time like 15:30"},
    )
    location = _line("Where", hint="A room, or a link to the video call.", error="Enter where the workshop is")
    versions: forms.ModelMultipleChoiceField = forms.ModelMultipleChoiceField(
        label="Output versions to show",
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    attendees: forms.ModelMultipleChoiceField = forms.ModelMultipleChoiceField(
        label="Who to invite from the team",
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    guests = _area(
        "Guests from outside the team (optional)",
        hint="Email addresses, one a line: the people who will use the solution.",
        required=False,
        rows=3,
    )

    def __init__(self, *args: Any, versions: Any, team: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["versions"].queryset = versions  # type: ignore[attr-defined]
        self.fields["versions"].label_from_instance = lambda v: f"{v.title}, version {v.number}"  # type: ignore[attr-defined]
        self.fields["attendees"].queryset = team  # type: ignore[attr-defined]


class FeedbackForm(BaseForm):
    class Layout:
        TITLE = "Record feedback"
        SUBMIT_BUTTON_TEXT = "Record the feedback"

    version: forms.ModelChoiceField = forms.ModelChoiceField(
        label="Which output version is it about?",
        queryset=None,
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={"required": "Choose the output version it is about"},
    )
    kind = forms.ChoiceField(
        label="Kind of feedback",
        choices=[
            ("substantive", "Substantive: how well the data answers the project's question"),
            ("accessibility", "Accessibility: whether people could open, read and use it"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose substantive or accessibility"},
    )
    text = _area("Feedback", hint="Names, phone numbers and other personal data are removed before it is stored.")
    used_differently = forms.BooleanField(
        label="This shows the output will be used differently than we planned (information rights will be told)",
        required=False,
    )

    def __init__(self, *args: Any, versions: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["version"].queryset = versions  # type: ignore[attr-defined]
        self.fields["version"].label_from_instance = lambda v: f"{v.title}, version {v.number}"  # type: ignore[attr-defined]


class FeedbackCloseForm(BaseForm):
    class Layout:
        TITLE = "Close this feedback"
        SUBMIT_BUTTON_TEXT = "Close the feedback"

    new_version: forms.ModelChoiceField = forms.ModelChoiceField(
        label="The new version that answers it",
        queryset=None,
        required=False,
        empty_label="No new version: give a reason instead",
    )
    reason = _area("Or the reason it needs no change", required=False, rows=3)

    def __init__(self, *args: Any, newer: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["new_version"].queryset = newer  # type: ignore[attr-defined]
        self.fields["new_version"].label_from_instance = lambda v: f"Version {v.number}"  # type: ignore[attr-defined]


class AcknowledgeForm(BaseForm):
    class Layout:
        TITLE = "Acknowledge a change in how the output will be used"
        SUBMIT_BUTTON_TEXT = "Acknowledge"

    acknowledgement = _area(
        "What information rights will do about it",
        hint="Any concerns, conditions, or why it is fine.",
        error="Say what you will do about it, or why it is fine",
    )


class SketchForm(BaseForm):
    """A sketch: a picture of it, or an output of the project that shows it."""

    class Layout:
        TITLE = "Add a sketch"
        SUBMIT_BUTTON_TEXT = "Save the sketch"

    image = forms.FileField(
        label="A picture of the sketch (optional)",
        help_text="A photo of a whiteboard or a drawing: PNG, JPEG, GIF or WebP, smaller than 2 MB.",
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/png,image/jpeg,image/gif,image/webp"}),
    )
    alt_text = _area(
        "What the picture shows (needed with a picture)",
        hint="For people who cannot see it: for example, a ward map with the three wards of most need shaded.",
        required=False,
        rows=3,
    )
    output: forms.ModelChoiceField = forms.ModelChoiceField(
        label="Or an output of the project that shows it",
        queryset=None,
        required=False,
        empty_label="No output: I am uploading a picture",
    )

    def __init__(self, *args: Any, outputs: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["output"].queryset = outputs  # type: ignore[attr-defined]


class SimilarWorkEditForm(SimilarWorkForm):
    """The same questions as adding; its own Layout so the add page keeps its title."""

    class Layout:
        TITLE = "Change similar work"
        SUBMIT_BUTTON_TEXT = "Save changes"


class OptionEditForm(OptionForm):
    class Layout:
        TITLE = "Change the solution option"
        SUBMIT_BUTTON_TEXT = "Save changes"
