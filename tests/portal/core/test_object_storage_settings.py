"""``INSIGHTS_FILE_STORAGE`` chooses where sealed files go; a wrong value stops the portal at start."""

from __future__ import annotations

import environ
import pytest
from django.core.exceptions import ImproperlyConfigured

from community_insights.portal.config.settings.object_storage import file_storage


def _env(monkeypatch: pytest.MonkeyPatch, **values: str) -> environ.Env:
    for name in (
        "INSIGHTS_FILE_STORAGE", "INSIGHTS_AZURE_CONNECTION_STRING", "INSIGHTS_AZURE_ACCOUNT_NAME",
        "INSIGHTS_S3_BUCKET", "INSIGHTS_S3_ENDPOINT_URL", "INSIGHTS_S3_REGION",
    ):  # fmt: skip
        monkeypatch.delenv(name, raising=False)
    for name, value in values.items():
        monkeypatch.setenv(name, value)
    return environ.Env()


def test_nothing_set_keeps_files_in_the_local_folder(monkeypatch: pytest.MonkeyPatch) -> None:
    assert file_storage(_env(monkeypatch)) is None
    assert file_storage(_env(monkeypatch, INSIGHTS_FILE_STORAGE="local")) is None


def test_azure_by_account_name_and_key(monkeypatch: pytest.MonkeyPatch) -> None:
    chosen = file_storage(
        _env(
            monkeypatch,
            INSIGHTS_FILE_STORAGE="Azure",
            INSIGHTS_AZURE_ACCOUNT_NAME="council",
            INSIGHTS_AZURE_ACCOUNT_KEY="k",
        )
    )
    assert chosen is not None
    assert chosen["BACKEND"] == "storages.backends.azure_storage.AzureStorage"
    assert chosen["OPTIONS"]["account_name"] == "council" and chosen["OPTIONS"]["azure_container"] == "insights-files"
    assert chosen["OPTIONS"]["overwrite_files"] is False


def test_s3_bucket_is_private_and_never_overwritten(monkeypatch: pytest.MonkeyPatch) -> None:
    chosen = file_storage(
        _env(
            monkeypatch, INSIGHTS_FILE_STORAGE="s3", INSIGHTS_S3_BUCKET="b", INSIGHTS_S3_ENDPOINT_URL="https://s3.test"
        )
    )
    assert chosen is not None
    assert chosen["BACKEND"] == "storages.backends.s3.S3Storage"
    assert chosen["OPTIONS"] == {
        "bucket_name": "b",
        "file_overwrite": False,
        "default_acl": "private",
        "querystring_auth": True,
        "endpoint_url": "https://s3.test",
    }


def test_an_unknown_storage_or_a_missing_bucket_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(ImproperlyConfigured, match="must be one of local, azure, s3"):
        file_storage(_env(monkeypatch, INSIGHTS_FILE_STORAGE="dropbox"))
    with pytest.raises(ImproperlyConfigured):
        file_storage(_env(monkeypatch, INSIGHTS_FILE_STORAGE="s3"))
