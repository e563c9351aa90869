"""Organisations and the people who sign in with their email address."""

from __future__ import annotations

from typing import Any, ClassVar

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.utils import timezone

from community_insights.portal.core.models import BaseModel
from community_insights.portal.programme.current import current_programme_id


class Organisation(BaseModel):
    """The council, a VCS organisation or another partner.

    An organisation may work with several programmes (a VCS organisation working
    with two councils), so it is one row for the installation, seen in each
    programme it works with: the programmes that added it or invited someone from
    it (``programmes``), and any programme one of its people belongs to.
    """

    class Kind(models.TextChoices):
        COUNCIL = "council", "Council"
        VCS = "vcs", "Voluntary and community sector"
        PARTNER = "partner", "Other partner"

    name = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    website = models.URLField(blank=True)
    description = models.TextField(blank=True)
    programmes = models.ManyToManyField(
        "programme.Programme",
        blank=True,
        related_name="organisations",
        help_text="The programmes it works with: their staff added it, or invited someone from it.",
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create(self, email: str, password: str | None, **extra: Any) -> User:
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.update(is_staff=True, is_superuser=True)
        return self._create(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who signs in with their email address; belongs to one organisation."""

    email = models.EmailField(unique=True)
    full_name = models.CharField(max_length=200, blank=True)
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="members"
    )
    job_title = models.CharField(max_length=200, blank=True)
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(
        default=False, help_text="Programme staff: may run the programme and deactivate accounts."
    )
    date_joined = models.DateTimeField(default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    class Meta:
        ordering = ["full_name", "email"]

    def __str__(self) -> str:
        return self.full_name or self.email

    def get_full_name(self) -> str:
        return self.full_name or self.email

    def get_short_name(self) -> str:
        return (self.full_name or self.email).split(" ")[0]


class Invitation(BaseModel):
    """An invitation by email to join the portal as a member of an organisation."""

    email = models.EmailField()
    programme = models.ForeignKey(
        "programme.Programme", on_delete=models.CASCADE, related_name="invitations", default=current_programme_id
    )
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="invitations")
    full_name = models.CharField(max_length=200, blank=True)
    invited_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    token_hash = models.CharField(max_length=64, unique=True)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_user = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    # Where the person lands: a role on one project, given when the invitation is accepted
    # (with a password, or at the first sign-in through their council's provider).
    project = models.ForeignKey(
        "projects.Project", null=True, blank=True, on_delete=models.SET_NULL, related_name="invitations"
    )
    role = models.CharField(max_length=40, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Invitation to {self.organisation}"
