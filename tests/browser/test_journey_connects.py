"""The journey connects: each step leads to the next, in a real browser, at 1280 and 375 px.

An office hours visitor is invited by the facilitator straight from the booking,
sets a password and, on their first sign-in, is told to put forward an idea and
does. Every page goes through ``check_page`` (console, axe, wording, 320/375 px).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.utils import timezone

from community_insights.portal.ideas.models import Idea, OfficeHourSlot
from community_insights.portal.people.models import Organisation, User
from community_insights.portal.projects.models import Project, ProjectRole
from tests.browser.conftest import check_page, sign_in

PASSWORD = "a-long-and-unusual-passphrase"


@pytest.mark.slow
def test_an_office_hours_visitor_is_invited_and_puts_forward_an_idea_on_first_sign_in(
    page: Any, new_page: Callable[..., Any]
) -> None:
    council = Organisation.objects.create(name="Northmoor Borough Council", kind=Organisation.Kind.COUNCIL)
    sam = User.objects.create_user("sam@council.example", PASSWORD, full_name="Sam Reid", organisation=council)
    project = Project.objects.create(title="Warm spaces", slug="warm-spaces", question="Where?", phase=2)
    ProjectRole.objects.create(project=project, user=sam, role="facilitator")  # a facilitator, not staff
    start = (timezone.now() + timedelta(days=6)).replace(hour=10, minute=0, second=0, microsecond=0)
    OfficeHourSlot.objects.create(
        starts_at=start, ends_at=start + timedelta(minutes=30), mode="online",
        location="https://meet.example.org/insights", facilitator=sam,
    )  # fmt: skip

    # The visitor finds office hours from the landing page and books a time.
    visitor = page
    visitor.goto("/")
    assert visitor.locator("#office-hours-summary").inner_text().startswith("There is 1 time you can book")
    check_page(visitor, "journey-landing")
    visitor.locator("#office-hour-slots a").first.click()
    visitor.get_by_label("Your name").fill("Tom Okafor")
    visitor.get_by_label("Your organisation").fill("Northmoor Scouts & Youth Club")
    visitor.get_by_label("Email address").fill("tom@scouts.example")
    visitor.get_by_label("Your idea, in a few words").fill("Young people who stop coming in winter")
    check_page(visitor, "journey-book-office-hours")
    visitor.wait_for_timeout(3200)  # the form refuses a robot's instant submission
    visitor.get_by_role("button", name="Book this time").click()
    assert visitor.locator("h1").inner_text() == "Office hours booked"
    check_page(visitor, "journey-office-hours-booked")

    # The facilitator invites Tom straight from the booking; the portal did not know his organisation.
    facilitator = new_page()
    sign_in(facilitator, sam.email, PASSWORD)
    facilitator.goto("/ideas/manage/office-hours/")
    check_page(facilitator, "journey-office-hours-manage")
    facilitator.get_by_role("link", name="Northmoor Scouts & Youth Club").click()
    check_page(facilitator, "journey-booking")
    facilitator.get_by_role("button", name="Invite Tom Okafor to Community Insights").click()
    assert facilitator.get_by_label("Email address").input_value() == "tom@scouts.example"
    assert facilitator.get_by_label("Or, if it is not in the list").input_value() == "Northmoor Scouts & Youth Club"
    check_page(facilitator, "journey-invite-from-booking")
    facilitator.get_by_role("button", name="Send invitation").click()
    assert facilitator.locator(".govuk-notification-banner--success").is_visible()
    assert facilitator.locator("h1").inner_text() == "Office hours with Northmoor Scouts & Youth Club"
    check_page(facilitator, "journey-invited-back-at-booking")

    # Tom follows the link, sets a password and is told what to do next: put forward an idea.
    (invitation,) = [m for m in mail.outbox if m.to == ["tom@scouts.example"] and "invited" in m.subject]
    assert "Northmoor Scouts & Youth Club" in invitation.body, "plain text, no &amp;"
    link = re.search(r"https?://\S+/people/invitations/\S+/", invitation.body)
    assert link, invitation.body
    visitor.goto(link.group(0))
    check_page(visitor, "journey-set-password")
    visitor.get_by_label("Choose a password").fill(PASSWORD)
    visitor.get_by_label("Type the password again").fill(PASSWORD)
    visitor.get_by_role("button", name="Set password and sign in").click()
    assert visitor.locator("#next-steps").is_visible()
    check_page(visitor, "journey-first-sign-in")
    visitor.get_by_role("link", name="Put forward an idea").click()
    visitor.get_by_label("A short name for your idea").fill("Young people missing in winter")
    visitor.get_by_label("What is the problem?").fill("Attendance halves from November and we do not know why.")
    visitor.get_by_label("Who is affected?").fill("Young people aged 11 to 16")
    visitor.get_by_label("What decision would the insight inform?").fill("Where to run winter sessions")
    check_page(visitor, "journey-idea-form")
    visitor.get_by_role("button", name="Send idea").click()
    assert visitor.get_by_text("Submitted", exact=True).is_visible()
    check_page(visitor, "journey-idea-submitted")
    idea = Idea.objects.get()
    assert idea.proposer.email == "tom@scouts.example"
    assert idea.proposer.organisation is not None and idea.proposer.organisation.name == "Northmoor Scouts & Youth Club"
