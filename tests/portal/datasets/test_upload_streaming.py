"""Uploads: over the limit answers the message (never a 500), and no plaintext waits on disk."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from community_insights.portal.datasets.models import Dataset, DataSource
from community_insights.portal.datasets.storage import iter_decrypted
from tests.portal.access import World

SENTINEL = b"Zebedee Quockerwodger"


def _csv(size: int) -> bytes:
    row = b"Person %d," + SENTINEL + b",Abbey,food\n"
    body = b"id,name,ward,service\n"
    n = 0
    while len(body) < size:
        body += row.replace(b"%d", str(n).encode())
        n += 1
    return body


def _plaintext_files(folder: Path) -> list[Path]:
    found = []
    for path in folder.rglob("*"):
        try:
            if path.is_file() and SENTINEL in path.read_bytes():
                found.append(path)
        except OSError:
            continue
    return found


@pytest.mark.django_db
@pytest.mark.parametrize("size", [150_000, 2_000_000], ids=["a little over", "far over"])
def test_an_upload_over_the_limit_answers_the_message(
    world: World, source: DataSource, settings: Any, client_for: Any, size: int
) -> None:
    settings.INSIGHTS_UPLOAD_MAX_BYTES = 100_000
    client = client_for("data_analyst")
    url = reverse("datasets:upload", kwargs={"source_id": source.pk})
    response = client.post(url, {"title": "Big", "file": SimpleUploadedFile("big.csv", _csv(size))})
    assert response.status_code == 200
    assert "must be smaller than" in response.content.decode()
    assert Dataset.objects.count() == 0


@pytest.mark.django_db
def test_a_large_upload_is_sealed_as_it_arrives(
    world: World,
    source: DataSource,
    settings: Any,
    client_for: Any,
    dataset_folders: dict[str, Path],
    django_capture_on_commit_callbacks: Any,
) -> None:
    """Over Django's 5 MB in-memory limit: nothing in plaintext in the temporary folder or the work folder."""
    settings.INSIGHTS_UPLOAD_MAX_BYTES = 50 * 1024 * 1024
    content = _csv(6 * 1024 * 1024)
    temp = dataset_folders["work"].parent / "django-upload-temp"  # where Django would buffer it
    temp.mkdir()
    settings.FILE_UPLOAD_TEMP_DIR = str(temp)
    client = client_for("data_analyst")
    url = reverse("datasets:upload", kwargs={"source_id": source.pk})
    with django_capture_on_commit_callbacks(execute=False):
        response = client.post(url, {"title": "Big", "file": SimpleUploadedFile("big.csv", content)})
    assert response.status_code == 302, response.content.decode()[:500]
    assert list(temp.iterdir()) == [], "nothing buffered in the temporary folder"
    assert _plaintext_files(dataset_folders["work"]) == []
    assert list(dataset_folders["work"].iterdir()) == [], "the sealed upload is removed when the request ends"
    dataset = Dataset.objects.get()
    assert b"".join(iter_decrypted(dataset.stored_name)) == content
