"""Every write of the ideas app, one module per step of the guide it serves.

- ``spread_the_word``: Phase 1, Step 2 (news posts, interest leads from the public form);
- ``office_hours``: Phase 1, Step 3 (times offered, bookings, reminders);
- ``ideas``: ideas heard in office hours and shaped into a question (Phase 1, Step 3 to Phase 2, Part 1);
- ``scoping``: Phase 2, Part 1 (scoping sessions, their agenda notes and data scoping).

Each service checks permission, validates, saves, records one audit entry in the same transaction
and queues its emails on commit (house style). The names are gathered here so other apps and the
tests can say ``ideas.services.idea_submit`` without knowing which step's module holds it.
"""

from community_insights.portal.ideas.services.common import absolute_url, facilitator_emails
from community_insights.portal.ideas.services.ideas import (
    STATUS_MOVES,
    idea_change_status,
    idea_record_outcome,
    idea_shape,
    idea_submit,
)
from community_insights.portal.ideas.services.office_hours import (
    CANCEL_SALT,
    REMINDER_WINDOW,
    BookingResult,
    booking_cancel,
    booking_cancel_token,
    booking_create,
    booking_send_due_reminders,
    booking_uid_from_token,
    booking_update_notes,
    slot_create,
    slot_withdraw,
)
from community_insights.portal.ideas.services.scoping import (
    agenda_note_save,
    data_need_add,
    data_need_remove,
    scoping_attendee_add,
    scoping_attendee_remove,
    scoping_session_cancel,
    scoping_session_create,
)
from community_insights.portal.ideas.services.spread_the_word import (
    lead_create,
    lead_update,
    news_post_create,
    news_post_from_area,
    news_post_update,
    news_post_withdraw_from_area,
)

__all__ = [
    "CANCEL_SALT",
    "REMINDER_WINDOW",
    "STATUS_MOVES",
    "BookingResult",
    "absolute_url",
    "agenda_note_save",
    "booking_cancel",
    "booking_cancel_token",
    "booking_create",
    "booking_send_due_reminders",
    "booking_uid_from_token",
    "booking_update_notes",
    "data_need_add",
    "data_need_remove",
    "facilitator_emails",
    "idea_change_status",
    "idea_record_outcome",
    "idea_shape",
    "idea_submit",
    "lead_create",
    "lead_update",
    "news_post_create",
    "news_post_from_area",
    "news_post_update",
    "news_post_withdraw_from_area",
    "scoping_attendee_add",
    "scoping_attendee_remove",
    "scoping_session_cancel",
    "scoping_session_create",
    "slot_create",
    "slot_withdraw",
]
