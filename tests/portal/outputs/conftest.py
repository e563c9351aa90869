"""Fixtures for the outputs area: private folders for sealed files, and an approved safe copy of visits."""

from __future__ import annotations

from typing import Any

import pytest

from tests.portal.access import World
from tests.portal.datasets.conftest import dataset_folders  # noqa: F401 - the same private folders
from tests.portal.datasets.url_access import _dataset

#: Visits per ward and household size: Northgate is small, and so are a few (ward, size) groups.
VISITS = {
    "Castle": (30, 14, 4),
    "Abbey": (25, 12, 11),
    "Riverside": (22, 3, 15),
    "Northgate": (2, 3, 1),
    "Millfield": (16, 12, 10),
}
SIZES = ("1 or 2", "3 or 4", "5 or more")


def visits_csv() -> bytes:
    lines = ["ward,household_size,visits"]
    for ward, counts in VISITS.items():
        for size, n in zip(SIZES, counts, strict=True):
            lines += [f"{ward},{size},{1 + i % 4}" for i in range(n)]
    return ("\n".join(lines) + "\n").encode("utf-8")


@pytest.fixture
def approved_copy(world: World) -> Any:
    """An approved safe copy of the project's visits (a sealed CSV with three columns)."""
    return make_approved_copy(world)


def make_approved_copy(world: World) -> Any:
    """Store the visits as an approved safe copy of ``world.project`` (the dataset folders must be set)."""
    from community_insights.portal.datasets import engine, storage

    parts = _dataset(world, plan_status="approved")
    copy, plan = parts["copy"], parts["plan"]
    with storage.private_file("visits.csv") as path:
        path.write_bytes(visits_csv())
        copy.stored_name, _ = storage.store_encrypted(path, "tests/visits-safe.enc")
    copy.file_name = "visits-safe-copy-v1.csv"
    copy.save()
    plan.plan_yaml = engine.plan_from_dict(
        {
            **engine.plan_to_dict(engine.load_plan_text(plan.plan_yaml)),
            "source": {"file_name": "visits.csv", "format": "csv", "columns": ["ward", "household_size", "visits"]},
            "columns": [
                {"column": "ward", "action": "keep", "reason": "Wards are large areas."},
                {"column": "household_size", "action": "keep", "reason": "Bands."},
                {"column": "visits", "action": "keep", "reason": "Counts."},
            ],
        }
    )
    plan.save()
    return copy


@pytest.fixture
def build(django_capture_on_commit_callbacks: Any) -> Any:
    """``build(actor=..., output=..., settings=...)``: queue a version and run its background build."""
    from community_insights.portal.outputs import services

    def _build(**kwargs: Any) -> Any:
        with django_capture_on_commit_callbacks(execute=True):
            version = services.version_build(**kwargs)
        version.refresh_from_db()
        return version

    return _build
