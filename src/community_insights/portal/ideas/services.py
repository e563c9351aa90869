"""Every write of the ideas area: news, leads, office hours, ideas and scoping sessions.

Each service checks permission, validates, saves, records one audit entry in the
same transaction and queues its emails on commit (house style). Audit entries
never carry the names, emails or free text people typed, only ids and statuses.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

from community_insights.portal.core import audit
from community_insights.portal.core.exceptions import ApplicationError, NotPermitted
from community_insights.portal.core.notifications import Attachment, Message, notify
from community_insights.portal.ideas import guide, permissions
from community_insights.portal.ideas.calendar import booking_calendar
from community_insights.portal.ideas.models import (
    AgendaNote,
    DataNeed,
    Idea,
    InterestLead,
    NewsPost,
    OfficeHourBooking,
    OfficeHourSlot,
    ScopingAttendee,
    ScopingSession,
)

CANCEL_SALT = "community-insights.office-hours.cancel"
REMINDER_WINDOW = timedelta(hours=24)


# --------------------------------------------------------------------------- helpers


def absolute_url(path: str, base_url: str | None = None) -> str:
    """A link for an email: the request's own address, or ``INSIGHTS_BASE_URL`` when there is none.

    Scheduled work (reminders) has no request, so a server must set ``INSIGHTS_BASE_URL``;
    the laptop address is only the last resort when it is unset.
    """
    base = base_url or settings.INSIGHTS_BASE_URL or "http://127.0.0.1:8000"
    return base.rstrip("/") + path


def facilitator_emails() -> list[str]:
    """Where programme enquiries go: the programme's contact address, else every facilitator."""
    from community_insights.portal.people.models import User
    from community_insights.portal.programme.selectors import programme_get

    contact = programme_get().contact_email
    if contact:
        return [contact]
    users = User.objects.filter(is_active=True).filter(Q(is_staff=True) | Q(project_roles__role="facilitator"))
    return sorted({u.email for u in users})


def _require(allowed: bool, message: str = "You do not have permission to do that.") -> None:
    if not allowed:
        raise NotPermitted(message)


def _unique_slug(model: Any, text: str) -> str:
    base = slugify(text)[:180] or "item"
    slug, n = base, 2
    while model.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


# --------------------------------------------------------------------------- news


@transaction.atomic
def news_post_create(*, actor: Any, title: str, summary: str, body: str, publish: bool) -> NewsPost:
    _require(permissions.can_manage_programme_news(actor))
    post = NewsPost(
        title=title.strip(),
        slug=_unique_slug(NewsPost, title),
        summary=summary.strip(),
        body=body.strip(),
        author=actor,
        published_at=timezone.now() if publish else None,
    )
    post.full_clean()
    post.save()
    audit.record(actor=actor, action="ideas.news_post_create", target=post, changes={"published": publish})
    return post


@transaction.atomic
def news_post_update(*, actor: Any, post: NewsPost, title: str, summary: str, body: str, publish: bool) -> NewsPost:
    _require(permissions.can_manage_programme_news(actor))
    was_published = post.is_published
    post.title, post.summary, post.body = title.strip(), summary.strip(), body.strip()
    if publish and not was_published:
        post.published_at = timezone.now()
    elif not publish:
        post.published_at = None
    post.full_clean()
    post.save(update_fields=["title", "summary", "body", "published_at", "updated_at"])
    audit.record(actor=actor, action="ideas.news_post_update", target=post, changes={"published": publish})
    return post


# --------------------------------------------------------------------------- leads


