"""Demo words for the programme's landing page."""

from __future__ import annotations

from typing import Any

from community_insights.portal.programme.services import programme_ensure


def load(context: Any) -> None:
    programme = programme_ensure()
    if not programme.contact_email:
        programme.contact_email = "community.insights@northmoor-council.example"
        programme.save(update_fields=["contact_email", "updated_at"])
    context.extra["programme"] = programme
