from __future__ import annotations

from typing import Any, ClassVar

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


class ProgrammeCreateForm(BaseForm):
    """Setting up another programme: its name, its own path and its header."""

    class Layout:
        TITLE = "Set up a programme"
        SUBMIT_BUTTON_TEXT = "Set up the programme"

    REQUIRED_MESSAGES: ClassVar[dict[str, str]] = {
        "name": "Enter the programme's name",
        "slug": "Enter the programme's short name for its web address",
    }

    name = forms.CharField(label="Programme name", max_length=200)
    slug = forms.SlugField(
        label="Short name for its web address",
        help_text=(
            "Lower-case letters, digits and hyphens, like riverside-insights: "
            "the page will be /programmes/riverside-insights/."
        ),
        max_length=60,
    )
    council_name = forms.CharField(label="Name in the header (optional)", max_length=200, required=False)
    brand_colour = forms.CharField(
        label="Header colour (optional)",
        help_text="# and six digits or letters a to f, like #1d4f5c. White text must be readable on it.",
        max_length=7,
        required=False,
    )

    def get_layout_fields(self) -> list[Any]:
        return [
            Field.text("name"),
            Field.text("slug", spellcheck="false"),
            Field.text("council_name"),
            Field.text("brand_colour", field_width=10, spellcheck="false"),
        ]


class BrandingForm(BaseForm):
    """The header of the current programme: name, colour and logo."""

    class Layout:
        TITLE = "Change the programme's branding"
        SUBMIT_BUTTON_TEXT = "Save branding"

    council_name = forms.CharField(label="Name in the header (optional)", max_length=200, required=False)
    brand_colour = forms.CharField(
        label="Header colour (optional)",
        help_text="# and six digits or letters a to f, like #1d4f5c. White text must be readable on it.",
        max_length=7,
        required=False,
    )
    logo = forms.FileField(
        label="Logo (optional)",
        help_text="A PNG or JPEG image, smaller than 200KB and at most 1000 pixels wide and high.",
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/png,image/jpeg"}),
    )
    remove_logo = forms.BooleanField(label="Remove the logo", required=False)

    def get_layout_fields(self) -> list[Any]:
        return [
            Field.text("council_name"),
            Field.text("brand_colour", field_width=10, spellcheck="false"),
            "logo",
            Field.checkbox("remove_logo"),
        ]


class MemberAddForm(BaseForm):
    """Adding someone who already has an account to this programme."""

    class Layout:
        TITLE = "Add someone to the programme"
        SUBMIT_BUTTON_TEXT = "Add to the programme"

    REQUIRED_MESSAGES: ClassVar[dict[str, str]] = {"email": "Enter their email address"}

    email = forms.EmailField(label="Email address", help_text="They need an account already: otherwise invite them.")
    role = forms.ChoiceField(
        label="Role in this programme",
        choices=[("member", "Member"), ("staff", "Programme staff: runs the programme")],
        widget=forms.RadioSelect,
        initial="member",
    )

    def get_layout_fields(self) -> list[Any]:
        return [Field.text("email", spellcheck="false"), Field.radios("role", legend_size="s")]
