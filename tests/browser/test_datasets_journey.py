"""A dataset's journey in a real browser, from a messy upload to a signed-off safe copy.

The analyst uploads a CSV with names in its notes and watches the check's
progress (the background worker is played by the test, so the waiting state is
seen too); reviews the findings and overrides one; edits the remedy plan; the
information rights officer approves; a VCS member of the team downloads the
safe copy; someone from another organisation gets "Page not found". A second
journey checks a file again with a sensitive column only a person can name and
both extra measures, and reads them in the findings. Every page is checked with
axe, at 320 px, and kept as a screenshot.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.browser.conftest import check_page, sign_in
from tests.portal.conftest import PASSWORD, make_world
from tests.portal.datasets.conftest import RAW_NAMES, RAW_NHS, TEST_KEY, messy_csv_text
from tests.portal.governance.factories import signed_agreement

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def world_for_browser(settings: Any, tmp_path: Path) -> Iterator[Any]:
    settings.INSIGHTS_DATASETS_DIR = str(tmp_path / "store")
    settings.INSIGHTS_DATASETS_WORK_DIR = str(tmp_path / "work")
    settings.INSIGHTS_DATASET_KEY = TEST_KEY
    # The worker is played by the test: jobs wait in the queue until it runs them.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend", "QUEUES": ["default"]}}
    from community_insights.portal.datasets.models import DataSource

    world = make_world()
    source = DataSource.objects.create(
        project=world.project,
        name="Food bank referrals",
        category=DataSource.Category.INTERNAL_COUNCIL,
        owner_organisation=world.organisations["council"],
        legal_basis=DataSource.LegalBasis.PUBLIC_TASK,
    )
    signed_agreement(world, source)  # signed by both organisations in the governance area
    yield world


def _open_findings(page: Any, finished: str, findings: str) -> None:
    """Run the queued check as the worker would, then follow the page's own link to its findings.

    Both journeys read the findings the way a person does: the check page says it is done and offers
    the link; each page on the way goes through the accessibility gate under its own screenshot name.
    """

    _run_waiting_jobs(page)
    page.get_by_role("link", name="Review the findings").first.wait_for()
    check_page(page, finished)
    page.get_by_role("link", name="Review the findings").first.click()
    page.get_by_role("heading", name="Findings of the data safety check").wait_for()
    check_page(page, findings)


def _run_waiting_jobs(page: Any) -> None:
    """Play the worker while the page's progress panel is not polling, then let it poll again.

    The live server and the test share one SQLite connection; a poll arriving in the
    middle of the job's transaction fails with a server error that no real worker
    (a separate process) would cause. The panel is swapped for an inert copy while
    the job runs, then handed back to htmx, so the page still sees the finished
    state through its own polling.
    """
    from community_insights.portal.datasets import services
    from community_insights.portal.datasets.models import DatasetJob

    page.evaluate("() => { const el = document.getElementById('job-progress'); el.replaceWith(el.cloneNode(true)); }")
    page.wait_for_timeout(300)  # a poll already on its way finishes first
    for job in DatasetJob.objects.filter(status=DatasetJob.Status.QUEUED):
        services.job_run(job_id=job.pk)
    page.evaluate("() => htmx.process(document.getElementById('job-progress'))")


def test_dataset_from_messy_upload_to_signed_off_safe_copy(
    page: Any, new_page: Callable[..., Any], world_for_browser: Any, tmp_path: Path
) -> None:
    world = world_for_browser
    csv_path = tmp_path / "referrals.csv"
    csv_path.write_text(messy_csv_text(), encoding="utf-8")

    # The analyst finds the project's data inventory and uploads the export.
    sign_in(page, world.user("data_analyst").email, PASSWORD)
    page.goto("/datasets/")
    check_page(page, "datasets-overview")
    page.get_by_role("link", name=world.project.title).click()
    page.get_by_role("heading", name="Data inventory").wait_for()
    check_page(page, "datasets-inventory")
    page.get_by_role("link", name="Upload a file to Food bank referrals").click()
    check_page(page, "datasets-upload")
    page.get_by_label("Name for this dataset").fill("Referrals, April to June")
    page.get_by_label("File").set_input_files(str(csv_path))
    page.get_by_role("button", name="Upload and check").click()

    # The check is queued: the page says so, and keeps asking how far it has got.
    page.get_by_text("Waiting for the background worker to start").wait_for()
    check_page(page, "datasets-check-waiting")
    _open_findings(page, "datasets-check-finished", "datasets-findings")
    html = page.content()
    assert not [v for v in [*RAW_NAMES, *RAW_NHS] if v in html]

    # The analyst knows the phone column holds residents' numbers: override the finding.
    page.get_by_role("link", name="Accept or override for phone").click()
    check_page(page, "datasets-column-review")
    page.get_by_label("No, override it").check()
    page.get_by_label("If you override it, what kind of column is it?").select_option("direct_identifier")
    page.get_by_label("Why (needed when you override)").fill("Residents' mobile numbers.")
    page.get_by_role("button", name="Save decision").click()
    page.get_by_text("Your decision on phone was saved.").wait_for()

    page.get_by_role("button", name="Make a remedy plan from these findings").click()
    page.get_by_role("heading", name="Remedy plan, version 1").wait_for()
    check_page(page, "datasets-plan-v1")
    page.get_by_role("link", name="Edit the plan").click()
    check_page(page, "datasets-plan-edit")
    page.get_by_label("Generalise postcode to").select_option(label="Postcode district (SW1A)")
    page.get_by_label("What did you change, and why?").fill("Postcode districts are enough for the question.")
    page.get_by_role("button", name="Save as version 2").click()
    page.get_by_role("heading", name="Remedy plan, version 2").wait_for()
    assert "to: district" in page.content()
    check_page(page, "datasets-plan-v2")
    page.get_by_role("button", name="Make the safe copy").click()
    page.get_by_text("Make the safe copy: ").first.wait_for()
    check_page(page, "datasets-safe-copy-waiting")
    _run_waiting_jobs(page)
    page.get_by_role("link", name="Read the before and after report of version 2").wait_for()
    check_page(page, "datasets-safe-copy-made")

    # The information rights officer reads the before/after report and approves.
    rights = new_page()
    sign_in(rights, world.user("information_rights").email, PASSWORD)
    from community_insights.portal.datasets.models import Dataset

    dataset = Dataset.objects.get()
    rights.goto(f"/datasets/{dataset.pk}/plans/2/")
    check_page(rights, "datasets-plan-for-sign-off")
    rights.get_by_role("link", name="Sign off").click()
    check_page(rights, "datasets-sign-off")
    rights.get_by_label("Approve: the safe copy can be shared with the project team").check()
    rights.get_by_label("Comment").fill("Districts and redacted notes are fine for this analysis.")
    rights.get_by_role("button", name="Record decision").click()
    rights.get_by_text("Your decision was recorded").wait_for()
    check_page(rights, "datasets-signed-off")
    rights.goto(f"/datasets/projects/{world.project.slug}/audit/")
    check_page(rights, "datasets-audit-trail")
    rights.context.close()

    # A VCS member of the team downloads the safe copy.
    member = new_page()
    sign_in(member, world.user("vcs_member_lead").email, PASSWORD)
    member.goto(f"/datasets/{dataset.pk}/")
    check_page(member, "datasets-dataset-approved")
    with member.expect_download() as info:
        member.get_by_role("link", name="Download the safe copy").click()
    body = Path(info.value.path()).read_text(encoding="utf-8")
    assert "Spoke to [NAME]" in body
    assert not [v for v in [*RAW_NAMES, *RAW_NHS, "Grace Smith"] if v in body]
    member.context.close()

    # Someone from another organisation is told the page does not exist.
    outsider = new_page()
    sign_in(outsider, world.user("outsider").email, PASSWORD)
    response = outsider.goto(f"/datasets/{dataset.pk}/")
    assert response is not None and response.status == 404
    check_page(outsider, "datasets-outsider-404")
    response = outsider.goto(f"/datasets/safe-copies/{dataset.safe_copies.get().pk}/download/")
    assert response is not None and response.status == 404
    check_page(outsider, "datasets-outsider-404-download")
    outsider.context.close()


def _benefits_csv_text(rows: int = 300) -> str:
    """Age band and ward beside a benefit: one ward's records all claim the same one, which only a person
    knows is sensitive (it is not special category data)."""

    import random

    rng = random.Random(11)
    lines = ["age_band,ward,benefit"]
    for _ in range(rows):
        ward = rng.choice(["Abbey", "Castle", "Heath"])
        benefit = "Universal Credit" if ward == "Abbey" else rng.choice(["Universal Credit", "Pension Credit"])
        lines.append(f"{rng.choice(['18-29', '30-44', '45-64'])},{ward},{benefit}")
    return "\n".join(lines) + "\n"


def test_checking_again_with_a_sensitive_column_and_the_extra_measures(page: Any, world_for_browser: Any) -> None:
    """The analyst names a sensitive column and asks for both extra measures; the findings show all three."""

    from django.core.files.uploadedfile import SimpleUploadedFile

    from community_insights.portal.datasets import services
    from community_insights.portal.datasets.models import DatasetJob, DataSource

    world = world_for_browser
    analyst = world.user("data_analyst")
    file = SimpleUploadedFile("benefits.csv", _benefits_csv_text().encode("utf-8"), content_type="text/csv")
    dataset = services.dataset_upload(
        actor=analyst, source=DataSource.objects.get(), title="Benefits by ward", uploaded_file=file
    )
    for job in DatasetJob.objects.filter(status=DatasetJob.Status.QUEUED):  # the upload's own check
        services.job_run(job_id=job.pk)

    sign_in(page, analyst.email, PASSWORD)
    page.goto(f"/datasets/{dataset.pk}/")
    check_page(page, "datasets-check-options-before")
    page.get_by_role("link", name="Check again with more sensitive columns or extra measures").click()
    page.get_by_role("heading", name="Check again with more questions").wait_for()
    check_page(page, "datasets-check-options")
    page.get_by_label("benefit", exact=True).check()
    page.get_by_label("How evenly the values are spread in each group (entropy l-diversity)").check()
    page.get_by_label("How far each group's values are from the whole file's (t-closeness)").check()
    page.get_by_role("button", name="Run the check again").click()
    page.get_by_text("The data safety check has started again with your choices.").wait_for()
    check_page(page, "datasets-check-options-queued")
    _open_findings(page, "datasets-check-options-finished", "datasets-findings-sensitive")
    text = page.locator("main").inner_text()
    assert "these sensitive columns too: benefit" in text
    assert "how evenly the values are spread in each group (entropy l-diversity)" in text
    assert "how far each group's values are from the whole file's (t-closeness)" in text
    diversity = page.get_by_role("table", name="Sensitive columns: groups in which everyone has the same value")
    assert "benefit" in diversity.inner_text()
    spread = page.get_by_role("table", name="How the sensitive values are spread inside the groups")
    assert "benefit" in spread.inner_text() and "Entropy l (smallest)" in spread.inner_text()
