"""Phase 1, Steps 2 and 3 (spread the word, office hours) and Phase 2, Part 1 (ideas and scoping sessions).

Rows are written only by the services in ``services/`` (one module per step); these classes hold
structure and small derived properties, never rules.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from community_insights.portal.core.models import BaseModel
from community_insights.portal.programme.current import current_programme_id


class NewsPost(BaseModel):
    """A programme update for the landing page and the Atom feed (Phase 1, Step 2)."""

    programme = models.ForeignKey(
        "programme.Programme", on_delete=models.PROTECT, related_name="news_posts", default=current_programme_id
    )
    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    summary = models.CharField(max_length=300, help_text="One or two sentences shown in lists and the feed.")
    body = models.TextField()
    published_at = models.DateTimeField(null=True, blank=True, db_index=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-published_at", "-created_at"]

    def __str__(self) -> str:
        return self.title

    @property
    def is_published(self) -> bool:
        return self.published_at is not None


class InterestLead(BaseModel):
    """A VCS organisation that asked to hear more: a lead for the facilitator to follow up."""

    class Status(models.TextChoices):
        NEW = "new", "New"
        CONTACTED = "contacted", "Contacted"
        CLOSED = "closed", "Closed"

    programme = models.ForeignKey(
        "programme.Programme", on_delete=models.PROTECT, related_name="interest_leads", default=current_programme_id
    )
    name = models.CharField(max_length=200)
    organisation_name = models.CharField(max_length=200)
    email = models.EmailField()
    interest = models.TextField(help_text="What they would like to know or explore.")
    wants_office_hours = models.BooleanField(default=False)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.NEW)
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Lead from {self.organisation_name}"


class SubmissionThrottle(models.Model):
    """One public form submission, kept briefly to limit how often one address may submit.

    Only a keyed hash of the address is stored, never the address itself.
    """

    form = models.CharField(max_length=40)
    client_hash = models.CharField(max_length=64, db_index=True)
    at = models.DateTimeField(auto_now_add=True, db_index=True)

    def __str__(self) -> str:
        return f"{self.form} at {self.at:%Y-%m-%d %H:%M}"


class OfficeHourSlot(BaseModel):
    """A time the facilitator offers for an office hours conversation (Phase 1, Step 3)."""

    class Mode(models.TextChoices):
        ONLINE = "online", "Online"
        IN_PERSON = "in_person", "In person"

    programme = models.ForeignKey(
        "programme.Programme", on_delete=models.PROTECT, related_name="office_hour_slots", default=current_programme_id
    )
    starts_at = models.DateTimeField(db_index=True)
    ends_at = models.DateTimeField()
    mode = models.CharField(max_length=20, choices=Mode.choices)
    location = models.CharField(
        max_length=300, help_text="The address for in person, or the video call link for online conversations."
    )
    facilitator = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="office_hours")
    is_published = models.BooleanField(default=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["starts_at"]

    def __str__(self) -> str:
        return f"Office hours {self.starts_at:%d %b %Y %H:%M} ({self.get_mode_display()})"


class OfficeHourBooking(BaseModel):
    """A booking of one slot by anyone, without an account."""

    class Status(models.TextChoices):
        BOOKED = "booked", "Booked"
        CANCELLED = "cancelled", "Cancelled"

    slot = models.ForeignKey(OfficeHourSlot, on_delete=models.PROTECT, related_name="bookings")
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False, help_text="Calendar event identifier.")
    name = models.CharField(max_length=200)
    organisation_name = models.CharField(max_length=200)
    email = models.EmailField()
    idea = models.TextField(help_text="A short description of the idea or question.")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.BOOKED, db_index=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancelled_by_facilitator = models.BooleanField(default=False)
    reminder_sent_at = models.DateTimeField(null=True, blank=True)
    notes = models.TextField(blank=True, help_text="The facilitator's notes on the conversation.")

    class Meta:
        ordering = ["slot__starts_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["slot"], condition=models.Q(status="booked"), name="one_active_booking_per_slot"
            )
        ]

    def __str__(self) -> str:
        return f"Booking for {self.slot}"


class Idea(BaseModel):
    """An idea from a VCS colleague, shaped into a question by the facilitator (Phase 2, Part 1)."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", "Submitted"
        IN_SCOPING = "in_scoping", "In scoping"
        READY_FOR_EVALUATION = "ready_for_evaluation", "Ready for evaluation"
        SELECTED = "selected", "Selected"
        NOT_TAKEN_FORWARD = "not_taken_forward", "Not taken forward"

    programme = models.ForeignKey(
        "programme.Programme", on_delete=models.PROTECT, related_name="ideas", default=current_programme_id
    )
    title = models.CharField(max_length=200)
    problem = models.TextField(help_text="The problem or knowledge gap.")
    who_is_affected = models.TextField()
    decision_informed = models.TextField(help_text="What decision the insight would inform.")
    question = models.TextField(blank=True, help_text="The question, as shaped with the facilitator.")
    status = models.CharField(max_length=30, choices=Status.choices, default=Status.SUBMITTED, db_index=True)
    status_reason = models.TextField(blank=True, help_text="Why it was not taken forward.")
    proposer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="ideas")
    organisation = models.ForeignKey(
        "people.Organisation", null=True, blank=True, on_delete=models.SET_NULL, related_name="ideas"
    )
    project = models.OneToOneField(
        "projects.Project", null=True, blank=True, on_delete=models.SET_NULL, related_name="idea"
    )
    booking = models.ForeignKey(
        OfficeHourBooking, null=True, blank=True, on_delete=models.SET_NULL, related_name="ideas"
    )

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title

    @property
    def status_tag_colour(self) -> str:
        return {
            self.Status.SUBMITTED: "blue",
            self.Status.IN_SCOPING: "light-blue",
            self.Status.READY_FOR_EVALUATION: "purple",
            self.Status.SELECTED: "green",
            self.Status.NOT_TAKEN_FORWARD: "grey",
        }.get(self.Status(self.status), "grey")


