"""Phase 2, Part 1 of the guide: set up, prepare and hold the scoping session.

The session's people (Step 1, the minimum roles), its agenda notes (Step 3, item 1: the problem
turned into a question) and the data we might need (Step 3, item 2: data scoping, offered to the
candidate project's data inventory). Each service checks permission, validates, saves and records
one audit entry in the same transaction; audit entries never carry the notes people typed.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from community_insights.portal.core import audit
from community_insights.portal.core.exceptions import ApplicationError
from community_insights.portal.core.notifications import Attachment, Message, notify
from community_insights.portal.ideas import guide, permissions
from community_insights.portal.ideas.calendar import session_calendar, session_cancellation
from community_insights.portal.ideas.models import AgendaNote, DataNeed, Idea, ScopingAttendee, ScopingSession
from community_insights.portal.ideas.services.common import absolute_url, require
from community_insights.portal.ideas.services.ideas import ensure_candidate_project


def _record(actor: Any, action: str, session: ScopingSession, changes: dict[str, Any]) -> None:
    """One audit entry about a session, filed under the candidate project so its audit page shows it."""
    audit.record(actor=actor, action=action, target=session, project_id=session.idea.project_id, changes=changes)


@transaction.atomic
def scoping_session_create(
    *,
    actor: Any,
    idea: Idea,
    starts_at: datetime,
    ends_at: datetime,
    location: str,
    base_url: str | None = None,
) -> ScopingSession:
    """Plan a scoping session; the facilitator and the proposer are in it from the start."""
    require(permissions.can_plan_scoping(actor))
    if idea.status not in (Idea.Status.SUBMITTED, Idea.Status.IN_SCOPING, Idea.Status.READY_FOR_EVALUATION):
        raise ApplicationError("Scoping sessions can only be planned for ideas still being scoped.")
    if ends_at <= starts_at:
        raise ApplicationError("The session must end after it starts.", field="duration")
    session = ScopingSession(
        idea=idea, starts_at=starts_at, ends_at=ends_at, location=location.strip(), created_by=actor
    )
    session.full_clean()
    session.save()
    if idea.status == Idea.Status.SUBMITTED:
        idea.status = Idea.Status.IN_SCOPING
        idea.save(update_fields=["status", "updated_at"])
        audit.record(
            actor=actor, action="ideas.idea_status", target=idea, changes={"status": ["submitted", "in_scoping"]}
        )
    ensure_candidate_project(idea, actor)
    ScopingAttendee.objects.create(session=session, user=actor, name=actor.get_full_name(), role="facilitator")
    ScopingAttendee.objects.create(
        session=session, user=idea.proposer, name=idea.proposer.get_full_name(), role="proposer"
    )
    audit.record(actor=actor, action="ideas.scoping_session_create", target=session, project_id=idea.project_id)
    _invite_to_session(session, idea.proposer, base_url)
    return session


def _session_link(session: ScopingSession, base_url: str | None) -> str:
    return absolute_url(reverse("ideas:session_detail", args=[session.pk]), base_url)


def _invite_to_session(session: ScopingSession, person: Any, base_url: str | None) -> None:
    """Email one attendee the date, place and link of a session, with the calendar file (.ics)."""
    if person is None or not person.email:
        return
    idea = session.idea
    url = _session_link(session, base_url)
    ics = session_calendar(session, url=url)
    notify(
        Message(
            to=[person.email],
            subject=f"Scoping session: {idea.title}",
            template="ideas/emails/scoping_invite",
            context={"idea": idea, "session": session, "url": url, "name": person.get_short_name()},
            attachments=[Attachment("scoping-session.ics", ics, "text/calendar; method=REQUEST")],
        )
    )


@transaction.atomic
def scoping_attendee_add(
    *, actor: Any, session: ScopingSession, role: str, user: Any = None, name: str = "", base_url: str | None = None
) -> ScopingAttendee:
    """Add someone to a session; people with an account join the candidate project's team and are invited."""
    require(permissions.can_plan_scoping(actor))
    _require_not_cancelled(session)
    if role not in dict(guide.attendee_role_choices()):
        raise ApplicationError("Choose a role from the list.", field="role")
    if user is None and not name.strip():
        raise ApplicationError("Choose a person or enter their name.", field="name")
    if user is not None and session.attendees.filter(user=user, role=role).exists():
        raise ApplicationError("This person is already in the session in that role.", field="user")
    attendee = ScopingAttendee(
        session=session, user=user, name=(name.strip() or user.get_full_name()) if user else name.strip(), role=role
    )
    attendee.full_clean()
    attendee.save()
    project_role = next((r.project_role for r in guide.minimum_roles() if r.key == role), None)
    project = session.idea.project
    if user is not None and user.is_active and project_role and project is not None:
        from community_insights.portal.projects import services as projects_services

        projects_services.project_role_ensure(actor=actor, project=project, user=user, role=project_role)
    _record(actor, "ideas.scoping_attendee_add", session, {"role": role, "has_account": user is not None})
    if user is not None and user.is_active and user != actor:
        _invite_to_session(session, user, base_url)
    return attendee


