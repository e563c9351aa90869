"""Forms of the outputs area: pick a safe copy, what to show, and the words that go with it (no code)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, cast

from crispy_forms_gds.layout import Field, Size
from django import forms

from community_insights.portal.core.forms import BaseForm
from community_insights.portal.datasets.forms import SignOffForm
from community_insights.portal.programme.current import current_programme
from community_insights.safety import preset_names

MEASURES = [
    ("count", "Number of people (rows)"),
    ("sum", "Total of a number column"),
    ("mean", "Average of a number column"),
]
CHART_KINDS = [("bar", "Bars"), ("stacked", "Stacked bars"), ("line", "Line")]
KINDS = [
    ("chart", "A chart"),
    ("map", "A map of areas"),
    ("table", "A table"),
    ("person_level", "A list of people: the safe copy itself, for named organisations"),
]
SAMPLE_BOUNDARIES = ("sample", "Sample wards of Fairhaven, a made-up borough (for the demo)")


class OutputForm(BaseForm):
    """What to show and how; the choices come from the columns the safe copy kept."""

    class Layout:
        TITLE = "Make an output"
        SUBMIT_BUTTON_TEXT = "Build and check"

    title = forms.CharField(
        label="Title", help_text="Say what it shows, for example 'Referrals by ward, April to June'."
    )
    kind = forms.ChoiceField(label="What to make", choices=KINDS, widget=forms.RadioSelect)
    first = forms.ChoiceField(label="Group by (or the area column, for a map)")
    second = forms.ChoiceField(label="Then by (optional; the colours of a chart)", required=False)
    measure = forms.ChoiceField(label="Show", choices=MEASURES, widget=forms.RadioSelect, initial="count")
    value = forms.ChoiceField(label="Number column (for a total or an average)", required=False)
    chart_kind = forms.ChoiceField(label="Kind of chart", choices=CHART_KINDS, initial="bar", required=False)
    boundaries = forms.ChoiceField(
        label="Boundaries (for a map)",
        help_text="Your project's own boundary files, or the sample. Add one from the outputs page.",
        required=False,
    )
    recipients = forms.MultipleChoiceField(
        label="Organisations the list of people will go to (for a list of people)",
        help_text="Each needs a signed, unexpired sharing agreement covering this data.",
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    preset = forms.ChoiceField(label="Rules", required=False)
    narrative = forms.CharField(label="What it shows", widget=forms.Textarea(attrs={"rows": 3}), required=False)
    caveats = forms.CharField(
        label="What this can and cannot be used for",
        help_text="For example: 'Not for funding applications: one source could not be checked.'",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )

    def __init__(
        self,
        *args: Any,
        columns: list[str],
        boundaries: Sequence[tuple[int, str]] = (),
        organisations: Sequence[tuple[int, str]] = (),
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["boundaries"]).choices = [
            *[(str(pk), name) for pk, name in boundaries],
            SAMPLE_BOUNDARIES,
        ]
        cast(forms.ChoiceField, self.fields["recipients"]).choices = [(str(pk), name) for pk, name in organisations]
        choices = [(c, c) for c in columns]
        cast(forms.ChoiceField, self.fields["first"]).choices = choices
        cast(forms.ChoiceField, self.fields["second"]).choices = [("", "Nothing else"), *choices]
        cast(forms.ChoiceField, self.fields["value"]).choices = [("", "None"), *choices]
        cast(forms.ChoiceField, self.fields["preset"]).choices = [(name, name) for name in preset_names()]
        # Each programme presets its own disclosure rules (issue 22); a person may still choose others.
        preset = current_programme().disclosure_preset
        if preset in preset_names():
            self.fields["preset"].initial = preset

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("measure") in ("sum", "mean") and not data.get("value"):
            self.add_error("value", "Choose the number column to total or average")
        if data.get("second") and data.get("second") == data.get("first"):
            self.add_error("second", "Choose a different column from the first")
        if data.get("kind") == "person_level" and not data.get("recipients"):
            self.add_error("recipients", "Choose the organisations the list of people will go to")
        return data

    def settings(self) -> dict[str, Any]:
        """The version's settings (column names and choices only)."""
        data = self.cleaned_data
        if data["kind"] == "person_level":
            return {"recipients": sorted(int(pk) for pk in data["recipients"])}
        if data["kind"] == "map":
            return {
                "area": data["first"],
                "preset": data.get("preset") or "ons",
                "boundaries": data.get("boundaries") or "sample",
            }
        by = [data["first"], *([data["second"]] if data.get("second") else [])]
        return {
            "by": by,
            "statistic": data["measure"],
            "value": data.get("value") or None,
            "chart_kind": data.get("chart_kind") or "bar",
            "preset": data.get("preset") or "ons",
        }

    def get_layout_fields(self) -> list[Any]:
        return [
            Field.text("title"),
            Field.radios("kind", legend_size=Size.MEDIUM),
            Field.select("first"),
            Field.select("second"),
            Field.radios("measure", legend_size=Size.SMALL),
            Field.select("value"),
            Field.select("chart_kind"),
            Field.select("boundaries"),
            Field.checkboxes("recipients", legend_size=Size.SMALL),
            Field.select("preset"),
            Field.textarea("narrative"),
            Field.textarea("caveats"),
        ]


class BoundaryForm(BaseForm):
    """A project's own boundary file for its maps (GeoJSON, as ONS publishes them)."""

    class Layout:
        TITLE = "Add a boundary file"
        SUBMIT_BUTTON_TEXT = "Upload and check"

    name = forms.CharField(
        label="Name", max_length=200, help_text="For example, 'Wards, December 2024'.",
        error_messages={"required": "Give the boundaries a name, such as 'Wards, 2024'"},
    )  # fmt: skip
    file = forms.FileField(
        label="GeoJSON file",
        help_text="Ward, LSOA or MSOA boundaries from the ONS Open Geography Portal, in British National Grid "
        "or WGS84, clipped to your area (smaller than 10 MB).",
        error_messages={"required": "Choose a GeoJSON file to upload"},
    )

    def get_layout_fields(self) -> list[Any]:
        return [Field.text("name"), Field("file")]


class OutputSignOffForm(SignOffForm):
    """The datasets area's sign-off form, with the decision worded for an output."""

    class Layout:
        TITLE = "Sign off this output"
        SUBMIT_BUTTON_TEXT = "Record decision"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["decision"]).choices = [
            ("approve", "Approve: it can be shared beyond the project team and published"),
            ("reject", "Send it back for changes"),
        ]


class DashboardForm(BaseForm):
    """A page of approved outputs, in the order ticked, with words at the top."""

    class Layout:
        TITLE = "Make a dashboard page"
        SUBMIT_BUTTON_TEXT = "Build and check"

    title = forms.CharField(label="Title of the page")
    parts = forms.MultipleChoiceField(
        label="Approved outputs to put on the page",
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose at least one approved output"},
    )
    narrative = forms.CharField(
        label="Words at the top of the page", widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    caveats = forms.CharField(
        label="What this can and cannot be used for", widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def __init__(self, *args: Any, outputs: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["parts"]).choices = [(str(pk), title) for pk, title in outputs]

    def get_layout_fields(self) -> list[Any]:
        return [
            Field.text("title"),
            Field.checkboxes("parts", legend_size=Size.SMALL),
            Field.textarea("narrative"),
            Field.textarea("caveats"),
        ]
