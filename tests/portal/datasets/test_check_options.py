"""The check form: a person chooses more sensitive columns and the optional measures, and sees them in the findings."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
from django.test import Client
from django.urls import reverse

from community_insights.portal.core.exceptions import ApplicationError
from community_insights.portal.core.models import AuditEntry
from community_insights.portal.datasets import services
from community_insights.portal.datasets.models import Dataset, DatasetJob
from tests.portal.access import World

pytestmark = pytest.mark.django_db


def _benefits_csv(rows: int = 400) -> bytes:
    """Age band and ward beside a benefit column: not special category, so only a person can say it is sensitive."""

    rng = np.random.default_rng(11)
    lines = ["age_band,ward,benefit"]
    for _ in range(rows):
        ward = str(rng.choice(["Abbey", "Castle", "Heath"]))
        # One ward's records all claim the same benefit: the group gives it away.
        benefit = "Universal Credit" if ward == "Abbey" else str(rng.choice(["Universal Credit", "Pension Credit"]))
        lines.append(f"{rng.choice(['18-29', '30-44', '45-64'])},{ward},{benefit}")
    return ("\n".join(lines) + "\n").encode("utf-8")


def _client(world: World, persona: str = "data_analyst") -> Client:
    client = Client()
    client.force_login(world.user(persona))
    return client


def test_the_form_offers_the_datasets_columns_and_the_measures_in_plain_words(
    world: World, upload: Callable[..., Dataset]
) -> None:
    dataset = upload(_benefits_csv(), name="benefits.csv")
    detail = _client(world).get(reverse("datasets:dataset_detail", kwargs={"dataset_id": dataset.pk})).content
    url = reverse("datasets:check_options", kwargs={"dataset_id": dataset.pk})
    assert url.encode() in detail
    page = _client(world).get(url).content.decode()
    for column in ("age_band", "ward", "benefit"):
        assert re.search(rf'<input[^>]*type="checkbox"[^>]*name="sensitive"[^>]*value="{column}"', page), column
    assert 'value="entropy-l"' in page and "How evenly the values are spread in each group" in page
    assert 'value="t-closeness"' in page and "How far each group" in page
    assert "govuk-checkboxes" in page


def test_choosing_a_sensitive_column_and_both_measures_runs_the_check_with_them(
    world: World, upload: Callable[..., Dataset], django_capture_on_commit_callbacks: Any
) -> None:
    dataset = upload(_benefits_csv(), name="benefits.csv")
    assert not dataset.check_results.get().report["mosaic"]["measures"]
    url = reverse("datasets:check_options", kwargs={"dataset_id": dataset.pk})
    with django_capture_on_commit_callbacks(execute=True):
        response = _client(world).post(url, {"sensitive": ["benefit"], "measures": ["entropy-l", "t-closeness"]})
    assert response.status_code == 302
    job = DatasetJob.objects.filter(dataset=dataset).order_by("-pk").first()
    assert job is not None and job.options == {"sensitive": ["benefit"], "measures": ["entropy-l", "t-closeness"]}
    assert job.status == DatasetJob.Status.SUCCEEDED
    entry = AuditEntry.objects.filter(action="datasets.check_queue").order_by("-pk").first()
    assert entry is not None and entry.changes["sensitive"] == ["benefit"]
    report = dataset.check_results.order_by("-pk").first().report
    diversity = {d["column"]: d for d in report["mosaic"]["l_diversity"]}
    assert diversity["benefit"]["l_min"] == 1  # the Abbey groups all claim the same benefit
    measures = {m["column"]: m for m in report["mosaic"]["measures"]}
    assert measures["benefit"]["entropy_l"] is not None and measures["benefit"]["t_closeness"] is not None
    page = _client(world).get(reverse("datasets:findings", kwargs={"dataset_id": dataset.pk})).content.decode()
    assert "these sensitive columns too: benefit" in page
    assert "how evenly the values are spread in each group (entropy l-diversity)" in page
    assert "Groups with one value" in page and ">benefit</th>" in page
    assert "t-closeness (largest)" in page


def test_an_unknown_column_or_measure_is_refused_on_the_form(world: World, upload: Callable[..., Dataset]) -> None:
    dataset = upload(_benefits_csv(), name="benefits.csv")
    url = reverse("datasets:check_options", kwargs={"dataset_id": dataset.pk})
    response = _client(world).post(url, {"sensitive": ["nhs_number"]})
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    with pytest.raises(ApplicationError, match="not a column of this dataset"):
        services.dataset_recheck(actor=world.user("data_analyst"), dataset=dataset, sensitive=["nhs_number"])
    with pytest.raises(ApplicationError, match="Choose only the measures listed"):
        services.dataset_recheck(actor=world.user("data_analyst"), dataset=dataset, measures=["k-map"])
    assert DatasetJob.objects.filter(dataset=dataset).count() == 1


def test_someone_outside_the_council_team_cannot_open_the_form(world: World, upload: Callable[..., Dataset]) -> None:
    dataset = upload(_benefits_csv(), name="benefits.csv")
    url = reverse("datasets:check_options", kwargs={"dataset_id": dataset.pk})
    assert _client(world, "facilitator").get(url).status_code == 403  # a project member outside the council team
