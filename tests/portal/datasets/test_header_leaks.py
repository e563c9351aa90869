"""A file without a header row, uploaded to the portal: no value of its first row in any page, row, log or email.

A first row of values is read as a row (columns column_1 …); a first row that may be a record names
every column masked, in the findings, the plan and the safe copy's report alike.
"""

from __future__ import annotations

import io
import logging
from typing import Any

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from community_insights.portal.datasets.models import Dataset, DataSource, RemedyPlanVersion
from community_insights.safety.headers import display_name
from tests.portal.access import World

FIRST_ROW = ["Zebedee Quockerwodger", "zq.secret@example.org", "943 476 5919", "Abbey"]
DOUBTFUL_ROW = ["Zebedee Quockerwodger", "Abbey", "food"]
OTHERS = ["Amira Khan", "John Smith", "Sarah Jones", "Emily Brown", "David Evans", "Grace Wilson"]


def _everything(client: Any, pages: list[str]) -> str:
    dump = io.StringIO()
    call_command("dumpdata", exclude=["contenttypes", "auth.permission"], stdout=dump)
    texts = [dump.getvalue(), *(client.get(url).content.decode() for url in pages)]
    texts += [m.subject + m.body for m in mail.outbox]
    return "\n".join(texts)


def _upload(client: Any, source: DataSource, body: str, capture: Any) -> Dataset:
    with capture(execute=True):
        response = client.post(
            reverse("datasets:upload", kwargs={"source_id": source.pk}),
            {"title": "Referrals", "file": SimpleUploadedFile("referrals.csv", body.encode())},
        )
    assert response.status_code == 302, response.content.decode()[:1000]
    return Dataset.objects.get()


def _plan_and_copy(client: Any, dataset: Dataset, capture: Any) -> list[str]:
    """Draft a plan from the findings and make the safe copy; the pages that show them."""

    client.post(reverse("datasets:plan_create", kwargs={"dataset_id": dataset.pk}))
    plan = RemedyPlanVersion.objects.get(dataset=dataset, number=1)
    with capture(execute=True):
        client.post(reverse("datasets:plan_apply", kwargs={"dataset_id": dataset.pk, "number": 1}))
    plan.refresh_from_db()
    assert plan.status == RemedyPlanVersion.Status.AWAITING_SIGN_OFF, dataset.jobs.first().error_message
    return [
        reverse("datasets:plan_detail", kwargs={"dataset_id": dataset.pk, "number": 1}),
        reverse("datasets:plan_edit", kwargs={"dataset_id": dataset.pk, "number": 1}),
        reverse("datasets:safe_copy_report", kwargs={"copy_id": plan.safe_copy.pk}),
    ]


@pytest.mark.django_db
def test_a_record_in_the_first_row_is_read_as_a_row_under_generated_names(
    world: World, source: DataSource, client_for: Any, caplog: Any, django_capture_on_commit_callbacks: Any
) -> None:
    caplog.set_level(logging.DEBUG)
    rows = (f"{n},x{i}@example.org,401 023 2137,Castle" for i, n in enumerate(OTHERS * 3))
    body = "\n".join([",".join(FIRST_ROW), *rows])
    client = client_for("data_analyst")
    dataset = _upload(client, source, body, django_capture_on_commit_callbacks)
    report = dataset.check_results.get().report
    assert [c["name"] for c in report["columns"]] == ["column_1", "column_2", "column_3", "column_4"]
    assert report["source"]["rows"] == len(OTHERS) * 3 + 1, "the first row is a row"
    pages = [
        reverse("datasets:dataset_detail", kwargs={"dataset_id": dataset.pk}),
        reverse("datasets:findings", kwargs={"dataset_id": dataset.pk}),
        reverse("datasets:column_review", kwargs={"dataset_id": dataset.pk, "index": 1}),
    ]
    pages += _plan_and_copy(client, dataset, django_capture_on_commit_callbacks)
    seen = _everything(client, pages) + caplog.text
    assert "holds data (such as an email address or an ID number), not column names" in seen
    for value in FIRST_ROW[:3]:
        assert value not in seen


@pytest.mark.django_db
def test_a_doubtful_first_row_is_masked_on_every_page(
    world: World, source: DataSource, client_for: Any, caplog: Any, django_capture_on_commit_callbacks: Any
) -> None:
    caplog.set_level(logging.DEBUG)
    body = "\n".join([",".join(DOUBTFUL_ROW), *(f"{n},Castle,debt" for n in OTHERS * 5)])
    client = client_for("data_analyst")
    dataset = _upload(client, source, body, django_capture_on_commit_callbacks)
    pages = [
        reverse("datasets:dataset_detail", kwargs={"dataset_id": dataset.pk}),
        reverse("datasets:findings", kwargs={"dataset_id": dataset.pk}),
        reverse("datasets:column_review", kwargs={"dataset_id": dataset.pk, "index": 0}),
        reverse("datasets:inventory", kwargs={"slug": world.project.slug}),
        reverse("datasets:audit", kwargs={"slug": world.project.slug}),
    ]
    pages += _plan_and_copy(client, dataset, django_capture_on_commit_callbacks)  # the plan names columns masked
    seen = _everything(client, pages) + caplog.text
    assert display_name(DOUBTFUL_ROW[0], 0) in seen, "the masked name is what the pages show"
    assert "Zebedee" not in seen and "Quockerwodger" not in seen
