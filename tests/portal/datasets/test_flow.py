"""The whole path of a dataset through the services: upload, check, plan, safe copy, sign-off, download."""

from __future__ import annotations

from typing import Any

import pytest

from community_insights.portal.core.models import AuditEntry
from community_insights.portal.datasets import services
from community_insights.portal.datasets.models import Dataset, DatasetJob, RemedyPlanVersion
from tests.portal.access import World


@pytest.mark.django_db
def test_upload_checks_plans_applies_and_signs_off(
    world: World, upload: Any, django_capture_on_commit_callbacks: Any
) -> None:
    dataset = upload()
    job = dataset.jobs.get()
    assert job.status == DatasetJob.Status.SUCCEEDED, job.error_message
    assert dataset.status == Dataset.Status.CHECKED
    check = dataset.check_results.get()
    kinds = {c["name"]: c["kind"] for c in check.report["columns"]}
    assert kinds["nhs_number"] == "direct_identifier"
    assert kinds["notes"] == "free_text"

    analyst = world.user("data_analyst")
    plan = services.plan_create(actor=analyst, dataset=dataset)
    assert plan.number == 1
    with django_capture_on_commit_callbacks(execute=True):
        services.plan_apply(actor=analyst, plan=plan)
    plan.refresh_from_db()
    assert plan.status == RemedyPlanVersion.Status.AWAITING_SIGN_OFF, dataset.jobs.first().error_message
    copy = plan.safe_copy
    assert copy.report["output"]["rows"] == 60

    with django_capture_on_commit_callbacks(execute=True):
        services.plan_sign_off(actor=world.user("information_rights"), plan=plan, approve=True, comment="Checked.")
    body = b"".join(services.safe_copy_download(actor=world.user("vcs_member_lead"), copy=copy))
    assert b"case_id" in body or b"P-" in body
    actions = set(AuditEntry.objects.filter(project_id=world.project.pk).values_list("action", flat=True))
    assert {
        "datasets.dataset_upload",
        "datasets.check_finish",
        "datasets.plan_create",
        "datasets.plan_apply",
        "datasets.safe_copy_create",
        "datasets.plan_approve",
        "datasets.safe_copy_download",
    } <= actions
