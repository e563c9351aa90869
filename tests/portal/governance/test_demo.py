"""The demo's Phase 3 project gets its data flows, a checked dataset behind its DPIA, and a half-signed agreement."""

from __future__ import annotations

from typing import Any

import pytest

from community_insights.portal.core.demo import load_demo
from community_insights.portal.datasets.models import DataSource
from community_insights.portal.governance import selectors
from community_insights.portal.governance.models import SharingAgreement
from tests.portal.datasets.conftest import dataset_folders  # noqa: F401 - the private folders for uploads


@pytest.mark.django_db
def test_the_young_carers_project_has_a_draft_dpia_and_an_agreement_to_sign(
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        context = load_demo(password="a-long-and-unusual-passphrase")
    project = context.projects["young_carers"]
    draft = selectors.dpia_draft(project)
    assert draft.screening["special_category"] == "yes"
    assert draft.screening["several_organisations"] == "yes"
    # The worker's check raised risks; no remedy plan yet, so their measures are the team's to write.
    # (The demo's Phase 3 testing extract, "Young carers by ward", has an approved plan: its risks may be covered.)
    assessments = [r for r in draft.risks if "Young carers by ward" not in r.title]
    assert {r.key.split(".")[1] for r in assessments} >= {"special", "mosaic"}
    assert all(r in draft.uncovered for r in assessments)
    agreement = SharingAgreement.objects.get(source__name="Young carers assessments")
    assert [o.name for o in selectors.unsigned_parties(agreement)] == ["Riverside Carers Network"]
    council = DataSource.objects.get(name="Young carers assessments")
    assert selectors.agreement_status_for_source(council) == DataSource.AgreementStatus.IN_PROGRESS
    assert not selectors.project_may_publish(project).allowed
    load_demo(password="a-long-and-unusual-passphrase")
    assert SharingAgreement.objects.filter(project=project).count() == 1