@transaction.atomic
def lead_create(
    *,
    name: str,
    organisation_name: str,
    email: str,
    interest: str,
    wants_office_hours: bool,
    base_url: str | None = None,
) -> InterestLead:
    """A VCS organisation asked to take part: a lead for the facilitator, and a thank-you."""
    lead = InterestLead(
        name=name.strip(),
        organisation_name=organisation_name.strip(),
        email=email.strip().lower(),
        interest=interest.strip(),
        wants_office_hours=wants_office_hours,
    )
    lead.full_clean()
    lead.save()
    audit.record(
        actor="visitor (interest form)",
        action="ideas.lead_create",
        target=lead,
        changes={"wants_office_hours": wants_office_hours},
    )
    notify(
        Message(
            to=facilitator_emails(),
            subject=f"New interest in Community Insights from {lead.organisation_name}",
            template="ideas/emails/lead_for_facilitator",
            context={"lead": lead, "url": absolute_url(reverse("ideas:lead_detail", args=[lead.pk]), base_url)},
        )
    )
    notify(
        Message(
            to=[lead.email],
            subject="Thank you for your interest in Community Insights",
            template="ideas/emails/lead_thanks",
            context={"lead": lead, "office_hours_url": absolute_url(reverse("ideas:office_hours"), base_url)},
        )
    )
    return lead


@transaction.atomic
def lead_update(*, actor: Any, lead: InterestLead, status: str, notes: str) -> InterestLead:
    _require(permissions.can_manage_leads(actor))
    old = lead.status
    lead.status, lead.notes = status, notes.strip()
    lead.full_clean()
    lead.save(update_fields=["status", "notes", "updated_at"])
    audit.record(actor=actor, action="ideas.lead_update", target=lead, changes={"status": [old, status]})
    return lead


# --------------------------------------------------------------------------- office hours


@transaction.atomic
def slot_create(
    *, actor: Any, starts_at: datetime, ends_at: datetime, mode: str, location: str, facilitator: Any = None
) -> OfficeHourSlot:
    """Publish a time for office hours; the acting facilitator hosts unless another is named."""
    _require(permissions.can_manage_office_hours(actor))
    if ends_at <= starts_at:
        raise ApplicationError("The end time must be after the start time.", extra={"field": "ends_at"})
    if starts_at <= timezone.now():
        raise ApplicationError("The start time must be in the future.", extra={"field": "starts_at"})
    slot = OfficeHourSlot(
        starts_at=starts_at, ends_at=ends_at, mode=mode, location=location.strip(), facilitator=facilitator or actor
    )
    slot.full_clean()
    slot.save()
    audit.record(actor=actor, action="ideas.slot_create", target=slot, changes={"mode": mode})
    return slot


@transaction.atomic
def slot_withdraw(*, actor: Any, slot: OfficeHourSlot, base_url: str | None = None) -> OfficeHourSlot:
    """Take a slot down; a booking on it is cancelled and both sides are told."""
    _require(permissions.can_manage_office_hours(actor))
    if slot.withdrawn_at is not None:
        raise ApplicationError("This time has already been withdrawn.")
    for booking in slot.bookings.filter(status=OfficeHourBooking.Status.BOOKED):
        booking_cancel(actor=actor, booking=booking, by_facilitator=True, base_url=base_url)
    slot.withdrawn_at = timezone.now()
    slot.is_published = False
    slot.save(update_fields=["withdrawn_at", "is_published", "updated_at"])
    audit.record(actor=actor, action="ideas.slot_withdraw", target=slot)
    return slot


def booking_cancel_token(booking: OfficeHourBooking) -> str:
    """The secret in a booking's cancellation link (signed, so reminders can repeat it)."""
    return signing.Signer(salt=CANCEL_SALT).sign(str(booking.uid))


def booking_uid_from_token(token: str) -> str | None:
    try:
        return signing.Signer(salt=CANCEL_SALT).unsign(token)
    except signing.BadSignature:
        return None


def _booking_links(booking: OfficeHourBooking, base_url: str | None) -> dict[str, str]:
    return {
        "cancel_url": absolute_url(reverse("ideas:booking_cancel", args=[booking_cancel_token(booking)]), base_url),
        "manage_url": absolute_url(reverse("ideas:booking_detail", args=[booking.pk]), base_url),
        "idea_url": absolute_url(reverse("ideas:idea_create"), base_url),
        "office_hours_url": absolute_url(reverse("ideas:office_hours"), base_url),
    }


