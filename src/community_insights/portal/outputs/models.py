"""An output (a table, chart or map) of a project, its versions, files and sign-offs.

Why versions: what information rights approve is one exact set of files. A
change to the title, the columns or the caveats is a new version that needs
its own output safety check and its own sign-off; approved files never
change underneath the approval.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from community_insights.portal.core.models import BackgroundJob, BaseModel
from community_insights.portal.datasets.models import SafeCopy
from community_insights.portal.projects.models import Project


class Output(BaseModel):
    """One thing the project will share, made from one approved safe copy."""

    class Kind(models.TextChoices):
        TABLE = "table", "Table"
        CHART = "chart", "Chart"
        MAP = "map", "Map"
        PERSON_LEVEL = "person_level", "A list of people (person-level)"
        DASHBOARD = "dashboard", "Dashboard page"

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="outputs")
    safe_copy = models.ForeignKey(
        SafeCopy,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="outputs",
        help_text="The approved safe copy it is made from (none for a dashboard page, made from approved outputs).",
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    title = models.CharField(max_length=200)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title


class OutputVersion(BaseModel):
    """One built version: its settings, words, output safety check and files."""

    class Status(models.TextChoices):
        BUILDING = "building", "Being built"
        FAILED = "failed", "Could not be built"
        AWAITING_SIGN_OFF = "awaiting_sign_off", "Waiting for sign-off"
        APPROVED = "approved", "Approved for sharing"
        REJECTED = "rejected", "Changes needed"
        REFUSED = "refused", "Refused by the output safety check"
        SUPERSEDED = "superseded", "Replaced by a newer version"

    output = models.ForeignKey(Output, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    title = models.CharField(max_length=200)
    build_settings = models.JSONField(help_text="Columns, measure and rules the version was built with (no values).")
    narrative = models.TextField(blank=True)
    caveats = models.TextField(blank=True, help_text="What this can and cannot be used for.")
    status = models.CharField(max_length=20, choices=Status.choices)
    alt_text = models.TextField(blank=True)
    safety_check = models.JSONField(default=list, help_text="The output safety check, in plain words.")
    explanation = models.JSONField(
        default=list, help_text="Why each cell was hidden or area merged: for the team and sign-off only."
    )
    preview_svg = models.BinaryField(blank=True, help_text="The picture, sealed; shown only to the project team.")
    refusal = models.TextField(blank=True)
    built_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["output", "-number"]
        constraints = [models.UniqueConstraint(fields=["output", "number"], name="unique_output_version")]

    def __str__(self) -> str:
        return f"{self.output.title}, version {self.number}"

    @property
    def project_id(self) -> int:
        return self.output.project_id

    @property
    def project(self) -> Project:
        return self.output.project


class OutputFile(BaseModel):
    """One format of a version (SVG, PNG, PDF, CSV, XLSX, or HTML for a dashboard), sealed with the dataset key."""

    version = models.ForeignKey(OutputVersion, on_delete=models.CASCADE, related_name="files")
    format = models.CharField(max_length=5)
    sealed = models.BinaryField(blank=True, help_text="The file, sealed; empty when it is in object storage.")
    stored_name = models.CharField(
        max_length=255, blank=True, help_text="Where the sealed file is in object storage (empty: in `sealed`)."
    )
    size_bytes = models.PositiveIntegerField(default=0)
    sha256 = models.CharField(max_length=64)

    class Meta:
        ordering = ["format"]
        constraints = [models.UniqueConstraint(fields=["version", "format"], name="unique_output_file_format")]

    def sealed_bytes(self) -> bytes:
        """The sealed file, from object storage or the database (still sealed: ``open_bytes`` opens it)."""
        if self.stored_name:
            from community_insights.portal.datasets import storage

            return storage.read_sealed(self.stored_name)
        return bytes(self.sealed)


class OutputSignOff(BaseModel):
    """The information rights decision on one output version."""

    class Decision(models.TextChoices):
        APPROVED = "approved", "Approved"
        REJECTED = "rejected", "Changes needed"

    version = models.ForeignKey(OutputVersion, on_delete=models.CASCADE, related_name="sign_offs")
    decision = models.CharField(max_length=10, choices=Decision.choices)
    comment = models.TextField()
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-created_at"]


class BoundaryFile(BaseModel):
    """A project's own area boundaries (GeoJSON) for its maps, checked by the engine when uploaded.

    Why per project: each project maps its own wards, LSOAs or MSOAs; the
    shipped sample only fits the demo. The file is sealed like every other
    stored file, although boundaries are public, so the portal has one way
    of keeping files.
    """

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="boundary_files")
    name = models.CharField(max_length=200)
    file_name = models.CharField(max_length=255)
    sealed = models.BinaryField()
    size_bytes = models.PositiveIntegerField(default=0)
    sha256 = models.CharField(max_length=64)
    crs = models.CharField(max_length=10, help_text="bng (British National Grid) or wgs84.")
    area_count = models.PositiveIntegerField(default=0)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class OutputJob(BackgroundJob):
    """Building one version in the background (through ``core.jobs``), with its progress."""

    version = models.OneToOneField(OutputVersion, on_delete=models.CASCADE, related_name="job")

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Building {self.version}"
