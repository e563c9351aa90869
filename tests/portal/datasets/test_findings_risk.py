"""The findings page says what share of the file is at risk and which column to generalise first."""

from __future__ import annotations

import re
from collections.abc import Callable

import numpy as np
import pytest
from django.test import Client
from django.urls import reverse

from community_insights.portal.datasets.models import Dataset
from tests.portal.access import World

pytestmark = pytest.mark.django_db


def _people_csv(rows: int = 600) -> bytes:
    """Exact ages beside a ward and gender: banding the ages takes most records out of small groups."""

    rng = np.random.default_rng(3)
    lines = ["age,gender,ward"]
    for _ in range(rows):
        age = int(rng.integers(18, 90))
        lines.append(f"{age},{rng.choice(['Female', 'Male'])},{rng.choice(['Abbey', 'Castle', 'Heath'])}")
    return ("\n".join(lines) + "\n").encode("utf-8")


def test_the_findings_page_shows_what_to_generalise_first_with_shares(
    world: World, upload: Callable[..., Dataset]
) -> None:
    dataset = upload(_people_csv(), name="people.csv")
    report = dataset.check_results.get().report
    mosaic = report["mosaic"]
    assert mosaic["records"] == 600
    first = mosaic["generalise_first"][0]
    assert first["step"] == "age in 10-year bands"
    assert first["records_below_after"] < first["records_below_before"]
    client = Client()
    client.force_login(world.user("data_analyst"))
    page = client.get(reverse("datasets:findings", kwargs={"dataset_id": dataset.pk})).content.decode()
    assert "What to generalise first" in page
    before, after = first["records_below_before"], first["records_below_after"]
    row = re.search(r"Age in 10-year bands</th>(.*?)</tr>", page, re.S)
    assert row is not None
    assert f"{before:,} ({before / 600:.0%})" in row.group(1)
    assert f"{after:,} ({after / 600:.0%})" in row.group(1)
    assert f"Records in groups smaller than 10: {mosaic['records_below_threshold']:,} (" in page
    assert "generalise age first; age in 10-year bands: records in groups under 10 fall from" in page


def test_a_report_stored_before_shares_still_shows_its_counts(world: World, upload: Callable[..., Dataset]) -> None:
    dataset = upload(_people_csv(), name="people.csv")
    result = dataset.check_results.get()
    for key in ("records", "generalise_first", "measures"):
        result.report["mosaic"].pop(key)
    result.report["small_areas"].pop("records")
    result.save()
    client = Client()
    client.force_login(world.user("data_analyst"))
    response = client.get(reverse("datasets:findings", kwargs={"dataset_id": dataset.pk}))
    assert response.status_code == 200
    page = response.content.decode()
    assert "What to generalise first" not in page
    below = result.report["mosaic"]["records_below_threshold"]
    assert f"Records in groups smaller than 10: {below:,}." in page
