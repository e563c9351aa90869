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
from playwright.sync_api import expect

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
    expect(facilitator.locator(".govuk-notification-banner--success")).to_be_visible()
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
    expect(visitor.locator("#next-steps")).to_be_visible()
    check_page(visitor, "journey-first-sign-in")
    visitor.get_by_role("link", name="Put forward an idea").click()
    visitor.get_by_label("A short name for your idea").fill("Young people missing in winter")
    visitor.get_by_label("What is the problem?").fill("Attendance halves from November and we do not know why.")
    visitor.get_by_label("Who is affected?").fill("Young people aged 11 to 16")
    visitor.get_by_label("What decision would the insight inform?").fill("Where to run winter sessions")
    check_page(visitor, "journey-idea-form")
    visitor.get_by_role("button", name="Send idea").click()
    expect(visitor.get_by_text("Submitted", exact=True)).to_be_visible()
    check_page(visitor, "journey-idea-submitted")
    idea = Idea.objects.get()
    assert idea.proposer.email == "tom@scouts.example"
    assert idea.proposer.organisation is not None and idea.proposer.organisation.name == "Northmoor Scouts & Youth Club"


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_sign_off_reaches_the_programmes_officer_paperwork_blocks_until_a_reason_and_figures_match_the_file(
    page: Any, settings: Any, tmp_path: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from community_insights.portal.datasets import services
    from community_insights.portal.datasets.models import DataSource
    from tests.portal.conftest import make_world
    from tests.portal.datasets.conftest import TEST_KEY, messy_csv_text
    from tests.portal.datasets.test_report_matches_file import _file_counts

    settings.INSIGHTS_DATASETS_DIR = str(tmp_path / "store")
    settings.INSIGHTS_DATASETS_WORK_DIR = str(tmp_path / "work")
    settings.INSIGHTS_DATASET_KEY = TEST_KEY
    world = make_world()
    ProjectRole.objects.filter(project=world.project, role="information_rights").delete()  # nobody in the role
    officer = User.objects.create_user(
        "ines@council.example", PASSWORD, full_name="Ines Varga", organisation=world.organisations["council"]
    )
    # One of the programme's information rights officers: holds the role on another project.
    ProjectRole.objects.create(project=world.other_project, user=officer, role="information_rights")
    source = DataSource.objects.create(
        project=world.project,
        name="Food bank referrals",
        category=DataSource.Category.INTERNAL_COUNCIL,
        owner_organisation=world.organisations["council"],
    )  # fmt: skip  (legal basis "To be agreed", agreement "Needed": the defaults)
    from django.core.files.uploadedfile import SimpleUploadedFile

    analyst = world.user("data_analyst")
    with django_capture_on_commit_callbacks(execute=True):
        dataset = services.dataset_upload(
            actor=analyst, source=source, title="Referrals",
            uploaded_file=SimpleUploadedFile("referrals.csv", messy_csv_text().encode(), content_type="text/csv"),
        )  # fmt: skip
    plan = services.plan_create(actor=analyst, dataset=dataset)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.plan_apply(actor=analyst, plan=plan)

    # The programme's officer is told what waits, with a link, and reaches the page.
    (asked,) = [m for m in mail.outbox if "Sign-off waiting" in m.subject]
    assert asked.to == [officer.email] and "still to be agreed" in asked.body
    link = re.search(r"https?://\S+(/datasets/\S+/sign-off/)", asked.body)
    assert link, asked.body
    sign_in(page, officer.email, PASSWORD)
    page.goto(link.group(1))
    assert page.locator("#paperwork").inner_text().count("To be agreed") == 1
    check_page(page, "journey-sign-off-paperwork")

    # The page's figures are the file's own, column by column.
    plan.refresh_from_db()
    _rows, counts = _file_counts(plan.safe_copy)
    for name, (kept, suppressed, blank) in counts.items():
        text = page.locator(f'[data-measured="{name}"]').inner_text()
        assert text.startswith(f"{kept:,} values kept, {suppressed:,} suppressed (*), {blank:,} blank"), (name, text)
        # Compared with the raw file row by row: every * in the copy is a value the raw file had.
        compared = page.locator(f'[data-compared="{name}"]').inner_text()
        assert (f"{suppressed:,} hidden as *" in compared) == bool(suppressed), (name, compared)

    # The officer reads a sample of the redacted rows first.
    page.get_by_role("link", name="Read a sample of the safe copy's rows").click()
    assert "[NAME]" in page.locator("#sample-rows tbody tr").first.inner_text()
    check_page(page, "journey-sign-off-sample")
    page.get_by_role("link", name="Back to sign-off").first.click()

    # Approval is refused while the paperwork is unsettled, until a reason is given.
    page.get_by_label("Approve: the safe copy can be shared with the project team").check()
    page.get_by_label("Comment").fill("Names dropped, notes redacted, postcodes to sectors.")
    page.get_by_role("button", name="Record decision").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    check_page(page, "journey-sign-off-needs-a-reason")
    page.get_by_label("If the paperwork is not settled: why approve now?").fill(
        "The agreement is signed on Monday; nothing is shared before then."
    )
    page.get_by_role("button", name="Record decision").click()
    page.get_by_text("Your decision was recorded").wait_for()
    check_page(page, "journey-signed-off")
    plan.refresh_from_db()
    assert plan.status == "approved"
