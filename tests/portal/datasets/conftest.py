"""Fixtures for the datasets area: private folders for encrypted files, a data source, a messy CSV."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from community_insights.portal.datasets import services
from community_insights.portal.datasets.models import Dataset, DataSource
from tests.portal.access import World
from tests.portal.governance.factories import signed_agreement

TEST_KEY = "ab" * 32

# Raw values in the messy CSV that must never appear outside the encrypted file.
RAW_NAMES = ["Ayesha Begum", "Siobhan O'Neill", "Kwame Mensah", "Gareth Llewellyn", "Priya Sharma", "Tomasz Nowak"]
RAW_NHS = ["9434765919", "4010232137", "9990001111"]
RAW_PHONES = ["07911 123456", "07400 123456"]
RAW_EMAILS = ["ayesha.begum@example.com", "kwame.m@example.net"]


def messy_csv_text(rows: int = 60) -> str:
    """A small council export: names, NHS numbers, postcodes, dates of birth, notes with names in them."""
    lines = ["case_id,full_name,date_of_birth,postcode,nhs_number,phone,email,ward,ethnicity,notes"]
    postcodes = ["NW1 6XE", "SW1A 1AA", "E1 6AN", "M1 1AE", "LS1 4AP", "B1 1AA"]
    wards = ["Castle", "Abbey", "Riverside"]
    ethnicities = ["White British", "Bangladeshi", "Black African", "Polish", "Indian", "Irish"]
    for i in range(rows):
        name = RAW_NAMES[i % len(RAW_NAMES)]
        first = name.split()[0]
        nhs = RAW_NHS[i % len(RAW_NHS)]
        phone = RAW_PHONES[i % len(RAW_PHONES)]
        email = RAW_EMAILS[i % len(RAW_EMAILS)]
        dob = f"{1950 + i % 50:04d}-{1 + i % 12:02d}-{1 + i % 28:02d}"
        note = f"Spoke to {first} about the food bank; her aunt Grace Smith may need support. Call {phone}."
        lines.append(
            f"C{10000 + i},{name},{dob},{postcodes[i % len(postcodes)]},{nhs},{phone},{email},"
            f'{wards[i % 3]},{ethnicities[i % len(ethnicities)]},"{note}"'
        )
    return "\n".join(lines) + "\n"


RAW_VALUES = [*RAW_NAMES, *RAW_NHS, *RAW_PHONES, *RAW_EMAILS, "Grace Smith"]


@pytest.fixture(autouse=True)
def dataset_folders(settings: Any, tmp_path: Path) -> Iterator[dict[str, Path]]:
    folders = {"store": tmp_path / "store", "work": tmp_path / "work"}
    settings.INSIGHTS_DATASETS_DIR = str(folders["store"])
    settings.INSIGHTS_DATASETS_WORK_DIR = str(folders["work"])
    settings.INSIGHTS_DATASET_KEY = TEST_KEY
    yield folders


@pytest.fixture
def source(world: World) -> DataSource:
    """A council source with its sharing agreement signed by both organisations (in the governance area)."""
    source = DataSource.objects.create(
        project=world.project,
        name="Food bank referrals",
        category=DataSource.Category.INTERNAL_COUNCIL,
        owner_organisation=world.organisations["council"],
        legal_basis=DataSource.LegalBasis.PUBLIC_TASK,
        retention_until=dt.date.today() + dt.timedelta(days=365),
    )
    signed_agreement(world, source)
    return source


@pytest.fixture
def messy_csv() -> bytes:
    return messy_csv_text().encode("utf-8")


@pytest.fixture
def upload(
    world: World, source: DataSource, messy_csv: bytes, django_capture_on_commit_callbacks: Any
) -> Callable[..., Dataset]:
    """Upload a file as a persona (the data analyst by default) and run the check it queues."""

    def _upload(content: bytes | None = None, name: str = "referrals.csv", persona: str = "data_analyst") -> Dataset:
        file = SimpleUploadedFile(name, messy_csv if content is None else content, content_type="text/csv")
        with django_capture_on_commit_callbacks(execute=True):
            dataset = services.dataset_upload(
                actor=world.user(persona), source=source, title="Referrals", uploaded_file=file
            )
        dataset.refresh_from_db()
        return dataset

    return _upload


def stored_files(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.is_file()] if folder.exists() else []
