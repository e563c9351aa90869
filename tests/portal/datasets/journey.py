"""The whole path of one dataset through the portal's pages, as the people of the guide would click it.

Used by the view tests, the audit tests and the raw-value leak test, so each
checks the same real journey rather than a shortcut.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from community_insights.portal.datasets.models import Dataset, RemedyPlanVersion
from tests.portal.access import World


@dataclass
class Journey:
    dataset: Dataset
    pages: dict[str, str] = field(default_factory=dict)
    downloads: dict[str, bytes] = field(default_factory=dict)


def _client(world: World, persona: str) -> Client:
    c = Client()
    c.force_login(world.user(persona))
    return c


def _get(client: Client, journey: Journey, name: str, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, f"{name}: {response.status_code}"
    html = response.content.decode()
    journey.pages[name] = html
    return html


def run_journey(world: World, source: Any, content: bytes, capture: Any) -> Journey:
    """Upload → check → findings → override a column → plan → edit → apply → approve → download."""
    analyst = _client(world, "data_analyst")
    rights = _client(world, "information_rights")
    member = _client(world, "vcs_member_lead")

    with capture(execute=True):
        response = analyst.post(
            reverse("datasets:upload", kwargs={"source_id": source.pk}),
            {"title": "Referrals", "file": SimpleUploadedFile("referrals.csv", content, content_type="text/csv")},
        )
    assert response.status_code == 302, response.content.decode()[:2000]
    dataset = Dataset.objects.get()
    journey = Journey(dataset=dataset)
    _get(analyst, journey, "inventory", reverse("datasets:inventory", kwargs={"slug": world.project.slug}))
    _get(analyst, journey, "detail", reverse("datasets:dataset_detail", kwargs={"dataset_id": dataset.pk}))
    job = dataset.jobs.get()
    _get(analyst, journey, "progress", reverse("datasets:job_progress", kwargs={"job_id": job.pk}))
    findings = _get(analyst, journey, "findings", reverse("datasets:findings", kwargs={"dataset_id": dataset.pk}))
    assert "Findings of the data safety check" in findings

    # Override the phone column (the analyst knows it holds residents' numbers) and accept the notes finding.
    columns = [c["name"] for c in dataset.check_results.get().report["columns"]]
    phone, notes = columns.index("phone"), columns.index("notes")
    review_url = reverse("datasets:column_review", kwargs={"dataset_id": dataset.pk, "index": phone})
    _get(analyst, journey, "review", review_url)
    response = analyst.post(
        review_url, {"decision": "overridden", "kind": "direct_identifier", "comment": "Residents' mobile numbers."}
    )
    assert response.status_code == 302
    response = analyst.post(
        reverse("datasets:column_review", kwargs={"dataset_id": dataset.pk, "index": notes}),
        {"decision": "accepted", "kind": "", "comment": ""},
    )
    assert response.status_code == 302

    response = analyst.post(reverse("datasets:plan_create", kwargs={"dataset_id": dataset.pk}))
    assert response.status_code == 302
    plan = RemedyPlanVersion.objects.get(dataset=dataset, number=1)
    _get(analyst, journey, "plan", reverse("datasets:plan_detail", kwargs={"dataset_id": dataset.pk, "number": 1}))
    edit_url = reverse("datasets:plan_edit", kwargs={"dataset_id": dataset.pk, "number": 1})
    edit = _get(analyst, journey, "plan_edit", edit_url)
    assert "Save as version 2" in edit

    # Edit: generalise the postcode to district instead of sector, and say why.
    from community_insights.portal.datasets import engine

    data = engine.plan_to_dict(engine.load_plan_text(plan.plan_yaml))
    post: dict[str, Any] = {
        "min_group_size": data["min_group_size"],
        "small_groups": data["small_groups"],
        "quasi_identifiers": data["quasi_identifiers"],
        "change_note": "Postcode districts are enough for the question.",
    }
    from community_insights.portal.datasets.forms import params_to_text

    for i, entry in enumerate(data["columns"]):
        post[f"action_{i}"] = entry["action"]
        post[f"params_{i}"] = params_to_text(entry.get("params"))
        post[f"reason_{i}"] = entry.get("reason", "")
        if entry["column"] == "postcode":
            post[f"params_{i}"] = "to: district"
            post[f"reason_{i}"] = "Districts are enough to see where families struggle."
    response = analyst.post(edit_url, post)
    assert response.status_code == 302, response.content.decode()[:3000]
    plan2 = RemedyPlanVersion.objects.get(dataset=dataset, number=2)

    with capture(execute=True):
        response = analyst.post(reverse("datasets:plan_apply", kwargs={"dataset_id": dataset.pk, "number": 2}))
    assert response.status_code == 302
    plan2.refresh_from_db()
    assert plan2.status == RemedyPlanVersion.Status.AWAITING_SIGN_OFF, dataset.jobs.first().error_message

    sign_off_url = reverse("datasets:plan_sign_off", kwargs={"dataset_id": dataset.pk, "number": 2})
    _get(rights, journey, "sign_off", sign_off_url)
    _get(rights, journey, "report", reverse("datasets:safe_copy_report", kwargs={"copy_id": plan2.safe_copy.pk}))
    with capture(execute=True):
        response = rights.post(
            sign_off_url, {"decision": "approve", "comment": "Districts and redacted notes are fine."}
        )
    assert response.status_code == 302

    _get(member, journey, "detail_member", reverse("datasets:dataset_detail", kwargs={"dataset_id": dataset.pk}))
    response = member.get(reverse("datasets:safe_copy_download", kwargs={"copy_id": plan2.safe_copy.pk}))
    assert response.status_code == 200
    journey.downloads["safe_copy"] = b"".join(response.streaming_content)
    _get(rights, journey, "audit", reverse("datasets:audit", kwargs={"slug": world.project.slug}))
    response = rights.get(reverse("datasets:audit_export", kwargs={"slug": world.project.slug}))
    journey.downloads["audit_csv"] = b"".join(response.streaming_content)
    dataset.refresh_from_db()
    return journey
