"""The export request form: one question, whether to add raw datasets."""

from __future__ import annotations

from django import forms

from community_insights.portal.core.forms import BaseForm


class ExportRequestForm(BaseForm):
    class Layout:
        TITLE = ""
        SUBMIT_BUTTON_TEXT = "Make the export"

    include_raw = forms.BooleanField(
        label="Add the raw datasets I am allowed to download",
        help_text=(
            "Only the raw files of projects where you are a data analyst from the organisation that owns the data. "
            "Leave this unticked unless you need them: raw data holds personal data."
        ),
        required=False,
    )
