"""Forms of the datasets area: they check the shape of input; services apply the rules."""

from __future__ import annotations

from typing import Any, cast

import yaml
from crispy_forms_gds.fields import DateInputField
from crispy_forms_gds.layout import Field, Size
from django import forms

from community_insights.portal.core.forms import BaseForm, BaseModelForm
from community_insights.portal.datasets.models import ColumnReview, DataSource
from community_insights.portal.people.selectors import organisations_here
from community_insights.safety import DEFAULT_THRESHOLD, SMALLEST_GROUP_SIZE

ACTION_CHOICES = [
    ("keep", "Keep as it is"),
    ("drop", "Drop the column"),
    ("redact_spans", "Redact personal data in the text"),
    ("pseudonymise", "Replace with a pseudonym"),
    ("generalise", "Generalise (age band, sector, month…)"),
    ("suppress_small_groups", "Keep, but suppress small groups"),
    ("hash_file_reference", "Replace a file reference with a keyed hash"),
]
KIND_CHOICES = [
    ("direct_identifier", "Direct identifier"),
    ("quasi_identifier", "Quasi-identifier"),
    ("special_category", "Special category"),
    ("system_id", "System ID"),
    ("free_text", "Free text"),
    ("other", "Not personal data"),
]
SMALL_GROUP_CHOICES = [
    ("generalise", "Generalise the records further"),
    ("remove", "Remove the records"),
]


