"""The audit log's filter form (read with GET, so filtered pages can be bookmarked)."""

from __future__ import annotations

from typing import Any

from django import forms

from community_insights.portal.core.audit import ACTIONS
from community_insights.portal.core.selectors import AuditFilters


class AuditFilterForm(forms.Form):
    action = forms.ChoiceField(label="What happened", required=False)
    project = forms.TypedChoiceField(label="Project", required=False, coerce=int, empty_value=None)
    actor = forms.CharField(label="Who (name or email contains)", required=False, max_length=100)
    date_from = forms.DateField(label="From (YYYY-MM-DD)", required=False)
    date_to = forms.DateField(label="To (YYYY-MM-DD)", required=False)

    def __init__(self, *args: Any, projects: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["action"].choices = [("", "Any"), *sorted(ACTIONS.items(), key=lambda kv: kv[1])]  # type: ignore[attr-defined]
        self.fields["project"].choices = [("", "Any"), *projects]  # type: ignore[attr-defined]

    def filters(self) -> AuditFilters:
        if not self.is_valid():
            return AuditFilters()
        d = self.cleaned_data
        return AuditFilters(
            action=d["action"] or "",
            project_id=d["project"],
            actor=d["actor"] or "",
            date_from=d["date_from"],
            date_to=d["date_to"],
        )
