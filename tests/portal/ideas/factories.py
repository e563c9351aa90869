"""Small builders for the ideas area's tests (real rows through the real services where it matters)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from community_insights.portal.ideas import services
from community_insights.portal.ideas.models import (
    Idea,
    InterestLead,
    NewsPost,
    OfficeHourBooking,
    OfficeHourSlot,
    ScopingAttendee,
    ScopingSession,
)


def make_slot(world: Any, *, days: int = 3, hours: int = 0, mode: str = "online") -> OfficeHourSlot:
    start = (timezone.now() + timedelta(days=days, hours=hours)).replace(second=0, microsecond=0)
    return OfficeHourSlot.objects.create(
        starts_at=start,
        ends_at=start + timedelta(minutes=30),
        mode=mode,
        location="https://meet.example.org/office-hours" if mode == "online" else "Northmoor Library, Room 2",
        facilitator=world.user("facilitator"),
    )


def make_booking(world: Any, *, slot: OfficeHourSlot | None = None) -> OfficeHourBooking:
    return services.booking_create(
        slot_id=(slot or make_slot(world)).pk,
        name="Ayesha Begum",
        organisation_name="Northmoor Food Partnership",
        email="ayesha@food.example.org",
        idea="Families who stop coming to the food bank",
    ).booking


def make_lead() -> InterestLead:
    return InterestLead.objects.create(
        name="Tom Price", organisation_name="Riverside Youth", email="tom@youth.example.org", interest="Young people"
    )


def make_post(*, published: bool = True, title: str = "Office hours are open") -> NewsPost:
    return NewsPost.objects.create(
        title=title,
        slug=title.lower().replace(" ", "-"),
        summary="Book a conversation with the facilitator.",
        body="We are holding office hours every Tuesday.\n\nBook online.",
        published_at=timezone.now() - timedelta(hours=1) if published else None,
    )


def make_idea(world: Any, *, status: str = Idea.Status.IN_SCOPING, project: Any = "world") -> Idea:
    return Idea.objects.create(
        title="Families missing out on food support",
        problem="Referrals to the food bank dropped by a third, and we do not know why.",
        who_is_affected="Families with children on low incomes",
        decision_informed="Where to put our outreach workers",
        question="Which families stopped getting food support in 2024, and why?",
        status=status,
        proposer=world.user("vcs_member_lead"),
        organisation=world.organisations["vcs"],
        project=world.project if project == "world" else project,
    )


def make_session(world: Any, idea: Idea | None = None) -> ScopingSession:
    idea = idea or make_idea(world)
    starts = timezone.now() + timedelta(days=7)
    session = ScopingSession.objects.create(
        idea=idea, starts_at=starts, ends_at=starts + timedelta(hours=2), location="Town Hall, Room 4"
    )
    ScopingAttendee.objects.create(
        session=session, user=world.user("facilitator"), name="Facilitator", role="facilitator"
    )
    ScopingAttendee.objects.create(
        session=session, user=world.user("vcs_member_lead"), name="Vcs Member Lead", role="proposer"
    )
    return session
