"""The DPIA's risks from the output safety checks: small areas, small groups, Article 22, personal data in files."""

from __future__ import annotations

from typing import Any

import pytest

from community_insights.portal.core.exceptions import ApplicationError
from community_insights.portal.governance import selectors, services
from community_insights.portal.outputs import services as output_services
from community_insights.portal.outputs.models import OutputVersion
from tests.portal.access import World
from tests.portal.datasets.conftest import dataset_folders  # noqa: F401 - private folders for sealed files
from tests.portal.governance.factories import approve_dpia
from tests.portal.outputs.conftest import make_approved_copy

pytestmark = pytest.mark.django_db


@pytest.fixture
def build(django_capture_on_commit_callbacks: Any) -> Any:
    """Queue a version and run its background build at once (as the outputs tests do)."""

    def _build(**kwargs: Any) -> OutputVersion:
        with django_capture_on_commit_callbacks(execute=True):
            version = output_services.version_build(**kwargs)
        version.refresh_from_db()
        return version

    return _build


CHART = {"by": ["ward", "household_size"], "statistic": "count", "chart_kind": "bar", "preset": "ons"}


def _output(world: World, build: Any, kind: str, title: str, settings: dict[str, Any]) -> OutputVersion:
    analyst = world.user("data_analyst")
    copy = world.extra.get("copy") or world.extra.setdefault("copy", make_approved_copy(world))
    output = output_services.output_create(actor=analyst, safe_copy=copy, kind=kind, title=title)
    return build(actor=analyst, output=output, settings=settings)  # type: ignore[no-any-return]


def _risk(world: World, rule: str, version: OutputVersion) -> Any:
    key = f"risk.output_{rule}.{version.output_id}"
    return next(r for r in selectors.dpia_draft(world.project).risks if r.key == key)


def test_each_risk_the_output_safety_check_raised_is_in_the_dpia_with_what_was_applied(
    world: World, build: Any, client_for: Any
) -> None:
    chart = _output(world, build, "chart", "Visits by ward and household size", CHART)
    mapped = _output(world, build, "map", "Visits", {"area": "ward"})
    flagged = _output(world, build, "chart", "Households flagged for priority by household size", CHART)
    assert flagged.status == OutputVersion.Status.REFUSED

    areas = _risk(world, "small_areas", mapped)
    assert 'Map "Visits", version 1' in areas.finding.text and "Northgate" in areas.measure.text
    assert areas.finding.source == 'Output safety check of Map "Visits", version 1'
    assert areas.finding.url == f"/outputs/{mapped.output_id}/"
    groups = _risk(world, "small_groups", chart)
    assert "totals included, are hidden" in groups.measure.text
    article_22 = _risk(world, "article_22", flagged)
    assert article_22.severity == "severe" and "refused it" in article_22.measure.text
    assert all(r.covered for r in (areas, groups, article_22))

    draft = selectors.dpia_draft(world.project)
    assert draft.screening["automated_decisions"] == "no"
    assert "refused 1 version(s)" in draft.sentence("need.automated_decisions").text  # type: ignore[union-attr]
    assert draft.sentence(f"description.output.{chart.output_id}") is not None
    page = client_for("facilitator").get(f"/governance/projects/{world.project.slug}/dpia/").content.decode()
    assert "Small areas in a map" in page and f'href="/outputs/{mapped.output_id}/"' in page


def test_personal_data_in_the_files_needs_the_sign_off_or_an_acceptance(world: World, build: Any) -> None:
    version = _output(world, build, "chart", "Visits by ward, questions to 07911 123456", CHART)
    row = next(r for r in version.safety_check if r["check"] == "Personal data in the files")
    assert row["outcome"] == "attention"
    risk = _risk(world, "personal_data_in_the_files", version)
    assert "may hold personal data" in risk.finding.text
    assert risk.finding.text.startswith(f"Chart number {version.output_id}, version 1")  # the title is withheld
    assert "07911" not in str(selectors.dpia_draft(world.project).to_snapshot())
    assert not risk.covered and risk.outcome == "No measure yet"
    with pytest.raises(ApplicationError, match="Give every risk a measure"):
        services.dpia_submit(actor=world.user("facilitator"), project=world.project)
    services.dpia_risk_rate(
        actor=world.user("facilitator"),
        project=world.project,
        risk_key=risk.key,
        likelihood="low",
        severity="minimal",
        accepted_reason="The number is the food bank's public help line.",
    )
    risk = _risk(world, "personal_data_in_the_files", version)
    assert risk.covered and risk.outcome == "Accepted"
    assert risk.key not in {r.key for r in selectors.dpia_draft(world.project).uncovered}
    output_services.version_sign_off(
        actor=world.user("information_rights"), version=version, approve=True, comment="The number is the help line."
    )
    risk = _risk(world, "personal_data_in_the_files", version)
    assert risk.covered and "approved it for sharing" in risk.measure.text


def test_a_new_output_version_marks_the_dpia_changed_since_approval(world: World, build: Any) -> None:
    chart = _output(world, build, "chart", "Visits by ward and household size", CHART)
    approve_dpia(world)
    assert selectors.changed_since_approval(world.project, selectors.dpia_draft(world.project)) == []
    output_services.version_sign_off(
        actor=world.user("information_rights"), version=chart, approve=True, comment="Checked the hidden cells."
    )
    changed = selectors.changed_since_approval(world.project, selectors.dpia_draft(world.project))
    assert changed == ["Step 2: Describe the processing", "Steps 5 to 7: Risks and the measures that reduce them"]
    gate = selectors.project_may_publish(world.project)
    assert gate.missing[0].startswith("The DPIA has changed since version 1 was approved")