class DataSourceForm(BaseModelForm):
    class Layout:
        TITLE = "Add a data source"
        SUBMIT_BUTTON_TEXT = "Save data source"

    retention_until = DateInputField(
        label="Delete raw files after",
        required=False,
        help_text="The date the data-sharing agreement says raw data must be deleted by. For example, 31 3 2026",
    )

    class Meta:
        model = DataSource
        fields = list(DataSource.EDITABLE_FIELDS)
        labels = {
            "name": "Name of the data source",
            "category": "Where the data comes from",
            "owner_organisation": "Organisation that owns the data",
            "legal_basis": "Legal basis for sharing",
        }
        help_texts = {
            "description": "What the data holds and how it is collected. Do not paste any of the data here.",
        }
        widgets = {"category": forms.RadioSelect, "description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        owner = cast(forms.ModelChoiceField, self.fields["owner_organisation"])
        owner.queryset = organisations_here().order_by("name")
        owner.empty_label = "Choose an organisation"
        cast(forms.ChoiceField, self.fields["category"]).choices = list(DataSource.Category.choices)
        # Django's blank choice reads "---------" in the list; say what to do instead.
        for field in self.fields.values():
            choices = list(getattr(field, "choices", []) or [])
            if isinstance(field, forms.TypedChoiceField) and choices and choices[0][0] == "":
                field.choices = [("", "Choose one"), *choices[1:]]

    def get_layout_fields(self) -> list[Any]:
        return [
            Field.text("name"),
            Field.radios("category", legend_size=Size.SMALL),
            Field.textarea("description"),
            Field.select("owner_organisation"),
            Field.select("legal_basis"),
            Field("retention_until"),
        ]


class DataSourceEditForm(DataSourceForm):
    """The same fields, headed for a change: the heading is the class's, so it is never set on a shared class."""

    class Layout:
        TITLE = "Change a data source"
        SUBMIT_BUTTON_TEXT = "Save data source"


class UploadForm(BaseForm):
    class Layout:
        TITLE = "Upload a dataset"
        SUBMIT_BUTTON_TEXT = "Upload and check"

    title = forms.CharField(
        label="Name for this dataset",
        required=False,
        max_length=200,
        help_text="For example, Food bank referrals April to June. Leave blank to use the file name.",
    )
    file = forms.FileField(
        label="File",
        help_text="CSV, TSV, Excel (.xlsx), OpenDocument (.ods), Parquet or JSON Lines.",
        error_messages={"required": "Choose a file to upload"},
    )

    def get_layout_fields(self) -> list[Any]:
        return [Field.text("title"), Field("file")]


class ColumnReviewForm(BaseForm):
    class Layout:
        TITLE = "Review this finding"
        SUBMIT_BUTTON_TEXT = "Save decision"

    decision = forms.ChoiceField(
        label="Do you agree with the finding?",
        choices=[
            (ColumnReview.Decision.ACCEPTED, "Yes, accept it"),
            (ColumnReview.Decision.OVERRIDDEN, "No, override it"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether to accept or override the finding"},
    )
    kind = forms.ChoiceField(
        label="If you override it, what kind of column is it?", choices=KIND_CHOICES, required=False
    )
    comment = forms.CharField(
        label="Why (needed when you override)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Describe the column, never its values.",
    )

    def get_layout_fields(self) -> list[Any]:
        return [
            Field.radios("decision", legend_size=Size.SMALL, inline=True),
            Field.select("kind"),
            Field.textarea("comment"),
        ]


def params_to_text(params: dict[str, Any] | None) -> str:
    """``{"to": "sector", "width": 10}`` → ``to: sector, width: 10`` (how the plan page shows parameters)."""
    if not params:
        return ""
    text = yaml.safe_dump(dict(params), default_flow_style=True, sort_keys=False, width=10_000).strip()
    return text[1:-1].strip() if text.startswith("{") else text


def text_to_params(text: str) -> dict[str, Any]:
    """The inverse of :func:`params_to_text`; raises ValueError with a plain sentence."""
    text = (text or "").strip()
    if not text:
        return {}
    try:
        value = yaml.safe_load("{" + text + "}")
    except yaml.YAMLError:
        raise ValueError("Write parameters as name: value pairs separated by commas, such as to: sector") from None
    if not isinstance(value, dict) or not all(isinstance(k, str) for k in value):
        raise ValueError("Write parameters as name: value pairs separated by commas, such as to: sector")
    return value


# What "Generalise" can turn a column into (the engine checks the choice against its own list).
GENERALISE_CHOICES = [
    ("", "Choose what to generalise to"),
    ("age_band", "Age bands (from a date of birth or an age)"),
    ("band", "Number bands"),
    ("year", "Year (from a date)"),
    ("month", "Month (from a date)"),
    ("sector", "Postcode sector (SW1A 1)"),
    ("district", "Postcode district (SW1A)"),
    ("area", "Postcode area (SW)"),
    ("ons_ethnic_group_5", "The five ONS high-level ethnic groups (from census categories or NHS codes)"),
]
# The parameters the form asks for by name; anything else stays in "Other parameters".
NAMED_PARAMS = ("to", "width", "top", "prefix", "system")


def _param_fields(entry: dict[str, Any]) -> dict[str, forms.Field]:
    """The named parameter fields of one column, filled in from its plan entry.

    Typed parameters ("to: age_band, width: 10, top: 90") were easy to get wrong;
    each now has its own labelled field, used when the column's action needs it.
    """
    params = dict(entry.get("params") or {})
    name = entry["column"]
    other = {k: v for k, v in params.items() if k not in NAMED_PARAMS}
    whole = forms.IntegerField
    return {
        "to": forms.ChoiceField(
            label=f"Generalise {name} to", choices=GENERALISE_CHOICES, required=False, initial=params.get("to", "")
        ),
        "width": whole(label="Band width", required=False, min_value=1, initial=params.get("width")),
        "top": whole(label="Top band starts at", required=False, min_value=1, initial=params.get("top")),
        "prefix": forms.CharField(
            label="Pseudonym prefix", required=False, max_length=4, initial=params.get("prefix", "")
        ),
        "system": forms.CharField(
            label="Name of the system the references come from",
            required=False,
            max_length=60,
            initial=params.get("system", ""),
        ),
        "params": forms.CharField(
            label=f"Other parameters for {name}", required=False, initial=params_to_text(other), max_length=500
        ),
    }


def _params_from(cleaned: dict[str, Any], i: int, action: str) -> dict[str, Any]:
    """The parameters of column ``i`` for ``action``: the named fields it uses, then the other ones."""
    uses = {"generalise": ("to", "width", "top"), "pseudonymise": ("prefix",), "hash_file_reference": ("system",)}
    params = text_to_params(cleaned.get(f"params_{i}", ""))
    for key in uses.get(action, ()):
        value = cleaned.get(f"{key}_{i}")
        if value not in (None, ""):
            params[key] = value
    return params


class PlanEditForm(forms.Form):
    """One action, parameters and reason per column, plus the plan-wide rules."""

    min_group_size = forms.IntegerField(
        label="Smallest group of people allowed",
        min_value=SMALLEST_GROUP_SIZE,
        max_value=1_000_000,
        help_text="Records in smaller groups of the quasi-identifiers are generalised further or removed.",
        widget=forms.NumberInput(attrs={"class": "govuk-input govuk-input--width-5"}),
    )
    small_groups = forms.ChoiceField(
        label="What to do with records in smaller groups", choices=SMALL_GROUP_CHOICES, widget=forms.RadioSelect
    )
    quasi_identifiers = forms.MultipleChoiceField(
        label="Quasi-identifiers",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Columns that together could single someone out (the mosaic effect).",
    )
    change_note = forms.CharField(
        label="What did you change, and why?",
        widget=forms.Textarea(attrs={"rows": 3, "class": "govuk-textarea"}),
        error_messages={"required": "Say what you changed and why"},
        help_text="This is kept with the version and shown to the information rights expert.",
    )

    def __init__(self, *args: Any, plan_data: dict[str, Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.plan_data = plan_data
        self.column_entries: list[dict[str, Any]] = list(plan_data["columns"])
        names = [e["column"] for e in self.column_entries]
        cast(forms.ChoiceField, self.fields["quasi_identifiers"]).choices = [(n, n) for n in names]
        if not self.is_bound:
            self.initial.update(
                min_group_size=plan_data.get("min_group_size", DEFAULT_THRESHOLD),
                small_groups=plan_data.get("small_groups", "generalise"),
                quasi_identifiers=plan_data.get("quasi_identifiers", []),
            )
        for i, entry in enumerate(self.column_entries):
            self.fields[f"action_{i}"] = forms.ChoiceField(
                label=f"Action for {entry['column']}", choices=ACTION_CHOICES, initial=entry.get("action")
            )
            for key, field in _param_fields(entry).items():
                self.fields[f"{key}_{i}"] = field
            self.fields[f"reason_{i}"] = forms.CharField(
                label=f"Reason for {entry['column']}",
                required=False,
                initial=entry.get("reason", ""),
                max_length=1000,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def rows(self) -> list[dict[str, Any]]:
        """The bound fields of each column, for the template."""
        return [
            {
                "entry": entry,
                "index": i,
                "action": self[f"action_{i}"],
                "named": [self[f"{key}_{i}"] for key in NAMED_PARAMS],
                "params": self[f"params_{i}"],
                "reason": self[f"reason_{i}"],
            }
            for i, entry in enumerate(self.column_entries)
        ]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        columns = []
        for i, entry in enumerate(self.column_entries):
            try:
                params = _params_from(cleaned, i, str(cleaned.get(f"action_{i}") or ""))
            except ValueError as exc:
                self.add_error(f"params_{i}", f"{entry['column']}: {exc}")
                continue
            columns.append(
                {
                    "column": entry["column"],
                    "action": cleaned.get(f"action_{i}"),
                    "params": params,
                    "reason": cleaned.get(f"reason_{i}", ""),
                }
            )
        cleaned["columns"] = columns
        return cleaned


class SignOffForm(BaseForm):
    class Layout:
        TITLE = "Sign off the remedy plan"
        SUBMIT_BUTTON_TEXT = "Record decision"

    decision = forms.ChoiceField(
        label="Your decision",
        choices=[
            ("approve", "Approve: the safe copy can be shared with the project team"),
            ("reject", "Send it back for changes"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose approve or send back"},
    )
    comment = forms.CharField(
        label="Comment",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Add a comment: what you checked, any conditions, or what must change"},
    )
    paperwork_reason = forms.CharField(
        label="If the paperwork is not settled: why approve now?",
        help_text="Needed to approve while the legal basis is to be agreed or the data-sharing agreement is not "
        "signed. It is kept in the audit trail.",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=1000,
    )

    def __init__(self, *args: Any, paperwork: bool = False, **kwargs: Any) -> None:
        # The reason is shown only when there is unresolved paperwork to explain (set before the layout is built).
        self.paperwork = paperwork
        super().__init__(*args, **kwargs)

    def get_layout_fields(self) -> list[Any]:
        fields = [Field.radios("decision", legend_size=Size.MEDIUM), Field.textarea("comment")]
        if getattr(self, "paperwork", False):
            fields.append(Field.textarea("paperwork_reason"))
        return fields


class ConfirmForm(BaseForm):
    """A confirmation with an optional reason (delete a dataset)."""

    class Layout:
        TITLE = "Are you sure?"
        SUBMIT_BUTTON_TEXT = "Delete the files"

    reason = forms.CharField(
        label="Why (optional)", required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=500
    )

    def get_layout_fields(self) -> list[Any]:
        return [Field.textarea("reason")]


class KeyAgreementProposeForm(BaseForm):
    """Propose sharing the pseudonymisation key: with whom, why, until when (the rules are the service's)."""

    class Layout:
        TITLE = "Propose sharing the key with another programme"
        SUBMIT_BUTTON_TEXT = "Propose the agreement"

    partner: forms.ModelChoiceField = forms.ModelChoiceField(
        label="Which programme should match pseudonyms with this one?",
        queryset=None,
        empty_label=None,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the programme to share the key with"},
    )
    purpose = forms.CharField(
        label="Why do the two programmes need to match pseudonyms?",
        help_text="For example, the families both partnerships' services support. Do not name anyone.",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        error_messages={"required": "Say why the two programmes need to match pseudonyms"},
    )
    ends_on = DateInputField(
        label="Last day the shared key is used",
        help_text="For example, 31 3 2027. From the day after, each programme goes back to its own key.",
    )

    REQUIRED_MESSAGES = {"ends_on": "Enter the last day the shared key is used"}

    def __init__(self, *args: Any, partners: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["partner"]).queryset = partners

    def get_layout_fields(self) -> list[Any]:
        return [Field.radios("partner", legend_size=Size.SMALL), Field.textarea("purpose"), Field("ends_on")]


class KeyRotateForm(BaseForm):
    class Layout:
        TITLE = "Rotate the pseudonymisation key"
        SUBMIT_BUTTON_TEXT = "Rotate the key"

    reason = forms.CharField(
        label="Why are you rotating the key?",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=500,
        error_messages={"required": "Say why the key is being rotated"},
    )

    def get_layout_fields(self) -> list[Any]:
        return [Field.textarea("reason")]


#: The engine's optional measures (``MEASURES``) in plain words, for the check form.
MEASURE_LABELS = {
    "entropy-l": "How evenly the values are spread in each group (entropy l-diversity)",
    "t-closeness": "How far each group's values are from the whole file's (t-closeness)",
}


class CheckOptionsForm(BaseForm):
    """What to ask of the next check: more sensitive columns, and the optional measures of them."""

    class Layout:
        TITLE = "Check again with more questions"
        SUBMIT_BUTTON_TEXT = "Run the check again"

    sensitive = forms.MultipleChoiceField(
        label="Which other columns must no small group give away?",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="The check already looks at special category columns, such as ethnicity or health. "
        "Tick any other column whose value would be harmful to learn about someone, such as a benefit "
        "or an outcome: the check counts the groups in which everyone has the same value.",
    )
    measures = forms.MultipleChoiceField(
        label="Which extra measures of those columns do you want?",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Optional. They take longer on a large file.",
    )

    def __init__(self, *args: Any, columns: list[str], measures: tuple[str, ...], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["sensitive"]).choices = [(name, name) for name in columns]
        cast(forms.ChoiceField, self.fields["measures"]).choices = [(m, MEASURE_LABELS.get(m, m)) for m in measures]

    def get_layout_fields(self) -> list[Any]:
        return [
            Field.checkboxes("sensitive", legend_size=Size.MEDIUM),
            Field.checkboxes("measures", legend_size=Size.MEDIUM),
        ]
