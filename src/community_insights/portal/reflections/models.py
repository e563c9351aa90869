"""Reflections: survey answers and retrospective cards, stored so that an anonymous one names no one.

An anonymous answer or card has no author at all (``author`` is empty), and carries only the day it
was given, not the time: the audit log records that a person answered (with the time), so a time on
the answer would let anyone who reads both put a name to it. :class:`SurveyResponse` remembers only
*that* a member has answered, so each answers once.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from community_insights.portal.projects.models import Project


class SafetyChecks(models.TextChoices):
    MORE = "more", "More of them up front"
    SAME = "same", "About the same"
    FEWER = "fewer", "Fewer of them up front"


class SurveyResponse(models.Model):
    """That a core-team member has answered the survey of a project (never which answer is theirs)."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["project", "user"], name="one_reflection_survey_per_member")]

    def __str__(self) -> str:
        return f"Answered the reflections survey of {self.project}"


class SurveyAnswer(models.Model):
    """One member's answers to the guide's Step 4 questions; ``author`` is empty when they chose anonymity."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="reflection_answers")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    given_on = models.DateField()
    sharing_mechanisms = models.TextField(blank=True)
    new_relationships = models.TextField(blank=True)
    data_sources = models.TextField(blank=True)
    dpia_surprises = models.TextField(blank=True)
    effective_relationships = models.TextField(blank=True)
    selection_worked = models.TextField(blank=True)
    safety_checks = models.CharField(max_length=10, choices=SafetyChecks.choices)
    safety_checks_why = models.TextField(blank=True)

    class Meta:
        # Not by time or id: the order the answers were given in would hint at who gave them.
        ordering = ["project", "sharing_mechanisms"]

    def __str__(self) -> str:
        return f"Reflection on {self.project}"


class RetroCard(models.Model):
    """A card on the team's retrospective board, in one of the three columns."""

    class Column(models.TextChoices):
        WORKED = "worked", "What worked"
        CHANGE = "change", "What we would change"
        GUIDE = "guide", "What the guide should say next time"

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="retro_cards")
    column = models.CharField(max_length=10, choices=Column.choices)
    text = models.TextField()
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    given_on = models.DateField()

    class Meta:
        ordering = ["project", "column", "text"]

    def __str__(self) -> str:
        return f"{self.get_column_display()}: {self.text[:40]}"