def _booking_emails(booking: OfficeHourBooking, *, kind: str, base_url: str | None) -> None:
    """Email the booker and the facilitator, each with the calendar file."""
    slot = booking.slot
    cancelled = kind == "cancelled"
    ics = booking_calendar(booking, cancelled=cancelled)
    method = "CANCEL" if cancelled else "REQUEST"
    attachment = Attachment("office-hours.ics", ics, f"text/calendar; method={method}")
    context = {"booking": booking, "slot": slot, **_booking_links(booking, base_url)}
    when = timezone.localtime(slot.starts_at).strftime("%-d %B %Y at %-I:%M%p").replace("AM", "am").replace("PM", "pm")
    subjects = {
        "booked": (f"Your office hours conversation on {when}", f"Office hours booked: {when}"),
        "cancelled": (f"Cancelled: office hours conversation on {when}", f"Office hours cancelled: {when}"),
        "reminder": (f"Reminder: office hours conversation on {when}", f"Reminder: office hours on {when}"),
    }
    booker_subject, facilitator_subject = subjects[kind]
    notify(
        Message(
            to=[booking.email],
            subject=booker_subject,
            template=f"ideas/emails/booking_{kind}_booker",
            context=context,
            attachments=[attachment],
        )
    )
    notify(
        Message(
            to=[slot.facilitator.email],
            subject=facilitator_subject,
            template=f"ideas/emails/booking_{kind}_facilitator",
            context=context,
            attachments=[attachment],
        )
    )


@dataclass(frozen=True)
class BookingResult:
    booking: OfficeHourBooking
    cancel_token: str


@transaction.atomic
def booking_create(
    *, slot_id: int, name: str, organisation_name: str, email: str, idea: str, base_url: str | None = None
) -> BookingResult:
    """Book a slot without an account; both sides get an email with an invitation."""
    slot = OfficeHourSlot.objects.select_for_update().select_related("facilitator").filter(pk=slot_id).first()
    if slot is None or not slot.is_published or slot.withdrawn_at is not None:
        raise ApplicationError("This time is no longer offered. Choose another time.")
    if slot.starts_at <= timezone.now():
        raise ApplicationError("This time has passed. Choose another time.")
    if slot.bookings.filter(status=OfficeHourBooking.Status.BOOKED).exists():
        raise ApplicationError("Someone has just booked this time. Choose another time.")
    booking = OfficeHourBooking(
        slot=slot,
        name=name.strip(),
        organisation_name=organisation_name.strip(),
        email=email.strip().lower(),
        idea=idea.strip(),
    )
    booking.full_clean()
    booking.save()
    audit.record(actor="visitor (office hours booking)", action="ideas.booking_create", target=booking)
    _booking_emails(booking, kind="booked", base_url=base_url)
    return BookingResult(booking, booking_cancel_token(booking))


@transaction.atomic
def booking_cancel(
    *, actor: Any, booking: OfficeHourBooking, by_facilitator: bool, base_url: str | None = None
) -> OfficeHourBooking:
    """Cancel through the link in the email (anyone holding it) or by the facilitator."""
    if by_facilitator:
        _require(permissions.can_manage_office_hours(actor))
    if booking.status == OfficeHourBooking.Status.CANCELLED:
        raise ApplicationError("This booking has already been cancelled.")
    booking.status = OfficeHourBooking.Status.CANCELLED
    booking.cancelled_at = timezone.now()
    booking.cancelled_by_facilitator = by_facilitator
    booking.save(update_fields=["status", "cancelled_at", "cancelled_by_facilitator", "updated_at"])
    audit.record(
        actor=actor if by_facilitator else "visitor (cancellation link)",
        action="ideas.booking_cancel",
        target=booking,
        changes={"by_facilitator": by_facilitator},
    )
    _booking_emails(booking, kind="cancelled", base_url=base_url)
    return booking


@transaction.atomic
def booking_update_notes(*, actor: Any, booking: OfficeHourBooking, notes: str) -> OfficeHourBooking:
    _require(permissions.can_manage_office_hours(actor))
    booking.notes = notes.strip()
    booking.save(update_fields=["notes", "updated_at"])
    audit.record(actor=actor, action="ideas.booking_notes", target=booking)
    return booking


