"""Phases 1 and 2 in a real browser: from a visitor booking office hours to a selected project.

A visitor books office hours (both sides get an .ics), a VCS colleague puts the
idea forward, the facilitator runs a scoping session, writes and shares the
evaluation (PDF checked), two panel members score it, the facilitator records
the decision and the project shows as selected on the landing page. Every page
is checked with axe-core, at 320 px wide, and saved as a screenshot.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.utils import timezone
from icalendar import Calendar
from playwright.sync_api import expect
from pypdf import PdfReader

from community_insights.portal.ideas.models import Idea, OfficeHourBooking
from community_insights.portal.people.models import Organisation, User
from community_insights.portal.programme.models import ProgrammeMembership
from community_insights.portal.programme.services import programme_ensure
from community_insights.portal.selection import guide
from community_insights.portal.selection.models import PanelMember
from tests.browser.conftest import check_page, sign_in

PASSWORD = "a-long-and-unusual-passphrase"


def _people() -> dict[str, User]:
    council = Organisation.objects.create(name="Northmoor Borough Council", kind=Organisation.Kind.COUNCIL)
    vcs = Organisation.objects.create(name="Northmoor Food Partnership", kind=Organisation.Kind.VCS)
    make = User.objects.create_user
    people = {
        "facilitator": make(
            "sam@facilitation.example", PASSWORD, full_name="Sam Reid", organisation=council, is_staff=True
        ),
        "grace": make("grace@food.example", PASSWORD, full_name="Grace Mensah", organisation=vcs),
        "dev": make("dev@council.example", PASSWORD, full_name="Dev Patel", organisation=council),
        "panel_a": make("amara@council.example", PASSWORD, full_name="Amara Okoye", organisation=council),
        "panel_b": make("joe@food.example", PASSWORD, full_name="Joe Whitfield", organisation=vcs),
    }
    # Everyone belongs to the programme, as an accepted invitation makes them; the facilitator runs it.
    programme = programme_ensure()
    for key, person in people.items():
        role = ProgrammeMembership.Role.STAFF if key == "facilitator" else ProgrammeMembership.Role.MEMBER
        ProgrammeMembership.objects.create(programme=programme, user=person, role=role)
    PanelMember.objects.create(user=people["panel_a"], added_by=people["facilitator"])
    PanelMember.objects.create(user=people["panel_b"], added_by=people["facilitator"])
    return people


@pytest.mark.slow
def test_from_office_hours_to_a_selected_project(page: Any, new_page: Callable[..., Any]) -> None:
    people = _people()
    facilitator = page

    # The facilitator offers an office hours time.
    sign_in(facilitator, people["facilitator"].email, PASSWORD)
    facilitator.goto("/ideas/manage/")
    check_page(facilitator, "phases-facilitator-home")
    facilitator.get_by_role("link", name="Office hours and bookings").click()
    facilitator.get_by_role("button", name="Offer a time").click()
    day = timezone.localdate() + timedelta(days=7)
    facilitator.locator('input[name="date_0"]').fill(str(day.day))
    facilitator.locator('input[name="date_1"]').fill(str(day.month))
    facilitator.locator('input[name="date_2"]').fill(str(day.year))
    facilitator.get_by_label("Start time").fill("10:00")
    facilitator.get_by_label("End time").fill("10:30")
    facilitator.get_by_label("Online").check()
    facilitator.get_by_label("Where").fill("https://meet.example.org/insights")
    check_page(facilitator, "phases-offer-a-time")
    facilitator.get_by_role("button", name="Publish this time").click()
    expect(facilitator.locator(".govuk-notification-banner--success")).to_be_visible()
    check_page(facilitator, "phases-office-hours-manage")

    # A visitor, without an account, books it.
    visitor = new_page()
    visitor.goto("/ideas/office-hours/")
    check_page(visitor, "phases-office-hours")
    visitor.get_by_role("link", name="Book").first.click()
    visitor.get_by_label("Your name").fill("Grace Mensah")
    visitor.get_by_label("Your organisation").fill("Northmoor Food Partnership")
    visitor.get_by_label("Email address").fill("grace@food.example")
    visitor.get_by_label("Your idea, in a few words").fill("Families who stop coming to the food bank")
    check_page(visitor, "phases-book-office-hours")
    visitor.wait_for_timeout(3200)  # a person takes a few seconds; the form refuses robots that don't
    visitor.get_by_role("button", name="Book this time").click()
    assert visitor.locator("h1").inner_text() == "Office hours booked"
    check_page(visitor, "phases-office-hours-booked")
    booking = OfficeHourBooking.objects.get()
    invitations = [m for m in mail.outbox if m.attachments]
    assert sorted(m.to[0] for m in invitations) == ["grace@food.example", "sam@facilitation.example"]
    for message in invitations:
        (event,) = Calendar.from_ical(message.attachments[0][1]).walk("VEVENT")
        assert str(event["uid"]) == f"{booking.uid}@community-insights"
        assert str(event["location"]) == "https://meet.example.org/insights"

    # Grace, now with an account, puts the idea forward.
    grace = new_page()
    sign_in(grace, people["grace"].email, PASSWORD)
    grace.goto("/ideas/new/")
    grace.get_by_role("button", name="Send idea").click()
    expect(grace.locator(".govuk-error-summary")).to_be_visible()
    check_page(grace, "phases-idea-form-error")
    grace.get_by_label("A short name for your idea").fill("Families missing out on food support")
    grace.get_by_label("What is the problem?").fill(
        "Referrals to the food bank dropped by a third, and we do not know why."
    )
    grace.get_by_label("Who is affected?").fill("Families with children on low incomes")
    grace.get_by_label("What decision would the insight inform?").fill("Where to put our outreach workers")
    grace.get_by_role("button", name="Send idea").click()
    expect(grace.get_by_text("Submitted", exact=True)).to_be_visible()
    check_page(grace, "phases-idea-submitted")
    idea = Idea.objects.get()

    # The facilitator plans a scoping session; the page warns about the missing roles.
    facilitator.goto(f"/ideas/{idea.pk}/")
    check_page(facilitator, "phases-idea-facilitator")
    facilitator.get_by_role("link", name="Plan a scoping session").click()
    check_page(facilitator, "phases-plan-scoping-session")
    session_day = timezone.localdate() + timedelta(days=10)
    facilitator.locator('input[name="date_0"]').fill(str(session_day.day))
    facilitator.locator('input[name="date_1"]').fill(str(session_day.month))
    facilitator.locator('input[name="date_2"]').fill(str(session_day.year))
    facilitator.get_by_label("Start time").fill("14:00")
    facilitator.get_by_label("Where").fill("Town Hall, Room 4")
    facilitator.get_by_role("button", name="Plan session").click()
    expect(facilitator.locator("#missing-roles")).to_be_visible()
    assert "data scientist" in facilitator.locator("#missing-roles").inner_text()
    check_page(facilitator, "phases-scoping-session-missing-roles")
    facilitator.get_by_role("link", name="Add someone").click()
    facilitator.get_by_label("A data scientist or data engineer").check()
    facilitator.get_by_label("Person with an account").select_option(label="Dev Patel")
    check_page(facilitator, "phases-add-attendee")
    facilitator.get_by_role("button", name="Add").click()
    facilitator.get_by_role("link", name="Add someone").click()
    facilitator.get_by_label("Subject matter expert involved in service delivery in the area").check()
    facilitator.get_by_label("Or their name, if they have no account").fill("Priya, food bank manager")
    facilitator.get_by_role("button", name="Add").click()
    assert facilitator.locator("#missing-roles").count() == 0
    facilitator.get_by_role("link", name="Hunches and hypotheses").click()
    facilitator.get_by_label("Notes").fill("The bus route to the food bank changed in March.")
    facilitator.get_by_label("We have covered this").check()
    check_page(facilitator, "phases-agenda-note")
    facilitator.get_by_role("button", name="Save notes").click()
    facilitator.get_by_role("link", name="Add ONS to data we might need").click()
    check_page(facilitator, "phases-add-catalogue-source")
    facilitator.get_by_role("button", name="Add source").click()
    facilitator.get_by_role("link", name="Add a data source").click()
    check_page(facilitator, "phases-add-data-source")
    facilitator.get_by_label("Data held in VCS and council systems").check()
    facilitator.get_by_label("What data").fill("Food bank referral spreadsheet")
    facilitator.get_by_label("Who holds it (optional)").fill("Northmoor Food Partnership")
    facilitator.get_by_role("button", name="Add source").click()
    expect(facilitator.get_by_text("Food bank referral spreadsheet")).to_be_visible()
    check_page(facilitator, "phases-scoping-session")

    # The facilitator shapes the question and marks the idea ready for evaluation.
    facilitator.goto(f"/ideas/{idea.pk}/question/")
    assert facilitator.locator("h1").inner_text().strip(), "the question page has a heading"
    check_page(facilitator, "phases-change-question")
    facilitator.get_by_label("The question").fill("Which families stopped getting food support in 2024, and why?")
    facilitator.get_by_role("button", name="Save question").click()
    facilitator.get_by_role("link", name="Change the status").click()
    facilitator.get_by_label("Ready for evaluation").check()
    check_page(facilitator, "phases-idea-status")
    facilitator.get_by_role("button", name="Change status").click()
    idea.refresh_from_db()
    assert idea.status == "ready_for_evaluation" and idea.project is not None
    slug = idea.project.slug

    # People and skills, then the evaluation summary, shared and downloaded as a PDF.
    facilitator.goto(f"/selection/projects/{slug}/skills/")
    check_page(facilitator, "phases-people-and-skills")
    facilitator.goto(f"/selection/projects/{slug}/evaluation/edit/")
    facilitator.get_by_label("What work is already being done in this area").fill(
        "The anti-poverty strategy mapped food banks in 2023."
    )
    facilitator.get_by_label("Data safety check findings").fill(
        "Referral records hold names and postcodes: remove names, keep postcode sectors."
    )
    facilitator.get_by_label("Risks").fill("The spreadsheet may stop being kept up to date.")
    facilitator.get_by_label("Share it now").check()
    check_page(facilitator, "phases-evaluation-edit")
    facilitator.get_by_role("button", name="Save").click()
    check_page(facilitator, "phases-evaluation")
    pdf = facilitator.request.get(f"/selection/projects/{slug}/evaluation.pdf")
    assert pdf.ok and pdf.headers["content-type"] == "application/pdf"
    text = " ".join(" ".join((p.extract_text() or "").split()) for p in PdfReader(io.BytesIO(pdf.body())).pages)
    assert "Which families stopped getting food support in 2024, and why?" in text
    assert "remove names, keep postcode sectors" in text and "Food bank referral spreadsheet" in text

    # Two panel members score it.
    for who, value in (("panel_a", "4"), ("panel_b", "5")):
        member = new_page()
        sign_in(member, people[who].email, PASSWORD)
        member.goto("/selection/")
        check_page(member, f"phases-selection-{who}")
        member.get_by_role("link", name="Score Families missing out on food support").click()
        for c in guide.criteria():
            member.locator(f'input[name="score_{c.key}"][value="{value}"]').check()
        member.get_by_label("Comment on impact (optional)").fill("Would change where outreach goes.")
        check_page(member, f"phases-score-{who}")
        member.get_by_role("button", name="Save scores").click()
        expect(member.locator(".govuk-notification-banner--success")).to_be_visible()
        member.context.close()

    # The facilitator reads the ranking and records the decision.
    facilitator.goto("/selection/")
    assert "31.5" in facilitator.locator("table").first.inner_text()
    check_page(facilitator, "phases-ranking")
    facilitator.get_by_role("link", name="Decide on Families missing out on food support").click()
    facilitator.get_by_role("radio", name="Selected").check()
    facilitator.get_by_label("Reasons").fill("The highest score, and the data and people are within reach.")
    check_page(facilitator, "phases-decision")
    facilitator.get_by_role("button", name="Record decision").click()
    outcome = [m for m in mail.outbox if m.to == ["grace@food.example"] and "selected" in m.subject]
    assert outcome and "within reach" in outcome[0].body
    facilitator.goto(f"/selection/projects/{slug}/next-steps/")
    check_page(facilitator, "phases-next-steps")

    # The project is shown as selected on the landing page; Grace sees the status.
    visitor.goto("/")
    expect(visitor.get_by_text("Families missing out on food support").first).to_be_visible()
    check_page(visitor, "phases-landing-selected")
    grace.goto(f"/ideas/{idea.pk}/")
    expect(grace.get_by_text("Selected", exact=True)).to_be_visible()
    check_page(grace, "phases-idea-selected")
    for p in (visitor, grace):
        p.context.close()
