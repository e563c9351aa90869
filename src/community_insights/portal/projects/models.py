"""A Community Insights Project, its team and its phase checklist."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from community_insights.portal.core.models import BaseModel
from community_insights.portal.people.models import Organisation
from community_insights.portal.people.roles import national_role_choices
from community_insights.portal.programme.current import current_programme_id
from community_insights.portal.projects.phases import national_phase_choices


class Project(BaseModel):
    """One question the programme works on, from set-up to sharing and reflecting."""

    programme = models.ForeignKey(
        "programme.Programme", on_delete=models.PROTECT, related_name="projects", default=current_programme_id
    )
    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    question = models.TextField(help_text="The question the project is trying to answer.")
    summary = models.TextField(blank=True)
    phase = models.PositiveSmallIntegerField(choices=national_phase_choices(), default=1)
    lead_organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.SET_NULL, related_name="led_projects"
    )
    is_public = models.BooleanField(
        default=False, help_text="Shown on the landing page (selected projects and published insights)."
    )
    is_selected = models.BooleanField(default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    guide_version = models.ForeignKey(
        "guide.GuideVersion",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="projects",
        help_text="The version of the guide that was published when the project started.",
    )
    # The guide ends at Phase 4 with nothing after it, so a finished project is a state of its own
    # (set by ``project_close`` once Phase 4's checklist is complete), not a fifth phase.
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None

    def __str__(self) -> str:
        return self.title


class ProjectRole(BaseModel):
    """A person in one of the guide's roles on a project, with the days planned."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="roles")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="project_roles")
    role = models.CharField(max_length=40, choices=national_role_choices())
    planned_days = models.DecimalField(max_digits=5, decimal_places=1, null=True, blank=True)

    class Meta:
        ordering = ["project", "role", "user"]
        constraints = [models.UniqueConstraint(fields=["project", "user", "role"], name="unique_project_user_role")]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()}"


class ChecklistTick(BaseModel):
    """Who ticked a "What we have achieved" item on a project, and when."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="ticks")
    item_key = models.CharField(max_length=64)
    ticked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["project", "created_at"]
        constraints = [models.UniqueConstraint(fields=["project", "item_key"], name="unique_project_tick")]

    def __str__(self) -> str:
        return f"{self.project}: {self.item_key}"
