"""Forms of the guide area: propose a change to one section, publish it (shape only; rules are in services)."""

from __future__ import annotations

from django import forms

from community_insights.portal.core.forms import BaseForm

SECTION_HINT = (
    "The section as the guide's data file writes it: each entry on its own line, indented under the one it "
    "belongs to. Change the words, or add an item under a list; keep the keys (key: …), which records point at."
)


class ProposeForm(BaseForm):
    class Layout:
        TITLE = "Propose a change to the guide"
        SUBMIT_BUTTON_TEXT = "See the difference"

    REQUIRED_MESSAGES = {
        "text": "Enter the section's text",
        "change_note": "Say what the change is and why",
    }

    text = forms.CharField(
        label="The section's text",
        help_text=SECTION_HINT,
        max_length=60_000,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 24, "spellcheck": "true", "class": "govuk-!-font-size-16"}),
    )
    change_note = forms.CharField(
        label="What changes, and why",
        help_text="This becomes the change note in the guide's history, for everyone to read.",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class PublishForm(BaseForm):
    class Layout:
        TITLE = ""
        SUBMIT_BUTTON_TEXT = "Publish this version"

    REQUIRED_MESSAGES = {"change_note": "Write the change note for the guide's history"}

    change_note = forms.CharField(
        label="Change note",
        help_text="Shown with the version number in the guide's change history.",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
