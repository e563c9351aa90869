"""Choosing a daily digest, and exporting the programme's whole record, in a real browser.

A member of programme staff opens their account, chooses to get changes to
projects in a daily digest, then asks for the complete export and follows it:
waiting for the worker (played by the test), ready, downloaded as a ZIP, deleted. Every
page is checked with axe, at 320 px, and kept as a screenshot.
"""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import check_page, sign_in
from tests.portal.conftest import PASSWORD, make_world
from tests.portal.datasets.conftest import TEST_KEY

pytestmark = pytest.mark.django_db(transaction=True)


def test_staff_choose_a_digest_and_export_the_programme(page: Any, settings: Any, tmp_path: Path) -> None:
    settings.INSIGHTS_DATASETS_DIR = str(tmp_path / "store")
    settings.INSIGHTS_DATASETS_WORK_DIR = str(tmp_path / "work")
    settings.INSIGHTS_DATASET_KEY = TEST_KEY
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend", "QUEUES": ["default"]}}
    from community_insights.portal.core.digests import preferences_of
    from community_insights.portal.export import jobs as export_jobs
    from community_insights.portal.export.models import ProgrammeExport
    from community_insights.portal.programme.services import programme_ensure

    world = make_world()
    programme_ensure()
    staff = world.user("staff")
    sign_in(page, staff.email, PASSWORD)

    page.goto("/people/account/")
    check_page(page, "account-with-emails")
    page.get_by_role("link", name="Choose how you get emails").click()
    assert page.locator("h1").inner_text() == "How you get emails"
    check_page(page, "notification-preferences")
    changes = page.get_by_role("group", name="Changes to projects you work on")
    changes.get_by_label("In a daily digest").check()
    page.get_by_role("button", name="Save choices").click()
    expect(page.locator(".govuk-notification-banner--success")).to_be_visible()
    check_page(page, "notification-preferences-saved")
    assert preferences_of(user=staff)["project_changes"] == "daily"

    page.get_by_role("link", name="Export", exact=True).click()
    assert page.locator("h1").inner_text() == "Export the programme's record"
    check_page(page, "export-list")
    page.get_by_role("button", name="Make the export").click()
    expect(page.get_by_text("Waiting for the background worker to start.")).to_be_visible()
    check_page(page, "export-waiting")

    export_jobs.run(ProgrammeExport.objects.get().pk)
    page.reload()
    expect(page.get_by_role("heading", name="The export is ready")).to_be_visible()
    check_page(page, "export-ready")
    with page.expect_download() as info:
        page.get_by_role("button", name="Download the ZIP file").click()
    with zipfile.ZipFile(info.value.path()) as archive:
        assert "records/core/auditentry.csv" in archive.namelist() and archive.testzip() is None
    page.get_by_role("button", name="Delete the ZIP file").click()
    expect(page.get_by_text("The ZIP file of this export was deleted.")).to_be_visible()
    check_page(page, "export-deleted")
    page.goto("/export/")
    check_page(page, "export-list-with-one")