def booking_send_due_reminders(*, now: datetime | None = None, window: timedelta = REMINDER_WINDOW) -> int:
    """Email a reminder for each booked conversation starting within ``window``; once per booking.

    Run it every hour or so (``manage.py send_office_hours_reminders`` or the
    ``send_office_hours_reminders_task`` task). Each booking is handled in its own
    transaction, so one bad address does not hold back the others.
    """
    now = now or timezone.now()
    due = OfficeHourBooking.objects.filter(
        status=OfficeHourBooking.Status.BOOKED,
        reminder_sent_at__isnull=True,
        slot__starts_at__gt=now,
        slot__starts_at__lte=now + window,
    ).values_list("pk", flat=True)
    sent = 0
    for pk in list(due):
        with transaction.atomic():
            booking = OfficeHourBooking.objects.select_for_update().select_related("slot__facilitator").get(pk=pk)
            if booking.reminder_sent_at is not None or booking.status != OfficeHourBooking.Status.BOOKED:
                continue
            booking.reminder_sent_at = now
            booking.save(update_fields=["reminder_sent_at", "updated_at"])
            audit.record(actor="scheduled reminders", action="ideas.booking_remind", target=booking)
            _booking_emails(booking, kind="reminder", base_url=None)
            sent += 1
    return sent


# --------------------------------------------------------------------------- ideas


def _notify_proposer(idea: Idea, *, subject: str, template: str, base_url: str | None = None) -> None:
    notify(
        Message(
            to=[idea.proposer.email],
            subject=subject,
            template=template,
            context={"idea": idea, "url": absolute_url(reverse("ideas:idea_detail", args=[idea.pk]), base_url)},
        )
    )


@transaction.atomic
def idea_submit(
    *,
    actor: Any,
    title: str,
    problem: str,
    who_is_affected: str,
    decision_informed: str,
    booking: OfficeHourBooking | None = None,
    base_url: str | None = None,
) -> Idea:
    """A VCS colleague puts forward an idea; the facilitator hears about it."""
    _require(permissions.can_submit_idea(actor), "Sign in to put forward an idea.")
    idea = Idea(
        title=title.strip(),
        problem=problem.strip(),
        who_is_affected=who_is_affected.strip(),
        decision_informed=decision_informed.strip(),
        proposer=actor,
        organisation=actor.organisation,
        booking=booking,
    )
    idea.full_clean()
    idea.save()
    audit.record(actor=actor, action="ideas.idea_submit", target=idea)
    notify(
        Message(
            to=facilitator_emails(),
            subject=f"New idea: {idea.title}",
            template="ideas/emails/idea_for_facilitator",
            context={"idea": idea, "url": absolute_url(reverse("ideas:idea_detail", args=[idea.pk]), base_url)},
        )
    )
    return idea


@transaction.atomic
def idea_shape(*, actor: Any, idea: Idea, title: str, question: str) -> Idea:
    """The facilitator helps turn the problem into a question a project could answer."""
    _require(permissions.can_shape_idea(actor))
    idea.title, idea.question = title.strip(), question.strip()
    idea.full_clean()
    idea.save(update_fields=["title", "question", "updated_at"])
    if idea.project_id:
        project = idea.project
        assert project is not None
        project.title, project.question = idea.title, idea.question or project.question
        project.save(update_fields=["title", "question", "updated_at"])
    audit.record(actor=actor, action="ideas.idea_shape", target=idea, changes={"question_set": bool(idea.question)})
    return idea


# Which statuses the facilitator may move an idea to from each status; "selected" is
# recorded by the selection area when the core team decides.
STATUS_MOVES: dict[str, tuple[str, ...]] = {
    Idea.Status.SUBMITTED: (Idea.Status.IN_SCOPING, Idea.Status.NOT_TAKEN_FORWARD),
    Idea.Status.IN_SCOPING: (Idea.Status.READY_FOR_EVALUATION, Idea.Status.NOT_TAKEN_FORWARD),
    Idea.Status.READY_FOR_EVALUATION: (Idea.Status.IN_SCOPING, Idea.Status.NOT_TAKEN_FORWARD),
    Idea.Status.NOT_TAKEN_FORWARD: (Idea.Status.IN_SCOPING,),
    Idea.Status.SELECTED: (),
}


