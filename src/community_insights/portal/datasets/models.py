"""Datasets: the inventory of data sources, uploaded files, checks, remedy plans, safe copies and sign-off.

No model here holds a raw value from a dataset. Files are encrypted in the
dataset storage; the database keeps names, counts, statuses, the masked check
report and the remedy plan (which names columns and actions, never values).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from community_insights.portal.core.models import BackgroundJob, BaseModel
from community_insights.portal.people.models import Organisation
from community_insights.portal.programme.current import current_programme_id
from community_insights.portal.projects.models import Project


class DataSource(BaseModel):
    """One source of data a project might use, as listed during data scoping (Phase 2, Part 1, Step 3)."""

    class Category(models.TextChoices):
        INTERNAL_COUNCIL = "internal_council", "Internal council data"
        VCS = "vcs", "VCS data"
        SHADOW_IT = "shadow_it", "Shadow IT spreadsheets"
        OPEN_PUBLIC = "open_public", "Open or public data"
        NEW_COLLECTION = "new_collection", "New data to collect"

    class LegalBasis(models.TextChoices):
        NOT_PERSONAL = "not_personal", "Not personal data"
        CONSENT = "consent", "Consent"
        CONTRACT = "contract", "Contract"
        LEGAL_OBLIGATION = "legal_obligation", "Legal obligation"
        VITAL_INTERESTS = "vital_interests", "Vital interests"
        PUBLIC_TASK = "public_task", "Public task"
        LEGITIMATE_INTERESTS = "legitimate_interests", "Legitimate interests"
        TO_BE_AGREED = "to_be_agreed", "To be agreed"

    class AgreementStatus(models.TextChoices):
        """A source's sharing agreement status. Not stored here: the governance area works it out
        from the agreement itself (its signatures and review date), so no one keeps two records."""

        NOT_NEEDED = "not_needed", "Not needed"
        NEEDED = "needed", "Needed"
        IN_PROGRESS = "in_progress", "Being drafted"
        SIGNED = "signed", "Signed"
        EXPIRED = "expired", "Expired"

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="data_sources")
    name = models.CharField(max_length=200)
    category = models.CharField(max_length=30, choices=Category.choices)
    description = models.TextField(blank=True)
    owner_organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="data_sources")
    legal_basis = models.CharField(max_length=30, choices=LegalBasis.choices, default=LegalBasis.TO_BE_AGREED)
    retention_until = models.DateField(
        null=True, blank=True, help_text="Raw files of this source are deleted after this date."
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    # The fields a project member fills in or changes; the form shows these and the services
    # write only these, so one list keeps what is asked and what is saved in step.
    EDITABLE_FIELDS = (
        "name",
        "category",
        "description",
        "owner_organisation",
        "legal_basis",
        "retention_until",
    )

    class Meta:
        ordering = ["project", "category", "name"]

    def __str__(self) -> str:
        return self.name


class Dataset(BaseModel):
    """One uploaded file of a data source and where it stands on its way to a safe copy."""

    class Status(models.TextChoices):
        CHECKING = "checking", "Checking"
        CHECK_FAILED = "check_failed", "Check failed"
        CHECKED = "checked", "Checked"
        PLANNING = "planning", "Remedy plan in progress"
        APPLYING = "applying", "Making the safe copy"
        AWAITING_SIGN_OFF = "awaiting_sign_off", "Waiting for sign-off"
        APPROVED = "approved", "Approved"
        REJECTED = "rejected", "Changes needed"
        DELETED = "deleted", "Deleted"

    source = models.ForeignKey(DataSource, on_delete=models.PROTECT, related_name="datasets")
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="datasets")
    title = models.CharField(max_length=200)
    original_name = models.CharField(max_length=255)
    format = models.CharField(max_length=10)
    size_bytes = models.BigIntegerField()
    sha256 = models.CharField(max_length=64)
    column_count = models.PositiveIntegerField(default=0)
    row_count = models.BigIntegerField(null=True, blank=True)
    stored_name = models.CharField(max_length=255, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.CHECKING)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    retention_until = models.DateField(null=True, blank=True)
    raw_deleted_at = models.DateTimeField(null=True, blank=True)
    raw_deleted_reason = models.CharField(max_length=100, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title

    @property
    def has_raw_file(self) -> bool:
        return bool(self.stored_name) and self.raw_deleted_at is None


class DatasetJob(BackgroundJob):
    """A piece of background work on a dataset, with its progress, attempts and heartbeat.

    The row is the source of truth, not the task queue: a worker that is killed
    leaves the row ``running`` with an old heartbeat, and
    :func:`services.retry_stale_jobs` puts it back in the queue (or fails it in
    plain words after ``max_attempts``).
    """

    class Kind(models.TextChoices):
        CHECK = "check", "Data safety check"
        APPLY = "apply", "Make the safe copy"

    dataset = models.ForeignKey(Dataset, on_delete=models.CASCADE, related_name="jobs")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    plan = models.ForeignKey("RemedyPlanVersion", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    #: What the person asked of a check: ``{"sensitive": [columns], "measures": ["entropy-l", …]}``. Kept on the
    #: job, not only passed along, so a check restarted after its worker died asks the same questions.
    options = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} of {self.dataset}"


class CheckResult(BaseModel):
    """The masked report of one data safety check (safe to show: no raw values)."""

    dataset = models.ForeignKey(Dataset, on_delete=models.CASCADE, related_name="check_results")
    job = models.OneToOneField(DatasetJob, null=True, on_delete=models.SET_NULL, related_name="check_result")
    verdict = models.CharField(max_length=30)
    report = models.JSONField()
    suggested_plan = models.TextField(blank=True, help_text="The engine's remedy plan (YAML, no values).")

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Check of {self.dataset}: {self.verdict}"


class ColumnReview(BaseModel):
    """An analyst's decision on one column's finding: accept it, or override it with a reason."""

    class Decision(models.TextChoices):
        ACCEPTED = "accepted", "Accepted"
        OVERRIDDEN = "overridden", "Overridden"

    result = models.ForeignKey(CheckResult, on_delete=models.CASCADE, related_name="reviews")
    column = models.CharField(max_length=255)
    decision = models.CharField(max_length=12, choices=Decision.choices)
    kind = models.CharField(max_length=30, help_text="The kind the analyst settled on.")
    comment = models.TextField(blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["result", "column"]
        constraints = [models.UniqueConstraint(fields=["result", "column"], name="unique_column_review")]

    def __str__(self) -> str:
        return f"{self.column}: {self.get_decision_display()}"


class RemedyPlanVersion(BaseModel):
    """One saved version of a dataset's remedy plan (YAML in the engine's format)."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        APPLYING = "applying", "Making the safe copy"
        AWAITING_SIGN_OFF = "awaiting_sign_off", "Waiting for sign-off"
        APPROVED = "approved", "Approved"
        REJECTED = "rejected", "Changes needed"
        SUPERSEDED = "superseded", "Replaced by a newer version"

    dataset = models.ForeignKey(Dataset, on_delete=models.CASCADE, related_name="plans")
    number = models.PositiveIntegerField()
    plan_yaml = models.TextField()
    change_note = models.TextField(blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["dataset", "-number"]
        constraints = [models.UniqueConstraint(fields=["dataset", "number"], name="unique_plan_number")]

    def __str__(self) -> str:
        return f"Remedy plan version {self.number}"

    @property
    def project_id(self) -> int:
        return self.dataset.project_id


class SafeCopy(BaseModel):
    """The output of applying one plan version, encrypted, with its before/after report."""

    dataset = models.ForeignKey(Dataset, on_delete=models.CASCADE, related_name="safe_copies")
    plan = models.OneToOneField(RemedyPlanVersion, on_delete=models.CASCADE, related_name="safe_copy")
    stored_name = models.CharField(max_length=255, blank=True)
    file_name = models.CharField(max_length=255)
    format = models.CharField(max_length=10)
    size_bytes = models.BigIntegerField(default=0)
    sha256 = models.CharField(max_length=64, blank=True)
    report = models.JSONField(default=dict, help_text="The before/after report (counts and masked examples).")
    key_id = models.CharField(max_length=32, blank=True, help_text="Fingerprint of the pseudonymisation key used.")
    deleted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.file_name

    @property
    def project_id(self) -> int:
        return self.dataset.project_id


class SignOff(BaseModel):
    """The information rights decision on one plan version and its safe copy."""

    class Decision(models.TextChoices):
        APPROVED = "approved", "Approved"
        REJECTED = "rejected", "Changes needed"

    plan = models.ForeignKey(RemedyPlanVersion, on_delete=models.CASCADE, related_name="sign_offs")
    decision = models.CharField(max_length=10, choices=Decision.choices)
    comment = models.TextField()
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.get_decision_display()}: {self.plan}"


