"""Audit actions of the programme area."""

from community_insights.portal.core.audit import declare

declare(
    **{
        "programme.programme_update": "Changed the programme's landing page",
        "programme.programme_create": "Set up a programme",
        "programme.branding_update": "Changed the programme's branding",
        "programme.member_add": "Added someone to the programme",
    }
)
