"""Reads of the ideas area; lookups scoped to the person raise 404 rather than reveal.

Every read is of the current programme (news, leads, office hours and ideas each
belong to one), so another programme's record answers 404 like a missing one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from community_insights.portal.ideas import guide, permissions
from community_insights.portal.ideas.models import (
    DataNeed,
    Idea,
    InterestLead,
    NewsPost,
    OfficeHourBooking,
    OfficeHourSlot,
    ScopingSession,
)
from community_insights.portal.programme.current import current_programme_id


def news_post_list(*, published_only: bool = True) -> QuerySet[NewsPost]:
    posts = NewsPost.objects.filter(programme_id=current_programme_id()).select_related("author")
    if published_only:
        posts = posts.filter(published_at__isnull=False, published_at__lte=timezone.now())
    return posts.order_by("-published_at", "-created_at")


def news_post_get_for_user(*, user: Any, slug: str) -> NewsPost:
    post = NewsPost.objects.filter(slug=slug, programme_id=current_programme_id()).first()
    if post is None or (not post.is_published and not permissions.can_manage_programme_news(user)):
        raise Http404("No such news post.")
    return post


def lead_list() -> QuerySet[InterestLead]:
    return InterestLead.objects.filter(programme_id=current_programme_id()).order_by("-created_at")


def lead_get(*, lead_id: int) -> InterestLead:
    lead = lead_list().filter(pk=lead_id).first()
    if lead is None:
        raise Http404("No such lead.")
    return lead


def slot_list_open() -> QuerySet[OfficeHourSlot]:
    """Published future slots nobody has booked yet: what a visitor can choose from."""
    return (
        OfficeHourSlot.objects.filter(
            programme_id=current_programme_id(),
            is_published=True,
            withdrawn_at__isnull=True,
            starts_at__gt=timezone.now(),
        )
        .exclude(bookings__status=OfficeHourBooking.Status.BOOKED)
        .select_related("facilitator")
        .order_by("starts_at")
    )


def slot_get_open(*, slot_id: int) -> OfficeHourSlot:
    slot = slot_list_open().filter(pk=slot_id).first()
    if slot is None:
        raise Http404("This time is no longer offered.")
    return slot


def slot_list_for_facilitator() -> QuerySet[OfficeHourSlot]:
    return (
        OfficeHourSlot.objects.filter(
            programme_id=current_programme_id(), starts_at__gte=timezone.now() - timedelta(days=30)
        )
        .select_related("facilitator")
        .prefetch_related("bookings")
        .order_by("starts_at")
    )


def slot_get(*, slot_id: int) -> OfficeHourSlot:
    slot = OfficeHourSlot.objects.filter(pk=slot_id, programme_id=current_programme_id()).first()
    if slot is None:
        raise Http404("No such time.")
    return slot


def _bookings() -> QuerySet[OfficeHourBooking]:
    return OfficeHourBooking.objects.select_related("slot", "slot__facilitator").order_by("-slot__starts_at")


def booking_list() -> QuerySet[OfficeHourBooking]:
    return _bookings().filter(slot__programme_id=current_programme_id())


def booking_get(*, booking_id: int) -> OfficeHourBooking:
    booking = booking_list().filter(pk=booking_id).first()
    if booking is None:
        raise Http404("No such booking.")
    return booking


def booking_get_by_token(*, token: str) -> OfficeHourBooking:
    from community_insights.portal.ideas.services.office_hours import booking_uid_from_token

    uid = booking_uid_from_token(token)
    # The signed link is the visitor's own key, whichever programme's page they are on.
    booking = _bookings().filter(uid=uid).first() if uid else None
    if booking is None:
        raise Http404("This link is not valid.")
    return booking


def facilitator_counts() -> dict[str, int]:
    """What waits for the facilitator: new leads, conversations still to come, ideas not yet looked at."""
    upcoming = booking_list().filter(status=OfficeHourBooking.Status.BOOKED, slot__starts_at__gte=timezone.now())
    return {
        "new_leads": lead_list().filter(status="new").count(),
        "upcoming": upcoming.count(),
        "submitted": Idea.objects.filter(programme_id=current_programme_id(), status=Idea.Status.SUBMITTED).count(),
    }


def idea_list_for_user(*, user: Any, status: str = "") -> QuerySet[Idea]:
    """Everything for the facilitator; for others, their own and their organisation's ideas."""
    ideas = Idea.objects.filter(programme_id=current_programme_id()).select_related(
        "proposer", "organisation", "project"
    )
    if not permissions.is_facilitator(user):
        scope = Q(proposer=user)
        if user.organisation_id:
            scope |= Q(organisation_id=user.organisation_id)
        scope |= Q(project__roles__user=user) | Q(scoping_sessions__attendees__user=user)
        ideas = ideas.filter(scope).distinct()
    if status:
        ideas = ideas.filter(status=status)
    return ideas.order_by("-created_at")


