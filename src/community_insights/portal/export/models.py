"""The programme's complete exports: one ZIP each, built in the background and kept encrypted."""

from __future__ import annotations

from django.db import models

from community_insights.portal.core.models import BackgroundJob
from community_insights.portal.programme.models import Programme


class ProgrammeExport(BackgroundJob):
    """One request by programme staff for the programme's whole record as a ZIP.

    The job row is the truth about the work (``core.jobs``); when it succeeds
    the ZIP is stored encrypted, like a dataset, and leaves only through the
    audited download.
    """

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="+")
    include_raw = models.BooleanField(
        default=False, help_text="Whether raw datasets were asked for (only those the person may download go in)."
    )
    raw_datasets = models.JSONField(default=list, blank=True, help_text="Ids of the raw datasets put in the ZIP.")
    stored_name = models.CharField(max_length=255, blank=True, help_text="Where the encrypted ZIP is stored.")
    size_bytes = models.BigIntegerField(default=0)
    sha256 = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Complete export {self.pk} of {self.programme}"

    @property
    def file_name(self) -> str:
        return f"programme-export-{self.created_at:%Y-%m-%d}-{self.pk}.zip"
