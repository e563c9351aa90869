"""Files the portal keeps for itself are private (0600 / 0700); deploy checks catch a placeholder key."""

from __future__ import annotations

import os
import secrets
import stat
from pathlib import Path

import pytest
from django.core.mail import send_mail
from django.db.backends.sqlite3.base import DatabaseWrapper

from community_insights.portal.datasets.checks import check_dataset_key


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def open_umask():  # type: ignore[no-untyped-def]
    """The common default umask, under which new files are readable by everyone."""
    previous = os.umask(0o022)
    yield
    os.umask(previous)


def test_emails_written_to_disk_are_private(tmp_path: Path, settings, open_umask: None) -> None:  # type: ignore[no-untyped-def]
    settings.EMAIL_BACKEND = "community_insights.portal.core.private_files.PrivateFileEmailBackend"
    settings.EMAIL_FILE_PATH = tmp_path / "sent-emails"
    send_mail("Your invitation", "Sign in with this link", "from@example.org", ["to@example.org"])
    [message] = list((tmp_path / "sent-emails").iterdir())
    assert _mode(message) == 0o600
    assert _mode(tmp_path / "sent-emails") == 0o700
    assert "Sign in with this link" in message.read_text()


def test_a_sqlite_database_file_is_private(tmp_path: Path, open_umask: None, django_db_blocker) -> None:  # type: ignore[no-untyped-def]
    with django_db_blocker.unblock():
        _open_twice(tmp_path / "insights.sqlite3")


def _open_twice(name: Path) -> None:
    wrapper = DatabaseWrapper({**_sqlite_settings(), "NAME": str(name)}, alias="private-test")
    try:
        with wrapper.cursor() as cursor:
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("create table t (x int)")
    finally:
        wrapper.close()
    assert _mode(name) == 0o600
    wrapper = DatabaseWrapper({**_sqlite_settings(), "NAME": str(name)}, alias="private-test")
    try:
        with wrapper.cursor() as cursor:
            cursor.execute("insert into t values (1)")
        for extra in (Path(f"{name}-wal"), Path(f"{name}-shm")):
            if extra.exists():
                assert _mode(extra) == 0o600
    finally:
        wrapper.close()


def _sqlite_settings() -> dict[str, object]:
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "OPTIONS": {},
        "TIME_ZONE": None,
        "CONN_MAX_AGE": 0,
        "CONN_HEALTH_CHECKS": False,
        "AUTOCOMMIT": True,
        "ATOMIC_REQUESTS": False,
        "TEST": {},
    }


@pytest.mark.parametrize(
    ("key", "flagged"),
    [
        ("change-me-to-64-hex-digits", True),
        ("00" * 32, True),
        ("too-short", True),
        (None, True),
        pytest.param(secrets.token_hex(32), False, id="a-fresh-random-key"),
    ],
)
def test_deploy_check_flags_a_placeholder_dataset_key(settings, monkeypatch, key: str | None, flagged: bool) -> None:  # type: ignore[no-untyped-def]
    settings.INSIGHTS_DATASET_KEY = key
    monkeypatch.delenv("INSIGHTS_DATASET_KEY", raising=False)
    messages = check_dataset_key()
    assert bool(messages) is flagged
    if flagged:
        assert messages[0].id == "insights.E001"
        assert key is None or key not in messages[0].msg, "the key itself is never printed"
