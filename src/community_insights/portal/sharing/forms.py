"""Forms of the sharing area: shape of input only; the rules live in the ``services`` package."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from crispy_forms_gds.fields import DateInputField
from crispy_forms_gds.layout import Fieldset, Size
from django import forms
from django.utils import timezone

from community_insights.portal.core.forms import BaseForm, text_area
from community_insights.portal.ideas.forms import SpamProtectedForm
from community_insights.portal.sharing.models import PublishedInsight

TOPICS = PublishedInsight.Topic.choices

TIME_FORMATS = ["%H:%M", "%I:%M%p", "%I%p", "%I:%M %p", "%I %p"]


def _line(label: str, *, hint: str = "", required: bool = True, max_length: int = 200) -> forms.CharField:
    return forms.CharField(label=label, help_text=hint, required=required, max_length=max_length)


def _time(label: str) -> forms.TimeField:
    return forms.TimeField(
        label=label,
        help_text="For example, 10:00 or 2:30pm",
        input_formats=TIME_FORMATS,
        widget=forms.TextInput(attrs={"class": "govuk-input--width-5"}),
        error_messages={"required": f"Enter the {label.lower()}", "invalid": f"Enter the {label.lower()} like 14:30"},
    )


class InsightForm(BaseForm):
    """The words of a published insight; the figure and its files come from the approved version."""

    class Layout:
        TITLE = "Publish this insight"
        SUBMIT_BUTTON_TEXT = "Publish"

    title = _line("Title", hint="What the page is about, in a few words.")
    findings = text_area("What we found", required=True, hint="In plain words, for someone who was not on the project.")
    caveats = text_area(
        "What it can and cannot be used for", required=True,
        hint="The caveats, who it may be shared with, and what it must not be used for.",
    )  # fmt: skip
    method = text_area("How we did it", required=True, hint="The method, in a few sentences.")
    data_sources = text_area("Where the data came from", required=True, hint="The data sources and who holds them.")
    # The hub's filters: what it is about and where, so people across the UK find it.
    topic = forms.ChoiceField(
        label="Topic", required=False, choices=[("", "Not given"), *TOPICS],
        help_text="What it is about, so people can find it on the UK-wide hub.",
    )  # fmt: skip
    areas = _line(
        "Areas it covers", required=False, max_length=300,
        hint="The borough, towns or wards, in words. For example, Northgate and Abbey wards.",
    )  # fmt: skip

    REQUIRED_MESSAGES = {
        "title": "Enter a title",
        "findings": "Say what was found",
        "caveats": "Say what it can and cannot be used for",
        "method": "Say how the work was done",
        "data_sources": "Say where the data came from",
    }


class OverviewForm(InsightForm):
    class Layout:
        TITLE = "Publish an overview of the problem and process"
        SUBMIT_BUTTON_TEXT = "Publish overview"

    findings = text_area(
        "What we learned", required=True,
        hint="The problem and how the project went about it, in words: an overview gives no numbers.",
    )  # fmt: skip


class WithdrawForm(BaseForm):
    class Layout:
        TITLE = "Withdraw this insight"
        SUBMIT_BUTTON_TEXT = "Withdraw"

    notice = text_area(
        "Notice for the public", required=True,
        hint="Shown at the insight's address in its place: why it was withdrawn and what to use instead.",
    )  # fmt: skip

    REQUIRED_MESSAGES = {"notice": "Say why it was withdrawn"}


class BlogWithdrawForm(BaseForm):
    class Layout:
        TITLE = "Withdraw this blog post from the news"
        SUBMIT_BUTTON_TEXT = "Withdraw the post"

    reason = text_area(
        "Why it is being withdrawn", required=True,
        hint="For the other authors and the team. The post leaves the news page and the news feed.",
    )  # fmt: skip

    REQUIRED_MESSAGES = {"reason": "Say why the post is being withdrawn"}


class BlogPostEditForm(BaseForm):
    """The words of the post (changing them clears the authors' approvals)."""

    class Layout:
        TITLE = "Change the blog post"
        SUBMIT_BUTTON_TEXT = "Save changes"

    title = _line("Title")
    summary = _line("Summary", hint="One or two sentences shown in the news list and the feed.", max_length=300)
    body = text_area("The post", required=True, rows=12, hint="Learnings, insights and next steps.")

    REQUIRED_MESSAGES = {"title": "Enter a title", "summary": "Enter a summary", "body": "Write the post"}


class BlogPostForm(BlogPostEditForm):
    """A new post and its co-authors, chosen from the core team."""

    class Layout:
        TITLE = "Write a blog post"
        SUBMIT_BUTTON_TEXT = "Save draft"

    co_authors: forms.ModelMultipleChoiceField = forms.ModelMultipleChoiceField(
        label="Co-authors",
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        help_text="At least one author from a VCS organisation and one from the council, from the core team.",
        error_messages={"required": "Choose at least one co-author"},
    )

    def __init__(self, *args: Any, authors: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["co_authors"]
        field.queryset = authors  # type: ignore[attr-defined]
        field.label_from_instance = _author_label  # type: ignore[attr-defined]


def _author_label(user: Any) -> str:
    return f"{user.get_full_name()} ({user.organisation or 'no organisation'})"


class PlenaryForm(BaseForm):
    class Layout:
        TITLE = "Plan the plenary session"
        SUBMIT_BUTTON_TEXT = "Plan session"

    title = _line("Name of the session", hint="For example, What we learned about young carers")
    date = DateInputField(label="Date", help_text="For example, 27 3 2027", require_all_fields=False)
    start_time = _time("Start time")
    end_time = _time("End time")
    place = _line("Place (optional)", required=False, max_length=300, hint="The address, if people meet in person.")
    link = forms.URLField(
        label="Link to join (optional)", required=False, max_length=500, assume_scheme="https",
        help_text="The video call link, if people join online.",
        error_messages={"invalid": "Enter a link in the right format, like https://meet.example.org/plenary"},
    )  # fmt: skip
    agenda = text_area("Agenda", required=True, rows=6, hint="One item a line.")

    REQUIRED_MESSAGES = {"title": "Enter the name of the session", "agenda": "Enter the agenda"}

    def get_layout_fields(self) -> list[Any]:
        return [
            "title", Fieldset("date", legend="When", legend_size=Size.SMALL), "start_time", "end_time", "place",
            "link", "agenda",
        ]  # fmt: skip

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        day, start, end = cleaned.get("date"), cleaned.get("start_time"), cleaned.get("end_time")
        if day and start and end:
            tz = timezone.get_current_timezone()
            cleaned["starts_at"] = datetime.combine(day, start, tzinfo=tz)
            cleaned["ends_at"] = datetime.combine(day, end, tzinfo=tz)
        return cleaned

    def service_args(self) -> dict[str, Any]:
        keep = ("title", "starts_at", "ends_at", "place", "link", "agenda")
        return {k: self.cleaned_data[k] for k in keep}


class PlenaryEditForm(PlenaryForm):
    """The same questions as planning it, for a change (everyone invited is sent the new details)."""

    class Layout:
        TITLE = "Change the plenary session"
        SUBMIT_BUTTON_TEXT = "Save and tell the invited"


class InviteForm(BaseForm):
    class Layout:
        TITLE = "Invite someone"
        SUBMIT_BUTTON_TEXT = "Send invitation"

    name = _line("Their name")
    email = forms.EmailField(
        label="Their email address",
        error_messages={
            "required": "Enter their email address",
            "invalid": "Enter an email address in the correct format, like name@example.org",
        },
    )

    REQUIRED_MESSAGES = {"name": "Enter their name"}


class RegistrationForm(SpamProtectedForm):
    """The public "we want to use these insights" form: no account, protected like the take-part form."""

    FORM_NAME = "interest_registration"

    class Layout:
        TITLE = "Register your interest in using these insights"
        SUBMIT_BUTTON_TEXT = "Register interest"

    name = _line("Your name")
    email = forms.EmailField(
        label="Email address",
        help_text="We only use this to invite you to plan next steps.",
        error_messages={
            "required": "Enter your email address",
            "invalid": "Enter an email address in the correct format, like name@example.org",
        },
    )
    organisation = _line("Your organisation")
    intended_use = forms.CharField(
        label="How would you like to use these insights?",
        help_text="For example, to plan a service, shape a strategy or support a funding bid.",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )

    REQUIRED_MESSAGES = {
        "name": "Enter your name",
        "organisation": "Enter the name of your organisation",
        "intended_use": "Say how you would like to use the insights",
    }


DATE_FORMATS = ["%d/%m/%Y", "%d/%m/%y", "%d %m %Y", "%d %B %Y", "%d %b %Y", "%Y-%m-%d"]


def _hub_date(label: str) -> forms.DateField:
    return forms.DateField(
        label=label, required=False, input_formats=DATE_FORMATS,
        error_messages={"invalid": f"Enter the date {label.lower()} like 27/3/2026"},
    )  # fmt: skip


class HubFilterForm(forms.Form):
    """The hub's filters, sent by a plain GET form so they work without JavaScript and can be bookmarked.

    Rendered by hand in the GOV.UK filter pattern (``sharing/hub.html``): a filter that
    goes wrong (a date that is not one) is shown with its message and left out, never a 500.
    """

    q = forms.CharField(label="Search insights", required=False, max_length=200)
    topic = forms.ChoiceField(label="Topic", required=False, choices=[("", "All topics"), *TOPICS])
    area = forms.CharField(label="Area", required=False, max_length=100)
    published_from = _hub_date("Published from")
    published_to = _hub_date("Published to")

    def filters(self) -> dict[str, Any]:
        """The valid filters as keyword arguments for ``selectors.HubFilters`` (invalid ones left out)."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {
            "words": data.get("q") or "",
            "topic": data.get("topic") or "",
            "area": data.get("area") or "",
            "published_from": data.get("published_from"),
            "published_to": data.get("published_to"),
        }
