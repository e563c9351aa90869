"""Audit actions of the programme area."""

from community_insights.portal.core.audit import declare

declare(**{"programme.programme_update": "Changed the programme's landing page"})