def _ensure_candidate_project(idea: Idea, actor: Any) -> None:
    """Scoping starts a candidate project, so its data inventory and team have a home."""
    from community_insights.portal.projects import services as projects_services
    from community_insights.portal.projects.models import Project

    if idea.project_id is None:
        new_project = Project.objects.create(
            title=idea.title,
            slug=_unique_slug(Project, idea.title),
            question=idea.question or idea.problem,
            summary=idea.problem,
            phase=2,
            lead_organisation=idea.organisation,
            created_by=actor,
        )
        idea.project = new_project
        idea.save(update_fields=["project", "updated_at"])
        audit.record(
            actor=actor, action="ideas.candidate_project_create", target=new_project, changes={"idea": idea.pk}
        )
    project = idea.project
    assert project is not None
    if not getattr(actor, "is_authenticated", False):
        return
    # The facilitator first: once on the team they run it and may add the proposer. The
    # proposer hears about scoping in this area's own email, so no second one about the role.
    projects_services.project_role_ensure(actor=actor, project=project, user=actor, role="facilitator")
    if idea.proposer.is_active:
        projects_services.project_role_ensure(
            actor=actor, project=project, user=idea.proposer, role="vcs_member_lead", notify_user=False
        )


@transaction.atomic
def idea_change_status(*, actor: Any, idea: Idea, status: str, reason: str = "", base_url: str | None = None) -> Idea:
    """Move an idea on (or stop it, with the reason); the proposer sees it and gets an email."""
    _require(permissions.can_change_idea_status(actor))
    old = idea.status
    if status not in STATUS_MOVES.get(old, ()):
        raise ApplicationError(
            f"An idea that is {idea.get_status_display().lower()} cannot move to {Idea.Status(status).label.lower()}.",
            extra={"field": "status"},
        )
    if status == Idea.Status.NOT_TAKEN_FORWARD and not reason.strip():
        raise ApplicationError("Enter the reason the idea is not being taken forward.", extra={"field": "reason"})
    if status == Idea.Status.READY_FOR_EVALUATION and not idea.question.strip():
        raise ApplicationError(
            "Shape the idea into a question before it is ready for evaluation.", extra={"field": "status"}
        )
    idea.status = status
    idea.status_reason = reason.strip() if status == Idea.Status.NOT_TAKEN_FORWARD else ""
    idea.save(update_fields=["status", "status_reason", "updated_at"])
    if status == Idea.Status.IN_SCOPING:
        _ensure_candidate_project(idea, actor)
    audit.record(actor=actor, action="ideas.idea_status", target=idea, changes={"status": [old, status]})
    _notify_proposer(
        idea,
        subject=f"Your idea is now: {idea.get_status_display().lower()}",
        template="ideas/emails/idea_status",
        base_url=base_url,
    )
    return idea


@transaction.atomic
def idea_record_outcome(*, actor: Any, idea: Idea, selected: bool, reason: str) -> Idea:
    """Called by the selection area when the core team decides (it emails the proposer itself)."""
    old = idea.status
    idea.status = Idea.Status.SELECTED if selected else Idea.Status.NOT_TAKEN_FORWARD
    idea.status_reason = "" if selected else reason.strip()
    idea.save(update_fields=["status", "status_reason", "updated_at"])
    audit.record(actor=actor, action="ideas.idea_status", target=idea, changes={"status": [old, idea.status]})
    return idea


# --------------------------------------------------------------------------- scoping sessions