def idea_get_for_user(*, user: Any, idea_id: int) -> Idea:
    idea = (
        Idea.objects.select_related("proposer", "organisation", "project")
        .filter(pk=idea_id, programme_id=current_programme_id())
        .first()
    )
    if idea is None or not permissions.can_view_idea(user, idea):
        raise Http404("No such idea.")
    return idea


def session_get_for_user(*, user: Any, session_id: int) -> ScopingSession:
    session = (
        ScopingSession.objects.select_related("idea", "idea__proposer", "idea__project")
        .filter(pk=session_id, idea__programme_id=current_programme_id())
        .first()
    )
    if session is None or not permissions.can_view_session(user, session):
        raise Http404("No such scoping session.")
    return session


@dataclass(frozen=True)
class RoleCoverage:
    role: guide.MinimumRole
    attendees: list[Any]

    @property
    def is_missing(self) -> bool:
        return not self.attendees


def session_role_coverage(session: ScopingSession) -> list[RoleCoverage]:
    """Each of the guide's minimum roles with who fills it; an empty list means a warning."""
    attendees = list(session.attendees.all())
    return [RoleCoverage(r, [a for a in attendees if a.role == r.key]) for r in guide.minimum_roles()]


def session_missing_roles(session: ScopingSession) -> list[guide.MinimumRole]:
    return [c.role for c in session_role_coverage(session) if c.is_missing]


@dataclass(frozen=True)
class AgendaRow:
    item: guide.AgendaItem
    is_done: bool
    notes: str


def session_agenda(session: ScopingSession) -> list[AgendaRow]:
    notes = {n.item_key: n for n in session.agenda_notes.all()}
    return [
        AgendaRow(
            item,
            bool(notes.get(item.key) and notes[item.key].is_done),
            notes[item.key].notes if item.key in notes else "",
        )
        for item in guide.agenda()
    ]


@dataclass(frozen=True)
class DataNeedGroup:
    category: guide.SourceCategory
    needs: list[DataNeed]


def session_data_needs(session: ScopingSession) -> list[DataNeedGroup]:
    needs = list(session.data_needs.all())
    return [DataNeedGroup(c, [n for n in needs if n.source_category == c.key]) for c in guide.source_categories()]


@dataclass(frozen=True)
class DataNeedInfo:
    """A data need as the datasets area and the evaluation read it (plain values, no model)."""

    id: int
    source_category: str
    source_category_name: str
    description: str
    held_by: str
    catalogue_key: str
    catalogue_url: str
    inventory_category: str | None


def data_needs_for_project(*, project_id: int) -> list[DataNeedInfo]:
    """Every source noted in the scoping sessions of the project's idea, by source category.

    This is the service the datasets area reads to seed the project's data inventory.
    """
    categories = {c.key: c for c in guide.source_categories()}
    rows = DataNeed.objects.filter(session__idea__project_id=project_id).order_by("source_category", "created_at")
    result = []
    for need in rows:
        entry = guide.public_dataset(need.catalogue_key) if need.catalogue_key else None
        result.append(
            DataNeedInfo(
                id=need.pk,
                source_category=need.source_category,
                source_category_name=categories[need.source_category].name
                if need.source_category in categories
                else need.source_category,
                description=need.description,
                held_by=need.held_by,
                catalogue_key=need.catalogue_key,
                catalogue_url=entry.url if entry else "",
                inventory_category=categories[need.source_category].inventory_category
                if need.source_category in categories
                else None,
            )
        )
    return result
