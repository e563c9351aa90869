"""Who may open each URL of the ideas area (format: tests/portal/access.py)."""

from __future__ import annotations

from typing import Any

from community_insights.portal.ideas.services import booking_cancel_token
from tests.portal.access import LOGIN, MEMBERS, PUBLIC, SIGNED_IN, Case, expect
from tests.portal.ideas.factories import make_booking, make_idea, make_lead, make_post, make_session, make_slot

FACILITATOR = expect(LOGIN, default=403, facilitator=200, staff=200)
FACILITATOR_POST = expect(LOGIN, default=403, facilitator=302, staff=302)
# Object pages: another organisation's member is not told the idea exists.
IDEA_FACILITATOR = expect(LOGIN, default=403, outsider=404, facilitator=200, staff=200)
IDEA_FACILITATOR_POST = expect(LOGIN, default=403, outsider=404, facilitator=302, staff=302)
# Notes: the facilitator and the people in the session (the proposer is added when it is planned).
SESSION_NOTES = expect(LOGIN, default=403, outsider=404, facilitator=200, staff=200, vcs_member_lead=200)
SESSION_NOTES_POST = expect(LOGIN, default=403, outsider=404, facilitator=302, staff=302, vcs_member_lead=302)


def _idea(w: Any) -> dict[str, Any]:
    return {"pk": make_idea(w).pk}


def _session(w: Any) -> dict[str, Any]:
    return {"pk": make_session(w).pk}


def _attendee(w: Any) -> dict[str, Any]:
    session = make_session(w)
    return {"pk": session.pk, "attendee_id": session.attendees.first().pk}


def _need(w: Any) -> dict[str, Any]:
    session = make_session(w)
    need = session.data_needs.create(source_category="public", description="ONS population estimates")
    return {"pk": session.pk, "need_id": need.pk}


CASES = [
    Case("ideas:news_list", expect=PUBLIC),
    Case("ideas:news_feed", expect=PUBLIC),
    Case("ideas:news_detail", kwargs=lambda w: {"slug": make_post().slug}, expect=PUBLIC),
    Case(
        "ideas:news_detail",
        kwargs=lambda w: {"slug": make_post(published=False, title="Draft news").slug},
        expect=expect(404, default=404, facilitator=200, staff=200),
        note="draft",
    ),
    Case("ideas:interest", expect=PUBLIC),
    Case("ideas:interest_thanks", expect=PUBLIC),
    Case("ideas:catalogue", expect=PUBLIC),
    Case("ideas:office_hours", expect=PUBLIC),
    Case("ideas:booking_create", kwargs=lambda w: {"slot_id": make_slot(w).pk}, expect=PUBLIC),
    Case("ideas:booking_done", expect=PUBLIC),
    Case("ideas:booking_cancel", kwargs=lambda w: {"token": booking_cancel_token(make_booking(w))}, expect=PUBLIC),
    Case(
        "ideas:booking_cancel",
        kwargs=lambda w: {"token": "forged:token"},
        expect=expect(404, default=404),
        note="forged",
    ),
    Case("ideas:manage", expect=FACILITATOR),
    Case("ideas:news_manage", expect=FACILITATOR),
    Case("ideas:news_create", expect=FACILITATOR),
    Case("ideas:news_edit", kwargs=lambda w: {"slug": make_post().slug}, expect=FACILITATOR),
    Case("ideas:lead_list", expect=FACILITATOR),
    Case("ideas:lead_detail", kwargs=lambda w: {"pk": make_lead().pk}, expect=FACILITATOR),
    Case("ideas:office_hours_manage", expect=FACILITATOR),
    Case("ideas:slot_create", expect=FACILITATOR),
    Case("ideas:slot_withdraw", kwargs=lambda w: {"pk": make_slot(w).pk}, method="post", expect=FACILITATOR_POST),
    Case("ideas:booking_detail", kwargs=lambda w: {"pk": make_booking(w).pk}, expect=FACILITATOR),
    Case(
        "ideas:booking_facilitator_cancel",
        kwargs=lambda w: {"pk": make_booking(w).pk},
        method="post",
        expect=FACILITATOR_POST,
    ),
    Case("ideas:idea_list", expect=SIGNED_IN),
    Case("ideas:idea_create", expect=SIGNED_IN),
    Case("ideas:idea_detail", kwargs=_idea, expect=MEMBERS),
    Case("ideas:idea_shape", kwargs=_idea, expect=IDEA_FACILITATOR),
    Case("ideas:idea_status", kwargs=_idea, expect=IDEA_FACILITATOR),
    Case("ideas:session_create", kwargs=_idea, expect=IDEA_FACILITATOR),
    Case("ideas:session_detail", kwargs=_session, expect=MEMBERS),
    Case("ideas:attendee_add", kwargs=_session, expect=IDEA_FACILITATOR),
    Case("ideas:session_cancel", kwargs=_session, method="post", expect=IDEA_FACILITATOR_POST),
    Case("ideas:attendee_remove", kwargs=_attendee, method="post", expect=IDEA_FACILITATOR_POST),
    Case("ideas:agenda_note", kwargs=lambda w: {**_session(w), "item_key": "problem"}, expect=SESSION_NOTES),
    Case("ideas:data_need_add", kwargs=_session, expect=SESSION_NOTES),
    Case("ideas:data_need_remove", kwargs=_need, method="post", expect=SESSION_NOTES_POST),
]
