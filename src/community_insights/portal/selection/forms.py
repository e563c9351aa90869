"""Forms of the selection area: shape of input only; rules live in ``services.py``."""

from __future__ import annotations

from typing import Any

from django import forms

from community_insights.portal.core.forms import BaseForm, text_area
from community_insights.portal.selection import guide
from community_insights.portal.selection.models import Decision

_area = text_area


class PanelMemberForm(BaseForm):
    class Layout:
        TITLE = "Add a panel member"
        SUBMIT_BUTTON_TEXT = "Add to the panel"

    user: forms.ModelChoiceField = forms.ModelChoiceField(label="Person", queryset=None, empty_label="Choose a person")

    REQUIRED_MESSAGES = {"user": "Choose a person to add to the panel"}

    def __init__(self, *args: Any, users: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = users  # type: ignore[attr-defined]


class DataTypesForm(BaseForm):
    class Layout:
        TITLE = "Types of data"
        SUBMIT_BUTTON_TEXT = "Save types of data"

    data_types = forms.MultipleChoiceField(
        label="Which types of data would this project use?",
        help_text="Select all that apply.",
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["data_types"].choices = guide.data_type_choices()  # type: ignore[attr-defined]


class SkillCoverForm(BaseForm):
    class Layout:
        TITLE = "Who brings a skill"
        SUBMIT_BUTTON_TEXT = "Save"

    skill_key = forms.ChoiceField(label="Skill", widget=forms.RadioSelect)
    user: forms.ModelChoiceField = forms.ModelChoiceField(
        label="Person with an account", queryset=None, required=False, empty_label="Choose a person"
    )
    name = forms.CharField(label="Or a name, team or organisation", required=False, max_length=200)
    note = forms.CharField(
        label="Note (optional)", required=False, max_length=300, help_text="For example, 2 days a week from March"
    )

    REQUIRED_MESSAGES = {"skill_key": "Choose the skill"}

    def __init__(self, *args: Any, users: Any, skills: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["skill_key"].choices = skills  # type: ignore[attr-defined]
        self.fields["user"].queryset = users  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not cleaned.get("user") and not (cleaned.get("name") or "").strip():
            self.add_error("user", "Choose a person or enter a name")
        return cleaned


class EvaluationForm(BaseForm):
    class Layout:
        TITLE = "Evaluation summary"
        SUBMIT_BUTTON_TEXT = "Save"

    existing_work = _area("What work is already being done in this area", hint="Studies, services, other projects.")
    data_safety_findings = _area(
        "Data safety check findings",
        hint="Is any data special category or personally identifiable? Anything confidential? Are sharing agreements "
        "in place, or would a reduced version still be useful? Say which assumptions you are making.",
        rows=6,
    )
    skills_notes = _area(
        "Additional people and skills",
        hint="The gaps from the people and skills page, and how we might fill them.",
    )
    risks = _area("Risks", hint="What might make the project difficult, and dependencies outside our control.")
    share = forms.BooleanField(
        label="Share it now: email the panel and the project team a link to read it", required=False
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        texts = ("existing_work", "data_safety_findings", "skills_notes", "risks")
        if cleaned.get("share") and not any((cleaned.get(f) or "").strip() for f in texts):
            self.add_error("existing_work", "Write the summary before sharing it")
        if cleaned.get("share") and not (cleaned.get("data_safety_findings") or "").strip():
            self.add_error("data_safety_findings", "Enter the data safety check findings before sharing")
        return cleaned


class ScoreForm(BaseForm):
    """One radio group (1–5) and a comment per criterion of the guide."""

    class Layout:
        TITLE = "Score this project"
        SUBMIT_BUTTON_TEXT = "Save scores"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        low, high = guide.scale()
        self.criteria = guide.criteria()
        extra: dict[str, forms.Field] = {}
        for c in self.criteria:
            choices = [
                (str(v), f"{v}" + (f" – {c.low}" if v == low else f" – {c.high}" if v == high else ""))
                for v in range(low, high + 1)
            ]
            extra[f"score_{c.key}"] = forms.ChoiceField(
                label=c.question,
                choices=choices,
                widget=forms.RadioSelect,
                error_messages={"required": f"Choose a score for: {c.question}"},
            )
            extra[f"comment_{c.key}"] = forms.CharField(
                label=f"Comment on {c.key.replace('_', ' ')} (optional)",
                required=False,
                max_length=2000,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
        self.base_fields = {**extra}  # type: ignore[misc]
        super().__init__(*args, **kwargs)

    def get_layout_fields(self) -> list[Any]:
        return [name for c in self.criteria for name in (f"score_{c.key}", f"comment_{c.key}")]

    def scores(self) -> dict[str, tuple[int, str]]:
        return {
            c.key: (int(self.cleaned_data[f"score_{c.key}"]), self.cleaned_data.get(f"comment_{c.key}", ""))
            for c in self.criteria
        }


class DecisionForm(BaseForm):
    class Layout:
        TITLE = "Record the decision"
        SUBMIT_BUTTON_TEXT = "Record decision"

    outcome = forms.ChoiceField(label="Decision", choices=Decision.Outcome.choices, widget=forms.RadioSelect)
    reasons = _area(
        "Reasons",
        hint="The proposer receives these by email, so write them for them.",
        required=True,
        rows=5,
    )
    show_on_landing_page = forms.BooleanField(
        label="Show the project on the landing page if selected", required=False, initial=True
    )

    REQUIRED_MESSAGES = {
        "outcome": "Choose selected or not taken forward",
        "reasons": "Enter the reasons for the decision",
    }


class NextStepForm(BaseForm):
    class Layout:
        TITLE = ""
        SUBMIT_BUTTON_TEXT = "Save"

    item_key = forms.CharField(widget=forms.HiddenInput)
    done = forms.BooleanField(required=False, label="Done")
    note = forms.CharField(required=False, max_length=500, label="Note (optional)")
