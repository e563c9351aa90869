"""Forms of the projects area: they check the shape of input; services apply the rules."""

from __future__ import annotations

from typing import Any

from crispy_forms_gds.layout import Field
from django import forms

from community_insights.portal.core.forms import BaseForm, FieldsetForm
from community_insights.portal.people.models import Organisation, User
from community_insights.portal.people.roles import role_choices
from community_insights.portal.people.selectors import organisations_here
from community_insights.portal.programme.current import current_programme_id, people_of


def _details_layout() -> list[Any]:
    """The project's details, laid out the same when it is started and when it is changed."""
    return [
        Field.text("title"),
        Field.textarea("question"),
        Field.textarea("summary"),
        Field.select("lead_organisation"),
    ]


class ProjectForm(BaseForm):
    class Layout:
        TITLE = "Start a project"
        SUBMIT_BUTTON_TEXT = "Start project"

    title = forms.CharField(label="Project title", max_length=200)
    question = forms.CharField(
        label="The question the project is trying to answer",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For example: where are families struggling to afford food, and who is not reaching support?",
    )
    summary = forms.CharField(label="Summary (optional)", required=False, widget=forms.Textarea(attrs={"rows": 4}))
    lead_organisation = forms.ModelChoiceField(
        label="Lead organisation (optional)",
        queryset=Organisation.objects.none(),
        required=False,
        empty_label="Not decided yet",
    )
    creator_role = forms.ChoiceField(
        label="Your role on this project",
        choices=lambda: [("", "No role (programme staff only)"), *role_choices()],
        required=False,
        initial="delivery_lead",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["lead_organisation"].queryset = organisations_here().order_by("name")  # type: ignore[attr-defined]

    def get_layout_fields(self) -> list[Any]:
        return [*_details_layout(), Field.select("creator_role")]


class ProjectEditForm(ProjectForm):
    class Layout:
        TITLE = "Change the project's details"
        SUBMIT_BUTTON_TEXT = "Save changes"

    is_public = forms.BooleanField(label="Show this project on the public landing page", required=False)
    is_selected = forms.BooleanField(label="The core team has selected this project", required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["creator_role"]

    def get_layout_fields(self) -> list[Any]:
        return [*_details_layout(), Field.checkbox("is_selected"), Field.checkbox("is_public")]


class RoleAssignForm(BaseForm):
    class Layout:
        TITLE = "Add someone to the team"
        SUBMIT_BUTTON_TEXT = "Add to team"

    user = forms.ModelChoiceField(label="Person", queryset=User.objects.none(), empty_label="Choose a person")
    role = forms.ChoiceField(label="Role", choices=lambda: [("", "Choose a role"), *role_choices()])
    planned_days = forms.DecimalField(
        label="Days planned (optional)",
        required=False,
        min_value=0,
        max_value=365,
        decimal_places=1,
        help_text="The guide's range for each role is shown on the team page.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = (  # type: ignore[attr-defined]
            User.objects.filter(is_active=True)
            .filter(people_of(current_programme_id()))
            .distinct()
            .select_related("organisation")
            .order_by("full_name", "email")
        )
        self.fields["user"].label_from_instance = (  # type: ignore[attr-defined]
            lambda u: f"{u.get_full_name()} ({u.organisation})" if u.organisation else u.get_full_name()
        )

    def get_layout_fields(self) -> list[Any]:
        return [Field.select("user"), Field.select("role"), Field.text("planned_days", field_width=5)]


class PlannedDaysForm(FieldsetForm):
    class Layout:
        TITLE = "Days planned"
        SUBMIT_BUTTON_TEXT = "Save"

    planned_days = forms.DecimalField(
        label="Days planned", required=False, min_value=0, max_value=365, decimal_places=1
    )

    def get_layout_fields(self) -> list[Any]:
        return [Field.text("planned_days", field_width=5)]


class ChecklistItemForm(BaseForm):
    class Layout:
        TITLE = ""
        SUBMIT_BUTTON_TEXT = "Mark as done"

    note = forms.CharField(
        label="Note (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="How you achieved it, or where to find the evidence. Do not include personal details.",
    )

    def get_layout_fields(self) -> list[Any]:
        return [Field.textarea("note")]


class AdvancePhaseForm(BaseForm):
    class Layout:
        TITLE = ""
        SUBMIT_BUTTON_TEXT = "Move to the next phase"

    confirm_incomplete = forms.BooleanField(label="Move on even though some items are not ticked", required=False)

    def __init__(self, *args: Any, incomplete: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not incomplete:
            del self.fields["confirm_incomplete"]

    def get_layout_fields(self) -> list[Any]:
        return [Field.checkbox("confirm_incomplete")] if "confirm_incomplete" in self.fields else []


class LoopBackForm(BaseForm):
    class Layout:
        TITLE = ""
        SUBMIT_BUTTON_TEXT = "Go back to the previous phase"

    reason = forms.CharField(
        label="Why is the project going back?",
        help_text="For example, the solutions we considered do not help answer the project's question. "
        "The team is emailed this.",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Say why the project is going back to the previous phase"},
    )
