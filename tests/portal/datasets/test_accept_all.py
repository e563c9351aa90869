"""Accept every finding in one step, without undoing an override made first."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from community_insights.portal.core.models import AuditEntry
from community_insights.portal.datasets import services
from community_insights.portal.datasets.models import ColumnReview, Dataset
from tests.portal.access import World

pytestmark = pytest.mark.django_db


def test_accept_all_keeps_an_override_and_accepts_the_rest_once(world: World, upload: Callable[..., Dataset]) -> None:
    dataset = upload()
    result = dataset.check_results.get()
    names = [c["name"] for c in result.report["columns"]]
    analyst = world.user("data_analyst")
    services.column_review(
        actor=analyst, result=result, column="phone", decision="overridden", kind="direct_identifier",
        comment="Residents' mobile numbers.",
    )  # fmt: skip
    client = Client()
    client.force_login(analyst)
    findings = reverse("datasets:findings", kwargs={"dataset_id": dataset.pk})
    assert "Accept every finding not reviewed yet" in client.get(findings).content.decode()
    response = client.post(reverse("datasets:findings_accept_all", kwargs={"dataset_id": dataset.pk}))
    assert response.status_code == 302 and response["Location"] == findings
    reviews: dict[str, Any] = {r.column: r for r in ColumnReview.objects.filter(result=result)}
    assert set(reviews) == set(names)
    assert reviews["phone"].decision == "overridden", "an override made first is never undone"
    assert all(r.decision == "accepted" for c, r in reviews.items() if c != "phone")
    (entry,) = AuditEntry.objects.filter(action="datasets.findings_accept_all")
    assert sorted(entry.changes["columns"]) == sorted(n for n in names if n != "phone")
    page = client.get(findings).content.decode()
    assert "Accept every finding not reviewed yet" not in page
    client.post(reverse("datasets:findings_accept_all", kwargs={"dataset_id": dataset.pk}))
    assert AuditEntry.objects.filter(action="datasets.findings_accept_all").count() == 1


def test_the_finished_check_links_to_the_findings_only_for_people_who_may_read_them(
    world: World, upload: Callable[..., Dataset]
) -> None:
    dataset = upload()
    progress = reverse("datasets:job_progress", kwargs={"job_id": dataset.jobs.get().pk})
    findings = reverse("datasets:findings", kwargs={"dataset_id": dataset.pk})
    for persona, shown in (("data_analyst", True), ("vcs_member_lead", False)):
        client = Client()
        client.force_login(world.user(persona))
        assert (findings in client.get(progress).content.decode()) is shown, persona
        assert client.get(findings).status_code == (200 if shown else 403), persona
