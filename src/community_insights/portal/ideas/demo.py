"""Demo data for phases 1 and 2: news, a lead, office hours, ideas and a scoping session.

Safe to run again: everything is looked up by a natural key (a title, an email
address, a time) before it is created. Writes go through the services, so the
audit log reads as it would in real use.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any

from django.utils import timezone

from community_insights.portal.ideas import services
from community_insights.portal.ideas.models import Idea, InterestLead, NewsPost, OfficeHourSlot, ScopingSession

NEWS = [
    (
        "Community Insights Projects: office hours are open",
        "Talk to the facilitator about a question your organisation would like answered.",
        "We are holding office hours online and at the Central Library every week.\n\n"
        "Come with a problem you see in your work; it does not need to be a polished question.",
    ),
    (
        "What we learned about food support in Northmoor",
        "Our first project looked at who stopped getting food support, and why.",
        "The food insecurity project brought the food partnership and council analysts together.\n\n"
        "Read the published insights on the landing page.",
    ),
]

IDEAS = {
    "loneliness": {
        "title": "Older people who stop coming to lunch clubs",
        "proposer": "age_well_lead",
        "problem": "Attendance at our lunch clubs fell after the bus timetable changed; we lost touch with regulars.",
        "who": "Older residents living alone in the east of the borough",
        "decision": "Where to run pop-up lunch clubs and who to phone first",
        "status": Idea.Status.SUBMITTED,
    },
    "arrears": {
        "title": "Families falling behind on rent",
        "proposer": "housing_lead",
        "problem": "More families come to us when they are already months behind on rent.",
        "who": "Private renters with children on low incomes",
        "decision": "When and where to offer early money advice",
        "status": Idea.Status.IN_SCOPING,
        "question": "Which families fall into rent arrears, and how early could we reach them?",
    },
}

# What the rent arrears scoping session noted under "data we might need" (agenda item 2).
DATA_NEEDS = [
    {
        "source_category": "systems",
        "description": "Advice centre case records (rent arrears cases)",
        "held_by": "Northmoor Housing Advice Centre",
    },
    {"source_category": "public", "description": "ONS household estimates", "catalogue_key": "ons"},
]


def _local(days: int, hour: int, minute: int = 0) -> datetime:
    day = timezone.localdate() + timedelta(days=days)
    return datetime.combine(day, time(hour, minute), tzinfo=timezone.get_current_timezone())


def load(context: Any) -> None:
    staff = context.staff
    facilitator = context.users.get("facilitator", staff)
    for title, summary, body in NEWS:
        if not NewsPost.objects.filter(title=title).exists():
            services.news_post_create(actor=staff, title=title, summary=summary, body=body, publish=True)

    if not InterestLead.objects.filter(email="office@northmoorscouts.example").exists():
        services.lead_create(
            name="Ben Adams",
            organisation_name="Northmoor Scouts",
            email="office@northmoorscouts.example",
            interest="How many young people in the borough could join if we ran evening groups?",
            wants_office_hours=True,
        )

    for days, hour, mode, where in (
        (3, 10, "online", "https://meet.example.org/community-insights"),
        (5, 14, "in_person", "Central Library, Meeting Room 2"),
        (10, 10, "online", "https://meet.example.org/community-insights"),
    ):
        starts = _local(days, hour)
        if not OfficeHourSlot.objects.filter(starts_at=starts).exists():
            slot = services.slot_create(
                actor=staff,
                starts_at=starts,
                ends_at=starts + timedelta(minutes=30),
                mode=mode,
                location=where,
                facilitator=facilitator,
            )
            if days == 5:
                services.booking_create(
                    slot_id=slot.pk,
                    name="Colin Frost",
                    organisation_name="Age Well Northmoor",
                    email="colin.frost@agewellnorthmoor.example",
                    idea="Older people who stop coming to lunch clubs after the bus changes",
                )

    for key, spec in IDEAS.items():
        idea = Idea.objects.filter(title=spec["title"]).first()
        if idea is None:
            idea = services.idea_submit(
                actor=context.users[spec["proposer"]],
                title=spec["title"],
                problem=spec["problem"],
                who_is_affected=spec["who"],
                decision_informed=spec["decision"],
            )
            if spec["status"] == Idea.Status.IN_SCOPING:
                services.idea_shape(actor=staff, idea=idea, title=idea.title, question=spec["question"])
                session = services.scoping_session_create(
                    actor=staff,
                    idea=idea,
                    starts_at=_local(7, 14),
                    ends_at=_local(7, 14) + timedelta(hours=1, minutes=30),
                    location="Town Hall, Committee Room 1",
                )
                services.scoping_attendee_add(
                    actor=staff, session=session, role="data_scientist", user=context.users["analyst"]
                )
                services.agenda_note_save(
                    actor=staff,
                    session=session,
                    item_key="hypotheses",
                    is_done=True,
                    notes="Arrears rise after benefit changes and in January; families ask for help late.",
                )
                for need in DATA_NEEDS:
                    services.data_need_add(actor=staff, session=session, **need)
        context.extra.setdefault("ideas", {})[key] = idea
    context.extra["scoping_sessions"] = list(ScopingSession.objects.all()[:5])
