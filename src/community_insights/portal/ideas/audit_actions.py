"""The audit actions of the ideas area (imported from ``IdeasConfig.ready``)."""

from community_insights.portal.core.audit import declare

declare(
    **{
        "ideas.news_post_create": "Wrote a news post",
        "ideas.news_post_update": "Changed a news post",
        "ideas.lead_create": "A VCS organisation asked to take part",
        "ideas.lead_update": "Followed up an interest lead",
        "ideas.slot_create": "Offered an office hours time",
        "ideas.slot_withdraw": "Withdrew an office hours time",
        "ideas.booking_create": "Office hours booked",
        "ideas.booking_cancel": "Office hours booking cancelled",
        "ideas.booking_notes": "Wrote notes on an office hours conversation",
        "ideas.booking_remind": "Sent an office hours reminder",
        "ideas.idea_submit": "Put forward an idea",
        "ideas.idea_shape": "Shaped an idea into a question",
        "ideas.idea_status": "Changed the status of an idea",
        "ideas.candidate_project_create": "Started a candidate project from an idea",
        "ideas.scoping_session_create": "Planned a scoping session",
        "ideas.scoping_session_cancel": "Cancelled a scoping session",
        "ideas.scoping_attendee_add": "Added someone to a scoping session",
        "ideas.scoping_attendee_remove": "Removed someone from a scoping session",
        "ideas.agenda_note_save": "Wrote scoping session notes",
        "ideas.data_need_add": "Noted data we might need",
        "ideas.data_need_remove": "Removed a data source from the scoping notes",
    }
)
