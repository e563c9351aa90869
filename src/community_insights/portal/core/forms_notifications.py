"""The notification preferences form: one GOV.UK radios question per kind of email."""

from __future__ import annotations

from typing import Any

from crispy_forms_gds.layout import Field, Size
from django import forms

from community_insights.portal.core.forms import BaseForm
from community_insights.portal.core.notification_kinds import FREQUENCIES, KINDS


class NotificationPreferencesForm(BaseForm):
    """How the person wants each kind of email; the kinds come from ``core.notification_kinds``."""

    class Layout:
        TITLE = "How you get emails"
        SUBMIT_BUTTON_TEXT = "Save choices"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for kind in KINDS:
            self.fields[kind.key] = forms.ChoiceField(
                label=kind.label,
                help_text=kind.hint,
                choices=FREQUENCIES,
                widget=forms.RadioSelect,
                error_messages={"required": f"Choose how you get emails about {kind.label.lower()}"},
            )

    def get_layout_fields(self) -> list[Any]:
        return [Field.radios(kind.key, legend_size=Size.MEDIUM) for kind in KINDS]
