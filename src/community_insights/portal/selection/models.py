"""People and skills, the shared evaluation, panel scores, the decision and the next steps (Phase 2)."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from community_insights.portal.core.models import BaseModel
from community_insights.portal.programme.current import current_programme_id


class PanelMember(BaseModel):
    """Someone the facilitator asked to score candidate projects (with the advisory panel)."""

    programme = models.ForeignKey(
        "programme.Programme", on_delete=models.CASCADE, related_name="panel_members", default=current_programme_id
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="selection_panels")
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["user__full_name", "user__email"]
        constraints = [models.UniqueConstraint(fields=["programme", "user"], name="one_panel_place_per_programme")]

    def __str__(self) -> str:
        return str(self.user)


class ProjectDataType(BaseModel):
    """A type of data (from the guide's skills table) a candidate project would use."""

    project = models.ForeignKey("projects.Project", on_delete=models.CASCADE, related_name="selection_data_types")
    data_type_key = models.CharField(max_length=40)

    class Meta:
        ordering = ["project", "data_type_key"]
        constraints = [models.UniqueConstraint(fields=["project", "data_type_key"], name="unique_project_data_type")]

    def __str__(self) -> str:
        return self.data_type_key


class SkillCover(BaseModel):
    """Someone the facilitator named as bringing a skill to a candidate project."""

    project = models.ForeignKey("projects.Project", on_delete=models.CASCADE, related_name="skill_covers")
    skill_key = models.CharField(max_length=40)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    name = models.CharField(max_length=200, help_text="Their name, or a team or organisation.")
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["project", "skill_key", "name"]

    def __str__(self) -> str:
        return f"{self.name} – {self.skill_key}"


class Evaluation(BaseModel):
    """The facilitator's summary of one candidate project, shared with the core team (Part 2, Step 3)."""

    project = models.OneToOneField("projects.Project", on_delete=models.CASCADE, related_name="evaluation")
    existing_work = models.TextField(blank=True, help_text="What work is already being done in this area.")
    data_safety_findings = models.TextField(blank=True, help_text="Considerations from the data safety check.")
    skills_notes = models.TextField(blank=True, help_text="Additional people and skills the project would need.")
    risks = models.TextField(blank=True)
    shared_at = models.DateTimeField(null=True, blank=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    def __str__(self) -> str:
        return f"Evaluation of {self.project}"


class Score(BaseModel):
    """One panel member's score for one criterion of one candidate project, with a comment."""

    project = models.ForeignKey("projects.Project", on_delete=models.CASCADE, related_name="panel_scores")
    panel_member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="panel_scores")
    criterion_key = models.CharField(max_length=40)
    score = models.PositiveSmallIntegerField()
    comment = models.TextField(blank=True)

    class Meta:
        ordering = ["project", "panel_member", "criterion_key"]
        constraints = [
            models.UniqueConstraint(fields=["project", "panel_member", "criterion_key"], name="unique_panel_score"),
            models.CheckConstraint(condition=models.Q(score__gte=1) & models.Q(score__lte=5), name="score_1_to_5"),
        ]

    def __str__(self) -> str:
        return f"{self.project}: {self.criterion_key} = {self.score}"


class Decision(BaseModel):
    """The core team's decision on a candidate project, with the reasons (Part 3, Step 1)."""

    class Outcome(models.TextChoices):
        SELECTED = "selected", "Selected"
        NOT_SELECTED = "not_selected", "Not taken forward"

    project = models.OneToOneField("projects.Project", on_delete=models.CASCADE, related_name="selection_decision")
    outcome = models.CharField(max_length=20, choices=Outcome.choices)
    reasons = models.TextField()
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    def __str__(self) -> str:
        return f"{self.project}: {self.get_outcome_display()}"


class NextStepTick(BaseModel):
    """A mobilise or communicate step done for a selected project."""

    project = models.ForeignKey("projects.Project", on_delete=models.CASCADE, related_name="selection_next_steps")
    item_key = models.CharField(max_length=40)
    ticked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    note = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["project", "created_at"]
        constraints = [models.UniqueConstraint(fields=["project", "item_key"], name="unique_selection_next_step")]

    def __str__(self) -> str:
        return f"{self.project}: {self.item_key}"
