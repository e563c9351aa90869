"""Forms of the people area (shape only; services apply the rules)."""

from __future__ import annotations

from typing import Any

from crispy_forms_gds.layout import Field
from django import forms

from community_insights.portal.core.forms import BaseForm
from community_insights.portal.people.models import Organisation
from community_insights.portal.people.roles import role_choices
from community_insights.portal.people.selectors import organisations_here
from community_insights.portal.programme.current import current_programme_id
from community_insights.portal.projects.models import Project


class InvitationForm(BaseForm):
    class Layout:
        TITLE = "Invite someone"
        SUBMIT_BUTTON_TEXT = "Send invitation"

    full_name = forms.CharField(label="Full name", max_length=200)
    email = forms.EmailField(label="Email address")
    organisation = forms.ModelChoiceField(
        label="Organisation",
        queryset=Organisation.objects.none(),
        empty_label="Choose an organisation",
        required=False,
    )
    new_organisation_name = forms.CharField(
        label="Or, if it is not in the list, the organisation's name",
        help_text="It is added as a voluntary and community sector organisation.",
        max_length=200,
        required=False,
    )
    project = forms.ModelChoiceField(
        label="Project (optional)",
        help_text="They join this project's team as soon as they accept.",
        queryset=Project.objects.none(),
        empty_label="No project yet",
        required=False,
    )
    role = forms.ChoiceField(
        label="Their role on the project", choices=lambda: [("", "Choose a role"), *role_choices()], required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        """Only the current programme's organisations and projects are offered (another's are not seen here)."""
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations_here().order_by("name")  # type: ignore[attr-defined]
        self.fields["project"].queryset = Project.objects.filter(  # type: ignore[attr-defined]
            programme_id=current_programme_id()
        ).order_by("title")

    def get_layout_fields(self) -> list[Any]:
        return [
            Field.text("full_name", autocomplete="off"),
            Field.text("email", autocomplete="off", spellcheck="false"),
            Field.select("organisation"),
            Field.text("new_organisation_name", autocomplete="off"),
            Field.select("project"),
            Field.select("role"),
        ]


class AcceptInvitationForm(BaseForm):
    class Layout:
        TITLE = "Set your password"
        SUBMIT_BUTTON_TEXT = "Set password and sign in"

    full_name = forms.CharField(label="Your full name", max_length=200)
    password = forms.CharField(
        label="Choose a password",
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text="At least 10 characters. A few unrelated words together make a strong password.",
        strip=False,
    )
    password_again = forms.CharField(
        label="Type the password again",
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        strip=False,
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("password") and data.get("password_again") and data["password"] != data["password_again"]:
            self.add_error("password_again", "The two passwords do not match.")
        return data

    def get_layout_fields(self) -> list[Any]:
        return [Field.text("full_name", autocomplete="name"), "password", "password_again"]


class AccountForm(BaseForm):
    class Layout:
        TITLE = "Change your details"
        SUBMIT_BUTTON_TEXT = "Save changes"

    full_name = forms.CharField(label="Full name", max_length=200)
    job_title = forms.CharField(label="Job title (optional)", max_length=200, required=False)

    def get_layout_fields(self) -> list[Any]:
        return [
            Field.text("full_name", autocomplete="name"),
            Field.text("job_title", autocomplete="organization-title"),
        ]


class OrganisationForm(BaseForm):
    class Layout:
        TITLE = "Add an organisation"
        SUBMIT_BUTTON_TEXT = "Add organisation"

    name = forms.CharField(label="Name", max_length=200)
    kind = forms.ChoiceField(label="Kind of organisation", choices=Organisation.Kind.choices, widget=forms.RadioSelect)
    website = forms.URLField(label="Website (optional)", required=False, assume_scheme="https")
    description = forms.CharField(
        label="What the organisation does (optional)", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def get_layout_fields(self) -> list[Any]:
        return [
            Field.text("name"),
            Field.radios("kind", legend_size="s"),
            Field.text("website"),
            Field.textarea("description"),
        ]


class DeactivateForm(BaseForm):
    class Layout:
        TITLE = ""
        SUBMIT_BUTTON_TEXT = "Deactivate account"

    reason = forms.CharField(
        label="Why (optional, kept as yes or no only in the audit log)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def get_layout_fields(self) -> list[Any]:
        return [Field.textarea("reason")]


class PeopleSearchForm(forms.Form):
    q = forms.CharField(label="Search by name, email or organisation", required=False, max_length=100)
