"""Every bad upload gets one clear message and leaves nothing behind: no record, no stored file, no temp file."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from community_insights.portal.core.exceptions import ApplicationError, NotPermitted
from community_insights.portal.core.models import AuditEntry
from community_insights.portal.datasets import services
from community_insights.portal.datasets.encryption import MAGIC
from community_insights.portal.datasets.models import Dataset, DatasetJob, DataSource
from tests.portal.access import World
from tests.portal.datasets.conftest import RAW_VALUES, stored_files


def zip_bomb() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/worksheets/sheet1.xml", b"\0" * (60 * 1024 * 1024))
    return buf.getvalue()


BAD_UPLOADS = [
    pytest.param("report.pdf", b"%PDF-1.4 not a table", "must be a CSV, TSV, Excel", id="wrong-type"),
    pytest.param("empty.csv", b"", "is empty", id="empty"),
    pytest.param(
        "bad.csv",
        b"name,notes\n" + b"abc\x81\x8d\x8f\x90\x9d\x81\x8d,x\x90\x9d\x81\n" * 50,
        "not in a text encoding that can be read",
        id="bad-encoding",
    ),
    pytest.param("junk.csv", bytes(range(256)) * 20, "binary data, not a table", id="binary-junk"),
    pytest.param("bomb.xlsx", None, "looks like a zip bomb", id="zip-bomb"),
    pytest.param(
        "wide.csv",
        (",".join(f"c{i}" for i in range(30)) + "\n" + ",".join("1" * 30) + "\n").encode(),
        "has 30 columns",
        id="too-many-columns",
    ),
    pytest.param("big.csv", b"a,b\n" + b"1,2\n" * 30_000, "must be smaller than", id="too-large"),
]


def assert_nothing_behind(folders: dict[str, Path]) -> None:
    assert Dataset.objects.count() == 0
    assert DatasetJob.objects.count() == 0
    assert stored_files(folders["store"]) == []
    assert stored_files(folders["work"]) == []


@pytest.mark.parametrize(("name", "content", "message"), BAD_UPLOADS)
@pytest.mark.django_db
def test_bad_upload_is_refused_with_its_message_and_leaves_nothing(
    world: World,
    source: DataSource,
    settings: Any,
    dataset_folders: dict[str, Path],
    name: str,
    content: bytes | None,
    message: str,
) -> None:
    settings.INSIGHTS_UPLOAD_MAX_COLUMNS = 20
    settings.INSIGHTS_UPLOAD_MAX_BYTES = 100_000
    if name == "bomb.xlsx":
        content = zip_bomb()
        settings.INSIGHTS_UPLOAD_MAX_BYTES = 10 * 1024 * 1024
    file = SimpleUploadedFile(name, content or b"")
    with pytest.raises(ApplicationError) as caught:
        services.dataset_upload(actor=world.user("data_analyst"), source=source, title="", uploaded_file=file)
    assert message in caught.value.message
    assert_nothing_behind(dataset_folders)
    refused = AuditEntry.objects.get(action="datasets.dataset_upload_refused")
    assert refused.changes["reason"] in {"wrong_type", "empty", "unreadable", "too_many_columns", "too_large"}


@pytest.mark.parametrize(("name", "content", "message"), BAD_UPLOADS)
@pytest.mark.django_db
def test_bad_upload_page_shows_the_message_against_the_file(
    world: World,
    source: DataSource,
    settings: Any,
    client_for: Any,
    dataset_folders: dict[str, Path],
    name: str,
    content: bytes | None,
    message: str,
) -> None:
    settings.INSIGHTS_UPLOAD_MAX_COLUMNS = 20
    settings.INSIGHTS_UPLOAD_MAX_BYTES = 100_000
    if name == "bomb.xlsx":
        content = zip_bomb()
        settings.INSIGHTS_UPLOAD_MAX_BYTES = 10 * 1024 * 1024
    client = client_for("data_analyst")
    url = reverse("datasets:upload", kwargs={"source_id": source.pk})
    response = client.post(url, {"title": "", "file": SimpleUploadedFile(name, content or b"")})
    assert response.status_code == 200
    html = response.content.decode()
    assert "There is a problem" in html
    assert message.replace("'", "&#x27;") in html
    assert 'href="#id_file"' in html
    assert_nothing_behind(dataset_folders)


@pytest.mark.django_db
def test_good_upload_is_encrypted_at_rest(world: World, upload: Any, dataset_folders: dict[str, Path]) -> None:
    dataset = upload()
    files = stored_files(dataset_folders["store"])
    assert len(files) == 1
    data = files[0].read_bytes()
    assert data.startswith(MAGIC)
    for value in RAW_VALUES:
        assert value.encode() not in data
    assert b"full_name" not in data
    assert files[0].stat().st_mode & 0o077 == 0
    assert stored_files(dataset_folders["work"]) == []
    assert dataset.format == "csv" and dataset.column_count == 10


@pytest.mark.django_db
def test_only_members_of_the_owning_organisation_on_the_team_may_upload(world: World, source: DataSource) -> None:
    file = SimpleUploadedFile("a.csv", b"a,b\n1,2\n")
    for persona in ("vcs_member_lead", "outsider", "staff", "facilitator"):
        with pytest.raises(NotPermitted):
            services.dataset_upload(actor=world.user(persona), source=source, title="", uploaded_file=file)
    assert Dataset.objects.count() == 0


@pytest.mark.django_db
def test_stored_files_are_never_given_a_url(world: World, upload: Any) -> None:
    from community_insights.portal.datasets.storage import dataset_storage

    dataset = upload()
    with pytest.raises(NotImplementedError):
        dataset_storage().url(dataset.stored_name)
