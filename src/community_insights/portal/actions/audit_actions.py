"""The audit actions of the insights to actions area (imported from ``ActionsConfig.ready``)."""

from community_insights.portal.core.audit import declare

declare(
    **{
        "actions.meeting_plan": "Planned an insights to actions meeting",
        "actions.attendee_invite": "Invited an organisation to an insights to actions meeting",
        "actions.packet_save": "Wrote the insights to actions packet",
        "actions.packet_download": "Downloaded the insights to actions packet (PDF)",
    }
)
