"""Ideas from VCS colleagues, shaped into questions, and their scoping sessions."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from community_insights.portal.core.exceptions import ApplicationError, NotPermitted
from community_insights.portal.core.models import AuditEntry
from community_insights.portal.ideas import guide, selectors, services
from community_insights.portal.ideas.models import Idea
from community_insights.portal.projects.models import ProjectRole
from tests.portal.ideas.factories import make_idea, make_session


def _in_days(days: int, hours: int = 0):  # type: ignore[no-untyped-def]
    """A time *days* from now (plus *hours*), on the minute, as a planned session would have."""
    return (timezone.now() + timedelta(days=days, hours=hours)).replace(second=0, microsecond=0)


def _submit(world, who: str = "vcs_member_lead") -> Idea:  # type: ignore[no-untyped-def]
    return services.idea_submit(
        actor=world.user(who),
        title="Families missing out on food support",
        problem="Referrals dropped by a third.",
        who_is_affected="Families on low incomes",
        decision_informed="Where to send outreach workers",
    )


@pytest.mark.django_db
def test_idea_journey_with_statuses_visible_to_the_proposer(world, committed) -> None:
    proposer, facilitator = world.user("vcs_member_lead"), world.user("facilitator")
    proposer_client = Client()
    proposer_client.force_login(proposer)
    with committed():
        response = proposer_client.post(
            reverse("ideas:idea_create"),
            {
                "title": "Families missing out on food support",
                "problem": "Referrals dropped by a third.",
                "who_is_affected": "Families on low incomes",
                "decision_informed": "Where to send outreach workers",
            },
        )
    idea = Idea.objects.get()
    assert response["Location"] == reverse("ideas:idea_detail", args=[idea.pk])
    assert (idea.status, idea.proposer, idea.organisation) == ("submitted", proposer, world.organisations["vcs"])
    assert any("New idea" in m.subject for m in mail.outbox)
    page = proposer_client.get(reverse("ideas:idea_detail", args=[idea.pk])).content.decode()
    assert "govuk-tag--blue" in page and "Submitted" in page

    # Not yet a question: it cannot be ready for evaluation.
    with pytest.raises(ApplicationError):
        services.idea_change_status(actor=facilitator, idea=idea, status="ready_for_evaluation")
    with pytest.raises(NotPermitted):
        services.idea_change_status(actor=proposer, idea=idea, status="in_scoping")

    mail.outbox.clear()
    with committed():
        services.idea_change_status(actor=facilitator, idea=idea, status="in_scoping")
    idea.refresh_from_db()
    assert idea.project is not None and idea.project.phase == 2 and not idea.project.is_selected
    assert ProjectRole.objects.filter(project=idea.project, user=proposer, role="vcs_member_lead").exists()
    assert ProjectRole.objects.filter(project=idea.project, user=facilitator, role="facilitator").exists()
    (message,) = mail.outbox
    assert message.to == [proposer.email] and "in scoping" in message.subject

    services.idea_shape(
        actor=facilitator, idea=idea, title=idea.title, question="Which families stopped getting food support, and why?"
    )
    idea.project.refresh_from_db()
    assert idea.project.question == "Which families stopped getting food support, and why?"
    services.idea_change_status(actor=facilitator, idea=idea, status="ready_for_evaluation")

    # Not taken forward needs a reason; the proposer sees it.
    with pytest.raises(ApplicationError, match="reason"):
        services.idea_change_status(actor=facilitator, idea=idea, status="not_taken_forward")
    with committed():
        services.idea_change_status(
            actor=facilitator, idea=idea, status="not_taken_forward", reason="The data is not held by anyone yet."
        )
    page = proposer_client.get(reverse("ideas:idea_detail", args=[idea.pk])).content.decode()
    assert "Not taken forward" in page and "The data is not held by anyone yet." in page
    assert "The data is not held by anyone yet." in mail.outbox[-1].body
    statuses = [e.changes["status"] for e in AuditEntry.objects.filter(action="ideas.idea_status").order_by("at", "id")]
    assert statuses == [
        ["submitted", "in_scoping"],
        ["in_scoping", "ready_for_evaluation"],
        ["ready_for_evaluation", "not_taken_forward"],
    ]


@pytest.mark.django_db
def test_ideas_list_is_scoped_to_the_person(world) -> None:
    idea = _submit(world)
    assert list(selectors.idea_list_for_user(user=world.user("vcs_member_lead"))) == [idea]
    assert list(selectors.idea_list_for_user(user=world.user("facilitator"))) == [idea]
    assert list(selectors.idea_list_for_user(user=world.user("outsider"))) == []
    assert list(selectors.idea_list_for_user(user=world.user("data_analyst"))) == []  # council, not on a project of it
    outsider = Client()
    outsider.force_login(world.user("outsider"))
    assert outsider.get(reverse("ideas:idea_detail", args=[idea.pk])).status_code == 404


@pytest.mark.django_db
def test_scoping_session_warns_about_missing_roles_and_fills_the_team(world, committed) -> None:
    facilitator = world.user("facilitator")
    idea = _submit(world)
    with committed():
        session = services.scoping_session_create(
            actor=facilitator, idea=idea, starts_at=_in_days(5), ends_at=_in_days(5, 2), location="Town Hall"
        )
    idea.refresh_from_db()
    assert idea.status == "in_scoping" and idea.project is not None
    assert any(m.subject.startswith("Scoping session") for m in mail.outbox)
    assert [r.key for r in selectors.session_missing_roles(session)] == ["data_scientist", "subject_matter_expert"]

    client = Client()
    client.force_login(facilitator)
    page = client.get(reverse("ideas:session_detail", args=[session.pk])).content.decode()
    assert "govuk-warning-text" in page
    assert "a data scientist or data engineer; subject matter expert involved in service delivery in the area" in page

    client.post(
        reverse("ideas:attendee_add", args=[session.pk]),
        {"role": "data_scientist", "user": world.user("data_analyst").pk, "name": ""},
    )
    client.post(
        reverse("ideas:attendee_add", args=[session.pk]),
        {"role": "subject_matter_expert", "name": "Grace, food bank manager"},
    )
    assert selectors.session_missing_roles(session) == []
    page = client.get(reverse("ideas:session_detail", args=[session.pk])).content.decode()
    assert 'id="missing-roles"' not in page
    assert ProjectRole.objects.filter(
        project=idea.project, user=world.user("data_analyst"), role="data_analyst"
    ).exists()
    # Team changes went through the projects area's service: audited, once each.
    assigned = AuditEntry.objects.filter(action="projects.project_role_assign", project_id=idea.project_id)
    assert sorted(e.changes["role"] for e in assigned) == ["data_analyst", "facilitator", "vcs_member_lead"]
    # The data analyst now sees the idea (they are on the candidate project and in the session).
    assert idea in selectors.idea_list_for_user(user=world.user("data_analyst"))


@pytest.mark.django_db
def test_agenda_checklist_and_data_we_might_need(world) -> None:
    session = make_session(world)
    proposer = Client()
    proposer.force_login(world.user("vcs_member_lead"))  # in the session: may take notes
    response = proposer.post(
        reverse("ideas:agenda_note", args=[session.pk, "hypotheses"]),
        {"notes": "Families moved to the new estate and the bus route changed.", "is_done": "on"},
    )
    assert response.status_code == 302
    agenda = {row.item.key: row for row in selectors.session_agenda(session)}
    assert [i.key for i in guide.agenda()] == list(agenda)
    assert agenda["hypotheses"].is_done and "bus route" in agenda["hypotheses"].notes
    assert not agenda["problem"].is_done
    assert {"problem", "hypotheses", "decisions", "question", "data_scoping"} <= set(agenda)

    proposer.post(
        reverse("ideas:data_need_add", args=[session.pk]),
        {
            "source_category": "systems",
            "description": "Food bank referral spreadsheet",
            "held_by": "Northmoor Food Partnership",
            "catalogue_key": "",
        },
    )
    proposer.post(
        reverse("ideas:data_need_add", args=[session.pk]),
        {"source_category": "public", "description": "ONS population estimates", "held_by": "", "catalogue_key": "ons"},
    )
    needs = selectors.data_needs_for_project(project_id=world.project.pk)
    assert [(n.source_category, n.description) for n in needs] == [
        ("public", "ONS population estimates"),
        ("systems", "Food bank referral spreadsheet"),
    ]
    assert needs[0].catalogue_url.startswith("https://www.ons.gov.uk/")
    assert needs[0].inventory_category == "open_public" and needs[1].inventory_category is None
    page = proposer.get(reverse("ideas:session_detail", args=[session.pk])).content.decode()
    assert "Food bank referral spreadsheet" in page and "https://data.london.gov.uk/" in page
    # Someone not in the session cannot take notes.
    analyst = Client()
    analyst.force_login(world.user("data_analyst"))
    assert analyst.get(reverse("ideas:agenda_note", args=[session.pk, "problem"])).status_code == 403
    assert proposer.get(reverse("ideas:agenda_note", args=[session.pk, "nonsense"])).status_code == 404


@pytest.mark.django_db
def test_catalogue_comes_from_the_guides_appendix_and_is_searchable(client: Client) -> None:
    names = [d.name for d in guide.public_datasets()]
    assert len(names) == 10 and names[0] == "LionBridge AI" and names[-1] == "London Data Store"
    assert [d.name for d in guide.search_public_datasets("london")] == ["London Data Store"]
    assert {d.key for d in guide.search_public_datasets("covid-19 europe")} == {"ecdc", "eu_data_portal"}
    assert guide.search_public_datasets("") == list(guide.public_datasets())
    page = client.get(reverse("ideas:catalogue"), {"q": "VOLUNTARY sector"}).content.decode()
    assert "VCSEP Reports" in page and "London Data Store" not in page and "1 of 10 datasets" in page
    assert "No dataset matches" in client.get(reverse("ideas:catalogue"), {"q": "zzz"}).content.decode()


@pytest.mark.django_db
def test_status_moves_follow_the_guide(world) -> None:
    idea = make_idea(world, status=Idea.Status.SELECTED)
    with pytest.raises(ApplicationError, match="cannot move"):
        services.idea_change_status(actor=world.user("facilitator"), idea=idea, status="in_scoping")
    with pytest.raises(ApplicationError):
        services.scoping_session_create(
            actor=world.user("facilitator"), idea=idea, starts_at=_in_days(1), ends_at=_in_days(1, 1), location="x"
        )


@pytest.mark.django_db
def test_each_attendee_with_an_account_gets_the_date_place_link_and_a_calendar_file(world, committed) -> None:  # type: ignore[no-untyped-def]
    from icalendar import Calendar

    facilitator = world.user("facilitator")
    idea = _submit(world)
    mail.outbox.clear()
    with committed():
        session = services.scoping_session_create(
            actor=facilitator,
            idea=idea,
            starts_at=_in_days(5),
            ends_at=_in_days(5, 2),
            location="Town Hall, Room 4",
        )
        services.scoping_attendee_add(
            actor=facilitator, session=session, role="data_scientist", user=world.user("data_analyst")
        )
        services.scoping_attendee_add(actor=facilitator, session=session, role="subject_matter_expert", name="Grace")
    invitations = [m for m in mail.outbox if m.subject.startswith("Scoping session")]
    assert sorted(m.to[0] for m in invitations) == sorted([idea.proposer.email, world.user("data_analyst").email])
    url = reverse("ideas:session_detail", args=[session.pk])
    for message in invitations:
        assert "Town Hall, Room 4" in message.body and url in message.body and "When: " in message.body
        (event,) = Calendar.from_ical(message.attachments[0][1]).walk("VEVENT")
        assert str(event["uid"]) == f"scoping-session-{session.pk}@community-insights"
        assert str(event["location"]) == "Town Hall, Room 4"
        assert event["dtstart"].dt == session.starts_at.replace(microsecond=0)
        assert event["dtend"].dt - event["dtstart"].dt == timedelta(hours=2), "the session's own end, not 90 minutes"


def _calendar_of(message):  # type: ignore[no-untyped-def]
    from icalendar import Calendar

    (name, content, mimetype) = message.attachments[0]
    assert name.endswith(".ics")
    cal = Calendar.from_ical(content)
    (event,) = cal.walk("VEVENT")
    return cal, event, mimetype


@pytest.mark.django_db
def test_taking_someone_off_or_cancelling_the_session_withdraws_their_calendar_entry(world, committed) -> None:  # type: ignore[no-untyped-def]
    facilitator, analyst = world.user("facilitator"), world.user("data_analyst")
    idea = _submit(world)
    with committed():
        session = services.scoping_session_create(
            actor=facilitator, idea=idea, starts_at=_in_days(3), ends_at=_in_days(3, 1), location="Library"
        )
        services.scoping_attendee_add(actor=facilitator, session=session, role="data_scientist", user=analyst)
    invited = [m for m in mail.outbox if m.to == [analyst.email] and m.subject.startswith("Scoping session")]
    _, invitation, _ = _calendar_of(invited[0])
    uid, sequence = str(invitation["uid"]), int(invitation["sequence"])
    mail.outbox.clear()

    attendee = session.attendees.get(user=analyst)
    with committed():
        services.scoping_attendee_remove(actor=facilitator, attendee=attendee)
    (removed,) = mail.outbox
    assert removed.to == [analyst.email] and "no longer needed" in removed.subject.lower()
    cal, event, mimetype = _calendar_of(removed)
    assert str(cal["method"]) == "CANCEL" and "method=CANCEL" in mimetype
    assert str(event["uid"]) == uid and int(event["sequence"]) > sequence
    assert str(event["attendee"]) == f"mailto:{analyst.email}", "only the person taken off"
    mail.outbox.clear()

    with committed():
        services.scoping_session_cancel(actor=facilitator, session=session)
    (cancelled,) = mail.outbox  # the proposer: the analyst was already taken off, the facilitator planned it
    assert cancelled.to == [idea.proposer.email] and cancelled.subject.startswith("Cancelled")
    assert reverse("ideas:session_detail", args=[session.pk]) in cancelled.body
    cal, event, _ = _calendar_of(cancelled)
    assert str(cal["method"]) == "CANCEL" and str(event["status"]) == "CANCELLED"
    assert str(event["uid"]) == uid and int(event["sequence"]) > sequence + 1
    assert event["dtend"].dt - event["dtstart"].dt == timedelta(hours=1)
    assert AuditEntry.objects.filter(action="ideas.scoping_session_cancel").count() == 1
    with pytest.raises(ApplicationError, match="cancelled"):
        services.scoping_attendee_add(actor=facilitator, session=session, role="data_scientist", user=analyst)


@pytest.mark.django_db
def test_the_session_form_asks_how_long_and_the_page_shows_the_end(world) -> None:  # type: ignore[no-untyped-def]
    idea = _submit(world)
    client = Client()
    client.force_login(world.user("facilitator"))
    day = timezone.localdate() + timedelta(days=4)
    response = client.post(
        reverse("ideas:session_create", args=[idea.pk]),
        {
            "date_0": day.day,
            "date_1": day.month,
            "date_2": day.year,
            "start_time": "10:00",
            "duration": "120",
            "location": "Library",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    session = idea.scoping_sessions.get()
    assert session.ends_at - session.starts_at == timedelta(hours=2)
    page = client.get(reverse("ideas:session_detail", args=[session.pk])).content.decode()
    assert "10am to midday" in page
