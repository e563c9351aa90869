"""A file without a header row, uploaded to the portal: no value of its first row in any page, row, log or email."""

from __future__ import annotations

import io
import logging
from typing import Any

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from community_insights.portal.datasets.models import Dataset, DataSource
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


@pytest.mark.django_db
def test_a_record_in_the_first_row_is_refused_quoting_nothing(
    world: World, source: DataSource, client_for: Any, caplog: Any
) -> None:
    caplog.set_level(logging.DEBUG)
    rows = (f"{n},x{i}@example.org,401 023 2137,Castle" for i, n in enumerate(OTHERS))
    body = "\n".join([",".join(FIRST_ROW), *rows])
    client = client_for("data_analyst")
    url = reverse("datasets:upload", kwargs={"source_id": source.pk})
    response = client.post(url, {"title": "No header", "file": SimpleUploadedFile("referrals.csv", body.encode())})
    page = response.content.decode()
    assert response.status_code == 200 and "looks like a record, not column names" in page
    assert Dataset.objects.count() == 0
    seen = _everything(client, [url]) + page + caplog.text
    for value in FIRST_ROW[:3]:
        assert value not in seen


@pytest.mark.django_db
def test_a_doubtful_first_row_is_masked_on_every_page(
    world: World, source: DataSource, client_for: Any, caplog: Any, django_capture_on_commit_callbacks: Any
) -> None:
    caplog.set_level(logging.DEBUG)
    body = "\n".join([",".join(DOUBTFUL_ROW), *(f"{n},Castle,debt" for n in OTHERS * 5)])
    client = client_for("data_analyst")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("datasets:upload", kwargs={"source_id": source.pk}),
            {"title": "Doubtful", "file": SimpleUploadedFile("referrals.csv", body.encode())},
        )
    assert response.status_code == 302, response.content.decode()[:1000]
    dataset = Dataset.objects.get()
    pages = [
        reverse("datasets:dataset_detail", kwargs={"dataset_id": dataset.pk}),
        reverse("datasets:findings", kwargs={"dataset_id": dataset.pk}),
        reverse("datasets:column_review", kwargs={"dataset_id": dataset.pk, "index": 0}),
        reverse("datasets:inventory", kwargs={"slug": world.project.slug}),
        reverse("datasets:audit", kwargs={"slug": world.project.slug}),
    ]
    seen = _everything(client, pages) + caplog.text
    assert display_name(DOUBTFUL_ROW[0], 0) in seen, "the masked name is what the pages show"
    assert "Zebedee" not in seen and "Quockerwodger" not in seen
