"""The programme: one per installation, with the words of its public landing page."""

from __future__ import annotations

from django.db import models

from community_insights.portal.core.models import BaseModel
from community_insights.safety import DEFAULT_THRESHOLD


class Programme(BaseModel):
    """The Community Insights programme this portal runs (a single row)."""

    name = models.CharField(max_length=200, default="Community Insights Projects")
    introduction = models.TextField(
        default=(
            "Community Insights Projects bring together voluntary and community sector (VCS) staff and council "
            "data experts to explore how data can be used to deliver better support to residents."
        )
    )
    how_to_take_part = models.TextField(
        default=(
            "Book an office hours conversation with the facilitator, or tell us about a question your "
            "organisation would like answered."
        )
    )
    office_hours = models.TextField(
        blank=True,
        default=(
            "The facilitator holds office hours every Tuesday, 2pm to 4pm, online or at the Civic Centre. "
            "Come and talk about a question your organisation has, or how data could help the people you support."
        ),
        help_text="When and where office hours happen (the office hours area can replace this with bookable slots).",
    )
    contact_email = models.EmailField(blank=True)
    disclosure_threshold = models.PositiveIntegerField(
        default=DEFAULT_THRESHOLD, help_text="The smallest group size any published number may show."
    )

    def __str__(self) -> str:
        return self.name
