"""The DPIA drafted from the evidence: screening, risks and measures, edits, versions and approval."""

from __future__ import annotations

from typing import Any

import pytest

from community_insights.portal.core.exceptions import ApplicationError, NotPermitted
from community_insights.portal.core.models import AuditEntry
from community_insights.portal.datasets import engine
from community_insights.portal.datasets import services as data_services
from community_insights.portal.datasets.models import Dataset
from community_insights.portal.governance import selectors, services
from community_insights.portal.governance.models import DpiaVersion
from tests.portal.access import World
from tests.portal.governance.factories import approve_dpia, current_plan, make_checked, make_source, plain_csv

pytestmark = pytest.mark.django_db


def test_ethnicity_and_health_columns_answer_special_category_yes(world: World, checked: Dataset) -> None:
    draft = selectors.dpia_draft(world.project)
    assert draft.screening["special_category"] == "yes"
    sentence = draft.sentence("need.special_category")
    assert sentence is not None
    assert "ethnicity" in sentence.text and "health_condition" in sentence.text
    assert sentence.url.endswith(f"/datasets/{checked.pk}/findings/")


def test_data_with_nothing_personal_answers_no(world: World) -> None:
    make_checked(world, make_source(world, legal_basis="not_personal"), plain_csv())
    draft = selectors.dpia_draft(world.project)
    assert draft.screening["special_category"] == "no"
    assert draft.screening["several_organisations"] == "no"
    assert draft.screening["automated_decisions"] == "not known yet"  # no outputs yet
    assert draft.risks == []


def test_data_from_two_organisations_answers_matching_yes(world: World, checked: Dataset) -> None:
    make_checked(world, make_source(world, owner="vcs", name="Pantry log"))
    draft = selectors.dpia_draft(world.project)
    assert draft.screening["several_organisations"] == "yes"
    text = draft.sentence("need.several_organisations").text  # type: ignore[union-attr]
    assert "Northmoor Borough Council" in text and "Northmoor Food Partnership" in text


def test_every_risk_the_check_raised_is_in_the_dpia_with_a_measure(world: World, checked: Dataset) -> None:
    report = checked.check_results.get().report
    draft = selectors.dpia_draft(world.project)
    keys = {r.key.split(".")[1] for r in draft.risks}
    assert "special" in keys and "mosaic" in keys and "pseudonymised" in keys
    assert report["mosaic"]["records_below_threshold"] > 0
    for column in report["summary"]["special_category"]:
        special = next(r for r in draft.risks if r.key.startswith("risk.special"))
        assert column in special.finding.text
        assert column in special.measure.text  # what the plan does to that very column
    assert all(r.covered and r.outcome == "Reduced" for r in draft.risks)
    assert all(any("Remedy plan version" in label for label, _ in r.links) for r in draft.risks)
    # Records with their share of the file, never "people" beside a number.
    mosaic = next(r for r in draft.risks if r.key.startswith("risk.mosaic")).finding.text
    below, total = report["mosaic"]["records_below_threshold"], report["mosaic"]["records"]
    assert f"put {below:,} records ({below / total:.0%}) in groups of fewer than 10 records" in mosaic


def test_a_risk_without_a_plan_blocks_sending_until_accepted_with_a_reason(world: World, facilitator: Any) -> None:
    make_checked(world, make_source(world), plan=False)
    draft = selectors.dpia_draft(world.project)
    assert draft.uncovered and all(r.outcome == "No measure yet" for r in draft.uncovered)
    with pytest.raises(ApplicationError, match="Give every risk a measure"):
        services.dpia_submit(actor=facilitator, project=world.project)
    for risk in draft.uncovered:
        services.dpia_risk_rate(
            actor=facilitator,
            project=world.project,
            risk_key=risk.key,
            likelihood="low",
            severity="minimal",
            accepted_reason="The data never leaves the council's own analysts.",
        )
    draft = selectors.dpia_draft(world.project)
    assert not draft.uncovered and {r.outcome for r in draft.risks} == {"Accepted"}
    assert services.dpia_submit(actor=facilitator, project=world.project).number == 1