class ScopingSession(BaseModel):
    """A scoping session about one idea: who came, the agenda with notes, the data we might need."""

    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="scoping_sessions")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField(help_text="When the session ends; the calendar entry lasts until then.")
    location = models.CharField(max_length=300, help_text="A room or a video call link.")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    cancelled_at = models.DateTimeField(null=True, blank=True)
    # The iCalendar SEQUENCE of the session's event: raised whenever a calendar entry is withdrawn,
    # so calendar programs apply the cancellation over the invitation they hold.
    calendar_sequence = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["starts_at"]

    def clean(self) -> None:
        super().clean()
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": "The session must end after it starts."})

    def __str__(self) -> str:
        return f"Scoping session {self.starts_at:%d %b %Y} – {self.idea}"


class ScopingAttendee(BaseModel):
    """Someone in a scoping session, in one of the guide's minimum roles (or another role)."""

    session = models.ForeignKey(ScopingSession, on_delete=models.CASCADE, related_name="attendees")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    name = models.CharField(max_length=200)
    role = models.CharField(max_length=40, help_text="A key from the scoping data file, or 'other'.")

    class Meta:
        ordering = ["session", "role", "name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.role})"


class AgendaNote(BaseModel):
    """Notes on one agenda item of a scoping session, and whether it has been covered."""

    session = models.ForeignKey(ScopingSession, on_delete=models.CASCADE, related_name="agenda_notes")
    item_key = models.CharField(max_length=40)
    is_done = models.BooleanField(default=False)
    notes = models.TextField(blank=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["session", "item_key"]
        constraints = [models.UniqueConstraint(fields=["session", "item_key"], name="unique_agenda_note")]

    def __str__(self) -> str:
        return f"{self.session}: {self.item_key}"


class DataNeed(BaseModel):
    """A source of data we might need, by the guide's source category (feeds the data inventory)."""

    session = models.ForeignKey(ScopingSession, on_delete=models.CASCADE, related_name="data_needs")
    source_category = models.CharField(max_length=40)
    description = models.CharField(max_length=300)
    held_by = models.CharField(max_length=200, blank=True, help_text="Who holds the data, if known.")
    catalogue_key = models.CharField(max_length=60, blank=True, help_text="A public catalogue entry, if any.")
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["session", "source_category", "created_at"]

    def __str__(self) -> str:
        return self.description
