"""Dataset files in Azure Blob Storage (Azurite): upload → check → safe copy, sealed on the wire.

Why: a portal on several machines keeps its files in object storage, which
the council's cloud provider can read. These tests walk a real dataset through
the portal with ``INSIGHTS_FILE_STORAGE=azure`` and then look at the blobs
themselves: the raw upload and the safe copy are there, sealed, and no raw
value, no header and no plaintext row reached the emulator; nothing is left
in the local working folder.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import environ
import pytest
from azure.storage.blob import BlobServiceClient, ContainerClient
from django.core.files.storage import storages

from community_insights.portal.config.settings.object_storage import file_storage
from community_insights.portal.datasets import storage
from community_insights.portal.datasets.encryption import MAGIC
from community_insights.portal.datasets.models import DataSource, RemedyPlanVersion
from tests.portal.access import World
from tests.portal.datasets.azurite import azurite  # noqa: F401 - the fixture that starts the emulator
from tests.portal.datasets.conftest import RAW_VALUES
from tests.portal.datasets.journey import run_journey

pytestmark = pytest.mark.slow


@pytest.fixture
def container(
    azurite: str,  # noqa: F811
    settings: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> Iterator[ContainerClient]:
    """A fresh private container, and the portal's dataset storage pointed at it through its settings."""
    name = f"insights-{secrets.token_hex(6)}"
    client = BlobServiceClient.from_connection_string(azurite).create_container(name)
    monkeypatch.setenv("INSIGHTS_FILE_STORAGE", "azure")
    monkeypatch.setenv("INSIGHTS_AZURE_CONNECTION_STRING", azurite)
    monkeypatch.setenv("INSIGHTS_AZURE_CONTAINER", name)
    settings.STORAGES = {**settings.STORAGES, "datasets": file_storage(environ.Env())}
    try:
        yield client
    finally:
        client.delete_container()


def blobs(container: ContainerClient) -> dict[str, bytes]:
    return {b.name: container.download_blob(b.name).readall() for b in container.list_blobs()}


def test_settings_choose_azure_blob_storage(container: ContainerClient) -> None:
    from storages.backends.azure_storage import AzureStorage

    chosen = storage.dataset_storage()
    assert isinstance(chosen, AzureStorage)
    assert chosen.azure_container == container.container_name
    assert chosen is storages["datasets"]


def test_upload_check_safe_copy_keeps_only_sealed_blobs(
    world: World,
    source: DataSource,
    messy_csv: bytes,
    container: ContainerClient,
    dataset_folders: dict[str, Path],
    django_capture_on_commit_callbacks: Any,
) -> None:
    journey = run_journey(world, source, messy_csv, django_capture_on_commit_callbacks)
    dataset = journey.dataset
    safe_copy = RemedyPlanVersion.objects.get(dataset=dataset, number=2).safe_copy

    stored = blobs(container)
    assert set(stored) == {dataset.stored_name, safe_copy.stored_name}
    assert dataset.stored_name.startswith("raw/")
    for name, content in stored.items():
        assert content.startswith(MAGIC), f"{name} is not sealed"
        assert b"case_id" not in content and b"food bank" not in content.lower(), f"{name} holds plaintext"
        for value in RAW_VALUES:
            assert value.encode() not in content, f"{name} holds {value!r}"
    # What came back through the storage is what was sealed: the download is the safe copy, not the upload.
    assert journey.downloads["safe_copy"].startswith(b"case_id")
    assert not any(value.encode() in journey.downloads["safe_copy"] for value in ("Ayesha Begum", "9434765919"))
    # The raw file round-trips through Blob Storage unchanged.
    assert b"".join(storage.iter_decrypted(dataset.stored_name)) == messy_csv
    # Nothing was written to the local folder store, and the engine's working copies are gone.
    assert not dataset_folders["store"].exists() or not any(dataset_folders["store"].rglob("*.enc"))
    assert not any(p.is_file() for p in dataset_folders["work"].rglob("*"))


def test_deleting_a_stored_file_removes_its_blob(container: ContainerClient, tmp_path: Path, settings: Any) -> None:
    settings.INSIGHTS_DATASETS_WORK_DIR = str(tmp_path / "work")
    settings.INSIGHTS_DATASET_KEY = "cd" * 32
    plain = tmp_path / "table.csv"
    plain.write_bytes(b"ward,count\nCastle,12\n")
    name, size = storage.store_encrypted(plain, "raw/1/table.enc")
    assert set(blobs(container)) == {name} and size > len(b"ward,count\nCastle,12\n")
    storage.delete_stored(name)
    storage.delete_stored(name)  # twice is harmless
    assert blobs(container) == {}


def test_an_output_version_is_kept_sealed_in_blob_storage_and_downloads_whole(
    world: World, container: ContainerClient, dataset_folders: dict[str, Path], django_capture_on_commit_callbacks: Any
) -> None:
    from community_insights.portal.outputs import services as outputs
    from community_insights.portal.outputs.models import OutputFile
    from tests.portal.outputs.conftest import make_approved_copy

    copy = make_approved_copy(world)
    analyst, officer = world.user("data_analyst"), world.user("information_rights")
    output = outputs.output_create(actor=analyst, safe_copy=copy, kind="chart", title="Visits by ward")
    settings = {"by": ["ward", "household_size"], "statistic": "count", "chart_kind": "bar", "preset": "ons"}
    with django_capture_on_commit_callbacks(execute=True):
        version = outputs.version_build(actor=analyst, output=output, settings=settings, narrative="", caveats="")
    files = list(OutputFile.objects.filter(version=version))
    assert files and all(f.stored_name and not bytes(f.sealed) for f in files)  # nothing kept in the database

    stored = blobs(container)
    assert {f.stored_name for f in files} <= set(stored)
    assert all(stored[f.stored_name].startswith(MAGIC) for f in files)
    assert all(b"Castle" not in stored[f.stored_name] for f in files)
    version.refresh_from_db()
    outputs.version_sign_off(actor=officer, version=version, approve=True, comment="Checked the hidden cells.")
    version.refresh_from_db()
    data = outputs.version_download(actor=world.user("delivery_lead"), version=version, fmt="csv")[0]
    assert data.startswith(b"ward,household_size,count") and b"Castle" in data