@transaction.atomic
def scoping_session_create(
    *, actor: Any, idea: Idea, starts_at: datetime, location: str, base_url: str | None = None
) -> ScopingSession:
    """Plan a scoping session; the facilitator and the proposer are in it from the start."""
    _require(permissions.can_plan_scoping(actor))
    if idea.status not in (Idea.Status.SUBMITTED, Idea.Status.IN_SCOPING, Idea.Status.READY_FOR_EVALUATION):
        raise ApplicationError("Scoping sessions can only be planned for ideas still being scoped.")
    session = ScopingSession(idea=idea, starts_at=starts_at, location=location.strip(), created_by=actor)
    session.full_clean()
    session.save()
    if idea.status == Idea.Status.SUBMITTED:
        idea.status = Idea.Status.IN_SCOPING
        idea.save(update_fields=["status", "updated_at"])
        audit.record(
            actor=actor, action="ideas.idea_status", target=idea, changes={"status": ["submitted", "in_scoping"]}
        )
    _ensure_candidate_project(idea, actor)
    ScopingAttendee.objects.create(session=session, user=actor, name=actor.get_full_name(), role="facilitator")
    ScopingAttendee.objects.create(
        session=session, user=idea.proposer, name=idea.proposer.get_full_name(), role="proposer"
    )
    audit.record(actor=actor, action="ideas.scoping_session_create", target=session, project_id=idea.project_id)
    notify(
        Message(
            to=[idea.proposer.email],
            subject=f"Scoping session for your idea: {idea.title}",
            template="ideas/emails/scoping_invite",
            context={
                "idea": idea,
                "session": session,
                "url": absolute_url(reverse("ideas:session_detail", args=[session.pk]), base_url),
            },
        )
    )
    return session


@transaction.atomic
def scoping_attendee_add(
    *, actor: Any, session: ScopingSession, role: str, user: Any = None, name: str = ""
) -> ScopingAttendee:
    """Add someone to a session; people with an account also join the candidate project's team."""
    _require(permissions.can_plan_scoping(actor))
    if role not in dict(guide.attendee_role_choices()):
        raise ApplicationError("Choose a role from the list.", extra={"field": "role"})
    if user is None and not name.strip():
        raise ApplicationError("Choose a person or enter their name.", extra={"field": "name"})
    if user is not None and session.attendees.filter(user=user, role=role).exists():
        raise ApplicationError("This person is already in the session in that role.", extra={"field": "user"})
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
    audit.record(
        actor=actor,
        action="ideas.scoping_attendee_add",
        target=session,
        project_id=session.idea.project_id,
        changes={"role": role, "has_account": user is not None},
    )
    return attendee


@transaction.atomic
def scoping_attendee_remove(*, actor: Any, attendee: ScopingAttendee) -> None:
    _require(permissions.can_plan_scoping(actor))
    session = attendee.session
    role = attendee.role
    attendee.delete()
    audit.record(
        actor=actor,
        action="ideas.scoping_attendee_remove",
        target=session,
        project_id=session.idea.project_id,
        changes={"role": role},
    )


@transaction.atomic
def agenda_note_save(*, actor: Any, session: ScopingSession, item_key: str, notes: str, is_done: bool) -> AgendaNote:
    """Record notes on one agenda item and tick it off."""
    _require(permissions.can_take_scoping_notes(actor, session))
    try:
        guide.agenda_item(item_key)
    except KeyError:
        raise ApplicationError("That is not an item of the agenda.") from None
    note, _ = AgendaNote.objects.get_or_create(session=session, item_key=item_key)
    note.notes, note.is_done, note.updated_by = notes.strip(), is_done, actor
    note.save(update_fields=["notes", "is_done", "updated_by", "updated_at"])
    audit.record(
        actor=actor,
        action="ideas.agenda_note_save",
        target=session,
        project_id=session.idea.project_id,
        changes={"item": item_key, "done": is_done},
    )
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
    _require(permissions.can_take_scoping_notes(actor, session))
    if source_category not in dict(guide.source_category_choices()):
        raise ApplicationError("Choose where the data would come from.", extra={"field": "source_category"})
    if catalogue_key and guide.public_dataset(catalogue_key) is None:
        raise ApplicationError("Choose a dataset from the catalogue.", extra={"field": "catalogue_key"})
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
    audit.record(
        actor=actor,
        action="ideas.data_need_add",
        target=session,
        project_id=session.idea.project_id,
        changes={"source_category": source_category, "catalogue": catalogue_key},
    )
    return need


@transaction.atomic
def data_need_remove(*, actor: Any, need: DataNeed) -> None:
    session = need.session
    _require(permissions.can_take_scoping_notes(actor, session))
    category = need.source_category
    need.delete()
    audit.record(
        actor=actor,
        action="ideas.data_need_remove",
        target=session,
        project_id=session.idea.project_id,
        changes={"source_category": category},
    )
