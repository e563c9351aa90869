"""Forms of the governance area: shape of input only; rules live in ``services.py``."""

from __future__ import annotations

from typing import Any

from crispy_forms_gds.fields import DateInputField
from django import forms

from community_insights.portal.core.forms import BaseForm, text_area
from community_insights.portal.governance.models import DpiaVersion, Level, Severity


def _area(label: str, *, hint: str = "", required: bool = True) -> forms.CharField:
    """Most answers here are required, four lines tall."""
    return text_area(label, hint=hint, required=required, rows=4)


class SentenceForm(BaseForm):
    class Layout:
        TITLE = "Edit this sentence"
        SUBMIT_BUTTON_TEXT = "Save the sentence"

    text = _area("Sentence", hint="Leave it empty to go back to the drafted sentence.", required=False)


class RiskForm(BaseForm):
    class Layout:
        TITLE = "Rate this risk"
        SUBMIT_BUTTON_TEXT = "Save the rating"

    likelihood = forms.ChoiceField(label="Likelihood of harm", choices=Level.choices, widget=forms.RadioSelect)
    severity = forms.ChoiceField(label="Severity of harm", choices=Severity.choices, widget=forms.RadioSelect)
    accepted_reason = _area(
        "Accept the risk without a measure",
        hint="Only if the risk is accepted as it is: say why. Leave empty when the measure reduces it.",
        required=False,
    )

    REQUIRED_MESSAGES = {"likelihood": "Choose how likely harm is", "severity": "Choose how severe harm would be"}


class DecisionForm(BaseForm):
    class Layout:
        TITLE = "Decide on this version"
        SUBMIT_BUTTON_TEXT = "Record the decision"

    decision = forms.ChoiceField(
        label="Decision",
        choices=[(DpiaVersion.Decision.APPROVED, "Approve"), (DpiaVersion.Decision.CHANGES_NEEDED, "Changes needed")],
        widget=forms.RadioSelect,
    )
    dpo_advice = _area("Data protection officer's advice", hint="Needed to approve.", required=False)
    residual_risk = forms.ChoiceField(
        label="Residual risk", choices=[("", "Not set"), *Level.choices], required=False, widget=forms.Select
    )
    comment = _area("Comment", hint="Needed when changes are needed.", required=False)

    REQUIRED_MESSAGES = {"decision": "Choose approve or changes needed"}


class AgreementForm(BaseForm):
    class Layout:
        TITLE = "Sharing agreement"
        SUBMIT_BUTTON_TEXT = "Save the agreement"

    recipients: forms.ModelMultipleChoiceField = forms.ModelMultipleChoiceField(
        label="Organisations that receive the data", queryset=None, widget=forms.CheckboxSelectMultiple
    )
    purpose = _area("Purpose of sharing")
    legal_basis = _area("Legal basis for sharing", hint="UK GDPR Article 6 basis and the Data Protection Act 2018.")
    article9_condition = _area("Article 9 condition", required=False, hint="Needed for special category data.")
    data_items = _area("Data items shared", hint="Drafted from the safe copy's columns.")
    security = _area("Security and storage")
    retention = _area("Retention and deletion", hint="Drafted from the source's retention date.")
    review_date = DateInputField(label="Review date", help_text="For example, 27 3 2027")

    REQUIRED_MESSAGES = {
        "recipients": "Choose at least one organisation that receives the data",
        "purpose": "Enter the purpose of sharing",
        "legal_basis": "Enter the legal basis for sharing",
        "data_items": "Enter the data items shared",
        "security": "Enter how the data is kept secure",
        "retention": "Enter how long the data is kept and how it is deleted",
        "review_date": "Enter the review date",
    }

    def __init__(self, *args: Any, organisations: Any, special: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["recipients"].queryset = organisations  # type: ignore[attr-defined]
        if special:
            self.fields[
                "article9_condition"
            ].help_text = f"Needed: the check found special category data ({', '.join(special)})."


class SignForm(BaseForm):
    class Layout:
        TITLE = "Sign the agreement"
        SUBMIT_BUTTON_TEXT = "Sign for my organisation"

    signer_name = forms.CharField(label="Full name of the person signing", max_length=200)
    job_title = forms.CharField(label="Job title", max_length=200)

    REQUIRED_MESSAGES = {"signer_name": "Enter the name of the person signing", "job_title": "Enter their job title"}