def test_an_edited_sentence_keeps_its_wording_and_shows_when_the_evidence_moves_on(
    world: World, checked: Dataset, facilitator: Any
) -> None:
    services.dpia_sentence_edit(actor=facilitator, project=world.project, key="need.large_scale", text="Not large.")
    sentence = selectors.dpia_draft(world.project).sentence("need.large_scale")
    assert sentence is not None and sentence.text == "Not large." and sentence.edited and not sentence.stale
    make_checked(world, make_source(world, name="Second visits"))  # more rows: the drafted sentence changes
    sentence = selectors.dpia_draft(world.project).sentence("need.large_scale")
    assert sentence is not None and sentence.text == "Not large." and sentence.stale
    entry = AuditEntry.objects.get(action="governance.dpia_edit")
    assert entry.changes == {"key": "need.large_scale", "back_to_draft": False}
    services.dpia_sentence_edit(actor=facilitator, project=world.project, key="need.large_scale", text="")
    assert not selectors.dpia_draft(world.project).sentence("need.large_scale").edited  # type: ignore[union-attr]


def test_changing_a_remedy_marks_the_dpia_as_changed_since_approval(world: World, checked: Dataset) -> None:
    approve_dpia(world)
    assert selectors.changed_since_approval(world.project, selectors.dpia_draft(world.project)) == []
    assert selectors.project_may_publish(world.project).missing == [
        "The sharing agreement for Food bank visits is needed."
    ]
    plan = current_plan(checked)
    data = engine.plan_to_dict(engine.load_plan_text(plan.plan_yaml))
    columns = [{**c, "action": "drop", "params": {}} if c["column"] == "ethnicity" else c for c in data["columns"]]
    data_services.plan_update(
        actor=world.user("data_analyst"),
        plan=plan,
        columns=columns,
        min_group_size=data["min_group_size"],
        quasi_identifiers=[q for q in data["quasi_identifiers"] if q != "ethnicity"],
        small_groups=data["small_groups"],
        change_note="Remove ethnicity altogether.",
    )
    changed = selectors.changed_since_approval(world.project, selectors.dpia_draft(world.project))
    assert "Steps 5 to 7: Risks and the measures that reduce them" in changed
    missing = selectors.project_may_publish(world.project).missing
    assert missing[0].startswith("The DPIA has changed since version 1 was approved")


def test_approval_needs_the_dpo_advice_and_someone_else(world: World, checked: Dataset, iro: Any) -> None:
    version = services.dpia_submit(actor=iro, project=world.project)
    with pytest.raises(NotPermitted):
        services.dpia_decide(actor=iro, version=version, decision="approved", dpo_advice="Fine", residual_risk="low")
    version = services.dpia_submit(actor=world.user("facilitator"), project=world.project)
    assert version.number == 2
    assert DpiaVersion.objects.get(number=1).decision == DpiaVersion.Decision.SUPERSEDED
    with pytest.raises(ApplicationError, match="data protection officer"):
        services.dpia_decide(actor=iro, version=version, decision="approved", residual_risk="low")
    with pytest.raises(NotPermitted):
        services.dpia_decide(
            actor=world.user("facilitator"), version=version, decision="approved", dpo_advice="Go", residual_risk="low"
        )


def test_a_version_is_not_approved_once_its_evidence_changed(world: World, checked: Dataset, iro: Any) -> None:
    version = services.dpia_submit(actor=world.user("facilitator"), project=world.project)
    make_checked(world, make_source(world, owner="vcs", name="Pantry log"))
    with pytest.raises(ApplicationError, match="send it again"):
        services.dpia_decide(actor=iro, version=version, decision="approved", dpo_advice="Go", residual_risk="low")
    decided = services.dpia_decide(actor=iro, version=version, decision="changes_needed", comment="Add the pantry log.")
    assert decided.decision == DpiaVersion.Decision.CHANGES_NEEDED
    assert selectors.last_approved(world.project) is None


def test_only_the_team_roles_that_run_the_project_edit_it(world: World, checked: Dataset) -> None:
    with pytest.raises(NotPermitted):
        services.dpia_sentence_edit(
            actor=world.user("communities_representative"), project=world.project, key="need.large_scale", text="x"
        )
    with pytest.raises(NotPermitted):
        services.dpia_submit(actor=world.user("outsider"), project=world.project)