class PseudonymisationKey(BaseModel):
    """The programme's key for pseudonyms, sealed with the dataset key and never shown.

    One key is active at a time per programme (each programme has its own, issue 22), so partners' safe
    copies get the same tokens for the same people and can be joined.
    Rotating it retires the old one (kept sealed, so earlier copies stay explainable).
    """

    programme = models.ForeignKey(
        "programme.Programme",
        on_delete=models.PROTECT,
        related_name="pseudonymisation_keys",
        default=current_programme_id,
    )
    key_id = models.CharField(max_length=32, unique=True)
    sealed_key = models.BinaryField()
    is_active = models.BooleanField(default=True)
    retired_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme"], condition=models.Q(is_active=True), name="one_active_key_per_programme"
            )
        ]

    def __str__(self) -> str:
        return f"Pseudonymisation key {self.key_id}"


class KeySharingAgreement(BaseModel):
    """Two programmes agree to pseudonymise with one shared key, so their safe copies can be matched.

    Each programme has its own key, so the same person gets different tokens in
    each and nobody can join them. Matching across programmes is a new use of
    personal data: it needs a recorded reason, an end date, and the approval of
    an information rights officer of each programme (issue 22). Until both have
    approved, and again from the day after ``ends_on``, each uses its own key.
    """

    programme = models.ForeignKey(
        "programme.Programme",
        on_delete=models.PROTECT,
        related_name="key_agreements_proposed",
        default=current_programme_id,
    )
    partner = models.ForeignKey("programme.Programme", on_delete=models.PROTECT, related_name="key_agreements_received")
    purpose = models.TextField(help_text="Why the two programmes need to match pseudonyms.")
    ends_on = models.DateField(help_text="The last day the shared key is used.")
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    partner_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    partner_approved_at = models.DateTimeField(null=True, blank=True)
    key_id = models.CharField(max_length=32, blank=True)
    sealed_key = models.BinaryField(blank=True, default=b"")

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(programme=models.F("partner")), name="key_agreement_between_two_programmes"
            )
        ]

    def __str__(self) -> str:
        return f"Shared pseudonymisation key: {self.programme} and {self.partner}"

    @property
    def is_approved(self) -> bool:
        return self.approved_at is not None and self.partner_approved_at is not None
