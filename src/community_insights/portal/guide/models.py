"""A version of the guide: the whole guide as JSON, proposed as a draft and published with a change note."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from django.conf import settings
from django.db import models

from community_insights.portal.core.models import BaseModel
from community_insights.portal.programme.current import current_programme_id


def content_digest(content: Any) -> str:
    """A version's content, fingerprinted: the loader caches each version's shapes by it."""
    canonical = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


class GuideVersion(BaseModel):
    """One version of a programme's guide, or a proposed change to it (a draft, with no number yet).

    Each programme keeps its own guide (issue 22): it starts from the national
    guide as its version 1 and changes locally, so versions are numbered per
    programme. A draft holds the published version it started from with one
    section changed (``section``); publishing gives it the programme's next
    number. The newest published version is the guide the programme reads; older
    ones stay, as the change history and as the guide earlier projects ran under.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", "Proposed"
        PUBLISHED = "published", "Published"

    programme = models.ForeignKey(
        "programme.Programme",
        on_delete=models.PROTECT,
        related_name="guide_versions",
        default=current_programme_id,
    )
    number = models.PositiveIntegerField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True)
    content = models.JSONField(help_text="The whole guide, one entry per section, in the national guide's shape.")
    digest = models.CharField(max_length=64, editable=False)
    section = models.CharField(max_length=40, blank=True, help_text="The section a proposed change edits.")
    based_on = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    change_note = models.TextField(blank=True)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    published_at = models.DateTimeField(null=True, blank=True)
    prompted_by = models.ForeignKey(
        "reflections.RetroCard",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="guide_changes",
        help_text="The retrospective card that prompted the change, if one did.",
    )

    class Meta:
        ordering = ["-number", "-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status="draft", number__isnull=True)
                | models.Q(status="published", number__isnull=False, published_at__isnull=False),
                name="guide_version_number_when_published",
            ),
            models.UniqueConstraint(fields=["programme", "number"], name="one_guide_version_number_per_programme"),
        ]

    def __str__(self) -> str:
        return f"Version {self.number}" if self.number else f"Proposed change to {self.section or 'the guide'}"
