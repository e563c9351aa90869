"""Base model and the append-only audit log."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models

from community_insights.portal.core.audit_vocabulary import ACTIONS


class BaseModel(models.Model):
    """Every record knows when it was created and last changed."""

    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class BackgroundJob(BaseModel):
    """The fields :mod:`core.jobs` keeps on any area's job row: status, attempts, heartbeat and progress.

    Why a base: the row, not the task queue, is the truth about a job, and
    every area's job must carry the same fields for the shared runner to
    claim it, keep its heartbeat fresh, show its progress and restart it.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting to start"
        RUNNING = "running", "Running"
        SUCCEEDED = "succeeded", "Finished"
        FAILED = "failed", "Failed"

    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED, db_index=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    max_attempts = models.PositiveSmallIntegerField(default=3)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    rows_done = models.BigIntegerField(default=0)
    rows_total = models.BigIntegerField(null=True, blank=True)
    error_message = models.TextField(blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        abstract = True

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.SUCCEEDED, self.Status.FAILED)

    @property
    def percent(self) -> int | None:
        if self.status == self.Status.SUCCEEDED:
            return 100
        if not self.rows_total:
            return None
        return max(0, min(99, int(100 * self.rows_done / self.rows_total)))


class AuditEntryQuerySet(models.QuerySet["AuditEntry"]):
    def update(self, **kwargs: Any) -> int:  # pragma: no cover - guarded on purpose
        raise PermissionError("The audit log is append-only.")

    def delete(self) -> tuple[int, dict[str, int]]:  # pragma: no cover - guarded on purpose
        raise PermissionError("The audit log is append-only.")


class AuditEntry(models.Model):
    """One thing that happened: who, what, when, to which object, from where.

    Append-only: entries are never changed or deleted through the ORM, so an
    information rights officer can rely on the trail. ``changes`` never holds raw
    personal data, only field names, statuses and identifiers.
    """

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_label = models.CharField(max_length=255, blank=True, help_text="Who acted, kept if the account goes.")
    action = models.CharField(max_length=100, db_index=True)
    target_type = models.CharField(max_length=100, blank=True, db_index=True)
    target_id = models.CharField(max_length=64, blank=True, db_index=True)
    target_label = models.CharField(max_length=255, blank=True)
    project_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    programme_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    changes = models.JSONField(default=dict, blank=True)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name_plural = "audit entries"

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.action} {self.target_label}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise PermissionError("The audit log is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise PermissionError("The audit log is append-only.")

    @property
    def action_label(self) -> str:
        """The declared description of the action (see ``core.audit_vocabulary.declare``)."""
        return ACTIONS.get(self.action, self.action)


class NotificationPreference(BaseModel):
    """How one person wants one kind of notification: at once, or in a daily or weekly digest.

    No row means "straight away", so nobody's email changes until they choose.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    kind = models.CharField(max_length=40, help_text="A key of core.notification_kinds.KINDS.")
    frequency = models.CharField(max_length=10, help_text="immediate, daily or weekly.")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="one_preference_per_kind")]

    def __str__(self) -> str:
        return f"{self.kind}: {self.frequency}"


class Digest(BaseModel):
    """One digest email to one person for one period (a day, or a week starting on Monday).

    The unique period is what makes sending idempotent: a second run in the same
    period finds the digest already made and sends nothing again.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="digests")
    frequency = models.CharField(max_length=10)
    period_start = models.DateField(help_text="The day, or the Monday of the week, the digest covers.")
    item_count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "frequency", "period_start"], name="one_digest_per_period")
        ]

    def __str__(self) -> str:
        return f"{self.frequency.capitalize()} digest from {self.period_start:%d %B %Y}"


class HeldNotification(BaseModel):
    """A notification kept for a person's digest instead of being emailed at once.

    Holds what the digest lists (the subject, a link, when it happened); the
    digest that carried it is set when it is sent.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="held_notifications")
    kind = models.CharField(max_length=40)
    subject = models.CharField(max_length=255)
    link = models.URLField(max_length=500, blank=True)
    digest = models.ForeignKey(Digest, null=True, blank=True, on_delete=models.SET_NULL, related_name="items")
    # The programme the change happened in, by id as in the audit log: a person's digest gathers
    # every programme they belong to, but a programme's export carries only its own lines.
    programme_id = models.BigIntegerField(null=True, blank=True, db_index=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.subject
