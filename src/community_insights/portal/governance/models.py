"""DPIAs and information sharing agreements: the documents the guide leans on but does not provide.

The DPIA's draft is not stored: it is drafted afresh from the evidence on every read
(``drafting.py``), so it never goes stale. What people add is stored: an edited sentence
(``DpiaEdit``), a risk's likelihood, severity and acceptance (``DpiaRiskRating``), and each
version sent for approval with its snapshot, its evidence hashes and the decision on it
(``DpiaVersion``). No model holds a raw value from a dataset: the drafts name columns and
count findings only.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from community_insights.portal.core.models import BaseModel
from community_insights.portal.datasets.models import DataSource
from community_insights.portal.people.models import Organisation
from community_insights.portal.projects.models import Project


class Level(models.TextChoices):
    """The ICO template's scales for likelihood and severity."""

    LOW = "low", "Remote"
    MEDIUM = "medium", "Possible"
    HIGH = "high", "Probable"


class Severity(models.TextChoices):
    MINIMAL = "minimal", "Minimal"
    SIGNIFICANT = "significant", "Significant"
    SEVERE = "severe", "Severe"


class Dpia(BaseModel):
    """A project's DPIA: the anchor of its edits, risk ratings and versions."""

    project = models.OneToOneField(Project, on_delete=models.CASCADE, related_name="dpia")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    def __str__(self) -> str:
        return f"DPIA for {self.project}"


class PartOfDpia(BaseModel):
    """A record that hangs off a DPIA (its ``dpia`` field), and so belongs to its project (rules, audit log)."""

    dpia: models.ForeignKey[Dpia, Dpia]

    class Meta:
        abstract = True

    @property
    def project_id(self) -> int:
        return self.dpia.project_id


class DpiaEdit(PartOfDpia):
    """Someone's wording of one drafted sentence, with the draft it replaced (to see when evidence moved on)."""

    dpia = models.ForeignKey(Dpia, on_delete=models.CASCADE, related_name="edits")
    key = models.CharField(max_length=200)
    text = models.TextField()
    drafted_text = models.TextField(help_text="The drafted sentence when it was edited.")
    edited_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["dpia", "key"], name="unique_dpia_edit")]

    def __str__(self) -> str:
        return self.key


class DpiaRiskRating(PartOfDpia):
    """The team's likelihood and severity for one drafted risk, or its acceptance with a reason."""

    dpia = models.ForeignKey(Dpia, on_delete=models.CASCADE, related_name="ratings")
    risk_key = models.CharField(max_length=200)
    likelihood = models.CharField(max_length=10, choices=Level.choices)
    severity = models.CharField(max_length=12, choices=Severity.choices)
    accepted_reason = models.TextField(blank=True, help_text="Filled in when the risk is accepted without a measure.")
    rated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["dpia", "risk_key"], name="unique_dpia_rating")]

    def __str__(self) -> str:
        return self.risk_key


class DpiaVersion(PartOfDpia):
    """One version sent to the information rights officer: a frozen snapshot and the decision on it."""

    class Decision(models.TextChoices):
        PENDING = "pending", "Waiting for a decision"
        APPROVED = "approved", "Approved"
        CHANGES_NEEDED = "changes_needed", "Changes needed"
        SUPERSEDED = "superseded", "Replaced by a newer version"

    dpia = models.ForeignKey(Dpia, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    snapshot = models.JSONField(help_text="The whole document as it was sent (sections, sentences, risks).")
    section_hashes = models.JSONField(help_text="A hash of each section's content, to show what changed since.")
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    decision = models.CharField(max_length=20, choices=Decision.choices, default=Decision.PENDING)
    dpo_advice = models.TextField(blank=True)
    residual_risk = models.CharField(max_length=10, choices=Level.choices, blank=True)
    comment = models.TextField(blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["dpia", "-number"]
        constraints = [models.UniqueConstraint(fields=["dpia", "number"], name="unique_dpia_version")]

    def __str__(self) -> str:
        return f"DPIA version {self.number}"


class SharingAgreement(BaseModel):
    """The information sharing agreement for one data flow: owner organisation -> project -> recipients."""

    source = models.OneToOneField(DataSource, on_delete=models.CASCADE, related_name="sharing_agreement")
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="sharing_agreements")
    recipients = models.ManyToManyField(Organisation, related_name="+")
    version = models.PositiveIntegerField(default=1, help_text="Goes up on every change; signatures are per version.")
    purpose = models.TextField()
    legal_basis = models.TextField(help_text="UK GDPR Article 6 basis and the Data Protection Act 2018 provision.")
    article9_condition = models.TextField(blank=True, help_text="For special category data: the Article 9 condition.")
    data_items = models.TextField(blank=True)
    security = models.TextField(help_text="Security and storage.")
    retention = models.TextField(help_text="Retention and deletion.")
    review_date = models.DateField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["project", "source__name"]

    def __str__(self) -> str:
        return f"Sharing agreement for {self.source}"


class AgreementSignature(BaseModel):
    """A named person's approval of one version of an agreement on behalf of their organisation."""

    agreement = models.ForeignKey(SharingAgreement, on_delete=models.CASCADE, related_name="signatures")
    version = models.PositiveIntegerField()
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    signed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    signer_name = models.CharField(max_length=200)
    job_title = models.CharField(max_length=200)

    class Meta:
        ordering = ["agreement", "created_at"]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "version", "organisation"], name="unique_agreement_signature")
        ]

    def __str__(self) -> str:
        return f"{self.signer_name} for {self.organisation}"

    @property
    def project_id(self) -> int:
        return self.agreement.project_id
