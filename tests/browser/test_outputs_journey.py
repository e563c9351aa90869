"""An output's journey in a real browser: a chart, a map and a table from an approved safe copy.

The analyst adds the project's own boundary file, builds each from a form
(the map on those boundaries) and sees its preview and output safety check;
the information rights officer approves the chart and sends the map back
with a reason; a member of the team downloads the approved chart; an
analyst of another organisation gets "Page not found". Every page is checked
with axe (no violation of any impact), at 320 px, and kept as a screenshot.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from community_insights.safety import sample_boundaries_path
from tests.browser.conftest import check_page, sign_in
from tests.portal.conftest import PASSWORD, make_world
from tests.portal.datasets.conftest import dataset_folders  # noqa: F401 - private folders and the test key
from tests.portal.outputs.conftest import make_approved_copy

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def world_with_copy() -> Any:
    """The shared world, with an approved safe copy of visits (the private folders come from the autouse fixture)."""
    world = make_world()
    make_approved_copy(world)
    return world


def check_strictly(page: Any, name: str) -> None:
    """The shared gate: console, axe at any impact, wording, 320/375 px, screenshots at 1280 and 375 px."""
    check_page(page, name)


def _person(new_page: Callable[..., Any]) -> Any:
    """A gated page for one more person: every page they visit must pass check_page."""
    page = new_page()
    page.set_default_timeout(30_000)  # a build renders offline: give it time on a shared machine
    return page


def _make(page: Any, slug: str, *, title: str, kind: str, first: str, second: str = "") -> None:
    page.goto(f"/outputs/projects/{slug}/")
    page.get_by_role("link", name="Make an output from Visits").click()
    page.get_by_label("Title").fill(title)
    page.get_by_role("radio", name=kind).check()
    page.get_by_label("Group by (or the area column, for a map)").select_option(first)
    if second:
        page.get_by_label("Then by (optional; the colours of a chart)").select_option(second)
    page.get_by_label("What this can and cannot be used for").fill("Not for funding applications.")
    page.get_by_role("button", name="Build and check").click()
    page.get_by_role("heading", name="Output safety check").wait_for()


def test_outputs_from_approved_safe_copy_to_download(
    page: Any, new_page: Callable[..., Any], world_with_copy: Any
) -> None:
    world = world_with_copy
    slug = world.project.slug
    page.set_default_timeout(30_000)
    sign_in(page, world.user("data_analyst").email, PASSWORD)
    page.goto(f"/outputs/projects/{slug}/")
    check_strictly(page, "outputs-list")
    page.get_by_role("link", name="Add a boundary file for your own areas").click()
    page.get_by_label("Name", exact=True).fill("Wards of Fairhaven")
    page.get_by_label("GeoJSON file").set_input_files(str(sample_boundaries_path()))
    check_strictly(page, "outputs-boundaries")
    page.get_by_role("button", name="Upload and check").click()
    expect(page.get_by_text("Wards of Fairhaven: 9 areas, British National Grid")).to_be_visible()
    page.get_by_role("link", name="Make an output from Visits").click()
    expect(page.get_by_label("Title")).to_be_visible()
    check_strictly(page, "outputs-new")
    _make(page, slug, title="Visits by ward and household size", kind="A chart", first="ward", second="household_size")
    check_strictly(page, "outputs-chart")
    _make(page, slug, title="Visits by ward", kind="A map of areas", first="ward")
    check_strictly(page, "outputs-map")
    _make(page, slug, title="Visits by household size", kind="A table", first="household_size")
    check_strictly(page, "outputs-table")

    from community_insights.portal.outputs.models import OutputVersion

    chart = OutputVersion.objects.get(title="Visits by ward and household size")
    area_map = OutputVersion.objects.get(title="Visits by ward")
    rights = _person(new_page)
    sign_in(rights, world.user("information_rights").email, PASSWORD)
    rights.goto(f"/outputs/versions/{chart.pk}/sign-off/")
    check_strictly(rights, "outputs-sign-off")
    rights.get_by_label("Approve: it can be shared beyond the project team and published").check()
    rights.get_by_label("Comment").fill("Checked the hidden figures and the caveats.")
    rights.get_by_role("button", name="Record decision").click()
    expect(rights.get_by_text("Your decision was recorded")).to_be_visible()
    check_strictly(rights, "outputs-approved-by-rights")
    rights.goto(f"/outputs/versions/{area_map.pk}/sign-off/")
    check_strictly(rights, "outputs-sign-off-map")
    rights.get_by_label("Send it back for changes").check()
    rights.get_by_label("Comment").fill("Say in the caption that Northgate is shown with Abbey.")
    rights.get_by_role("button", name="Record decision").click()
    expect(rights.get_by_text("Your decision was recorded")).to_be_visible()
    check_strictly(rights, "outputs-sent-back")

    member = _person(new_page)
    sign_in(member, world.user("vcs_member_lead").email, PASSWORD)
    member.goto(f"/outputs/{chart.output_id}/")
    check_strictly(member, "outputs-approved")
    with member.expect_download() as info:
        member.get_by_role("link", name="Download as SVG").click()
    assert "hidden to protect people" in Path(info.value.path()).read_text(encoding="utf-8")
    member.goto(f"/outputs/{area_map.output_id}/")
    assert "Changes needed" in member.content() and "Download as SVG" not in member.content()
    check_strictly(member, "outputs-changes-needed")

    outsider = _person(new_page)
    sign_in(outsider, world.user("outsider").email, PASSWORD)
    response = outsider.goto(f"/outputs/{chart.output_id}/")
    assert response is not None and response.status == 404
    check_strictly(outsider, "outputs-outsider-404")
    response = outsider.goto(f"/outputs/versions/{chart.pk}/download/svg/")
    assert response is not None and response.status == 404
    check_strictly(outsider, "outputs-outsider-404-download")
