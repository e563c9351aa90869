"""Files the portal writes for itself are readable by its own account only (files 0600, folders 0700).

Why: on a shared server, the data folder holds the SQLite database (every
record and the audit log), emails written to disk (invitation links that sign
someone in), the generated keys and the dataset files. The default umask
makes new files world-readable, so each writer here sets the mode itself
rather than trusting the process's umask.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path
from typing import Any

from django.core.mail.backends.filebased import EmailBackend as FileEmailBackend

PRIVATE_FILE = 0o600
PRIVATE_FOLDER = 0o700


def make_private(path: str | os.PathLike[str]) -> None:
    """Set *path* to 0600 (a file) or 0700 (a folder), if it exists and is ours to change."""
    target = Path(path)
    with contextlib.suppress(OSError):
        target.chmod(PRIVATE_FOLDER if target.is_dir() else PRIVATE_FILE)


class PrivateFileEmailBackend(FileEmailBackend):
    """Django's file email backend, with the folder 0700 and each message file 0600."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        make_private(self.file_path)

    def open(self) -> bool:
        if self.stream is None:
            fd = os.open(self._get_filename(), os.O_WRONLY | os.O_CREAT | os.O_APPEND, PRIVATE_FILE)
            self.stream = os.fdopen(fd, "ab")
            return True
        return False


def private_sqlite(sender: Any, connection: Any, **kwargs: Any) -> None:
    """``connection_created`` receiver: a SQLite database file and its WAL files are made 0600.

    SQLite creates the file with the process's umask; its ``-wal`` and
    ``-shm`` files copy the database file's mode, so fixing the main file on
    every new connection keeps all three private.
    """
    if connection.vendor != "sqlite":
        return
    name = str(connection.settings_dict.get("NAME") or "")
    if not name or name == ":memory:" or name.startswith("file:"):
        return
    for suffix in ("", "-wal", "-shm"):
        make_private(name + suffix)
