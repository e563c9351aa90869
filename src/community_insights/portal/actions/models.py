"""The insights to actions meeting, the people invited to it, and the words of the packet."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from community_insights.portal.core.models import BaseModel
from community_insights.portal.projects.models import Project


class ActionsMeeting(BaseModel):
    """The meeting that brings together those who want to use a project's insights."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="actions_meetings")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    place = models.CharField(max_length=300, blank=True, help_text="Where it happens, if in person.")
    link = models.URLField(max_length=500, blank=True, help_text="The link to join, if online.")
    agenda = models.TextField(blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")), name="actions_meeting_ends_after"
            )
        ]

    def __str__(self) -> str:
        return f"Insights to actions: {self.project}"

    @property
    def location(self) -> str:
        return " or ".join(x for x in (self.place, self.link) if x)


class MeetingAttendee(BaseModel):
    """A person invited for their organisation, with what the organisation wants to do with the insights."""

    meeting = models.ForeignKey(ActionsMeeting, on_delete=models.CASCADE, related_name="attendees")
    name = models.CharField(max_length=200)
    email = models.EmailField()
    organisation = models.CharField(max_length=200)
    intended_use = models.TextField(blank=True)

    class Meta:
        ordering = ["meeting", "organisation", "name"]
        constraints = [models.UniqueConstraint(fields=["meeting", "email"], name="unique_actions_attendee")]

    def __str__(self) -> str:
        return f"{self.name} ({self.organisation})"


class ActionsPacket(BaseModel):
    """The project's own words in the packet: the insight and its caveats (the prompts come from the guide)."""

    project = models.OneToOneField(Project, on_delete=models.CASCADE, related_name="actions_packet")
    insight = models.TextField()
    caveats = models.TextField()
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    def __str__(self) -> str:
        return f"Packet: {self.project}"
