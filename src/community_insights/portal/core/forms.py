"""Base forms in the GOV.UK style (crispy-forms-gds), as in lite-frontend.

Forms check the shape of input only; the rules of the programme live in services.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Fieldset, Layout, Size, Submit
from django import forms

if TYPE_CHECKING:
    _FormBase = forms.BaseForm
else:
    _FormBase = object


class GovukLayout(_FormBase):
    """The GOV.UK layout every form shares: subclasses set ``Layout.TITLE`` and ``Layout.SUBMIT_BUTTON_TEXT``.

    ``REQUIRED_MESSAGES`` maps a field to what the person should do when they leave it empty
    ("Enter your name"): GOV.UK error messages say that, not "This field is required".
    """

    class Layout:
        TITLE: ClassVar[str] = ""
        SUBMIT_BUTTON_TEXT: ClassVar[str] = "Continue"

    REQUIRED_MESSAGES: ClassVar[dict[str, str]] = {}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, message in self.REQUIRED_MESSAGES.items():
            self.fields[name].error_messages["required"] = message
        self.helper = FormHelper()
        self.helper.label_size = Size.SMALL
        self.helper.legend_size = Size.MEDIUM
        self.helper.layout = Layout(*self.get_layout_fields(), Submit("submit", self.Layout.SUBMIT_BUTTON_TEXT))

    def get_layout_fields(self) -> list[Any]:
        return list(self.fields)


class BaseForm(GovukLayout, forms.Form):
    """A form with the GOV.UK layout."""


class BaseModelForm(GovukLayout, forms.ModelForm):
    """A model form with the same GOV.UK layout; it never saves itself (services do)."""

    class Layout:
        TITLE: ClassVar[str] = ""
        SUBMIT_BUTTON_TEXT: ClassVar[str] = "Save"


class FieldsetForm(BaseForm):
    """One-question page: the fieldset legend is the page's h1 (WCAG technique H71)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper.layout = Layout(
            Fieldset(*self.get_layout_fields(), legend=self.Layout.TITLE, legend_size=Size.LARGE, legend_tag="h1"),
            Submit("submit", self.Layout.SUBMIT_BUTTON_TEXT),
        )


class ConfirmForm(BaseForm):
    """A button and nothing else: a POST that changes state, confirmed by the person."""

    def __init__(self, *args: Any, button: str = "Confirm", **kwargs: Any) -> None:
        self.Layout = type("Layout", (), {"TITLE": "", "SUBMIT_BUTTON_TEXT": button})  # type: ignore[assignment,misc]
        super().__init__(*args, **kwargs)


def text_area(label: str, *, hint: str = "", required: bool = False, rows: int = 5) -> forms.CharField:
    """A long free-text answer (up to 10,000 characters), as the summaries and governance forms ask for."""
    return forms.CharField(
        label=label, help_text=hint, required=required, max_length=10000, widget=forms.Textarea(attrs={"rows": rows})
    )