@transaction.atomic
def scoping_attendee_remove(*, actor: Any, attendee: ScopingAttendee, base_url: str | None = None) -> None:
    """Take someone off a session; if they were sent an invitation, their calendar entry is withdrawn."""
    require(permissions.can_plan_scoping(actor))
    session = attendee.session
    role, person = attendee.role, attendee.user
    attendee.delete()
    _record(actor, "ideas.scoping_attendee_remove", session, {"role": role})
    if session.cancelled_at is None and _was_invited(session, person, actor) and not _still_attending(session, person):
        _bump_sequence(session)
        _send_cancellation(session, [person], base_url)


@transaction.atomic
def scoping_session_cancel(*, actor: Any, session: ScopingSession, base_url: str | None = None) -> ScopingSession:
    """Cancel a session: its notes stay, and everyone who was sent an invitation gets a cancellation (.ics)."""
    require(permissions.can_plan_scoping(actor))
    _require_not_cancelled(session)
    session.cancelled_at = timezone.now()
    session.save(update_fields=["cancelled_at", "updated_at"])
    _bump_sequence(session)
    _record(actor, "ideas.scoping_session_cancel", session, {})
    people = {a.user for a in session.attendees.select_related("user") if _was_invited(session, a.user, actor)}
    _send_cancellation(session, sorted(people, key=lambda u: u.email), base_url)
    return session


def _require_not_cancelled(session: ScopingSession) -> None:
    if session.cancelled_at is not None:
        raise ApplicationError("This scoping session was cancelled.")


def _was_invited(session: ScopingSession, person: Any, actor: Any) -> bool:
    """Whether the person was sent an invitation: attendees with an account and an email, not the planners."""
    planners = {actor.pk, session.created_by_id}
    return person is not None and person.is_active and bool(person.email) and person.pk not in planners


def _still_attending(session: ScopingSession, person: Any) -> bool:
    """Someone in a session in two roles keeps the calendar entry until taken off both."""
    return session.attendees.filter(user=person).exists()


def _bump_sequence(session: ScopingSession) -> None:
    session.calendar_sequence += 1
    session.save(update_fields=["calendar_sequence", "updated_at"])


def _send_cancellation(session: ScopingSession, people: list[Any], base_url: str | None) -> None:
    """One email per person with ``METHOD:CANCEL`` for the session's event, so their calendar drops it."""
    url = _session_link(session, base_url)
    whole = session.cancelled_at is not None
    subject = f"{'Cancelled' if whole else 'No longer needed'}: scoping session for {session.idea.title}"
    for person in people:
        ics = session_cancellation(session, [person], url=url)
        notify(
            Message(
                to=[person.email],
                subject=subject,
                template="ideas/emails/scoping_cancelled",
                context={
                    "idea": session.idea,
                    "session": session,
                    "whole": whole,
                    "url": url,
                    "name": person.get_short_name(),
                },
                attachments=[Attachment("scoping-session.ics", ics, "text/calendar; method=CANCEL")],
            )
        )


@transaction.atomic
def agenda_note_save(*, actor: Any, session: ScopingSession, item_key: str, notes: str, is_done: bool) -> AgendaNote:
    """Record notes on one agenda item and tick it off."""
    require(permissions.can_take_scoping_notes(actor, session))
    try:
        guide.agenda_item(item_key)
    except KeyError:
        raise ApplicationError("That is not an item of the agenda.") from None
    note, _ = AgendaNote.objects.get_or_create(session=session, item_key=item_key)
    note.notes, note.is_done, note.updated_by = notes.strip(), is_done, actor
    note.save(update_fields=["notes", "is_done", "updated_by", "updated_at"])
    _record(actor, "ideas.agenda_note_save", session, {"item": item_key, "done": is_done})
    return note


@transaction.atomic
def data_need_add(
    *,
    actor: Any,
    session: ScopingSession,
    source_category: str,
    description: str,
    held_by: str = "",
    catalogue_key: str = "",
) -> DataNeed:
    """Note a source of data we might need; it is offered to the project's data inventory."""
    require(permissions.can_take_scoping_notes(actor, session))
    if source_category not in dict(guide.source_category_choices()):
        raise ApplicationError("Choose where the data would come from.", field="source_category")
    if catalogue_key and guide.public_dataset(catalogue_key) is None:
        raise ApplicationError("Choose a dataset from the catalogue.", field="catalogue_key")
    need = DataNeed(
        session=session,
        source_category=source_category,
        description=description.strip(),
        held_by=held_by.strip(),
        catalogue_key=catalogue_key,
        added_by=actor,
    )
    need.full_clean()
    need.save()
    _record(actor, "ideas.data_need_add", session, {"source_category": source_category, "catalogue": catalogue_key})
    return need


@transaction.atomic
def data_need_remove(*, actor: Any, need: DataNeed) -> None:
    session = need.session
    require(permissions.can_take_scoping_notes(actor, session))
    category = need.source_category
    need.delete()
    _record(actor, "ideas.data_need_remove", session, {"source_category": category})
