"""Where dataset files live: encrypted, through Django's storage API, never at a public URL.

The storage is ``STORAGES["datasets"]`` when a deployment configures one
(Azure Blob Storage or S3 through django-storages, chosen with
``INSIGHTS_FILE_STORAGE``, see ``config.settings.object_storage``); otherwise a
private folder under the data folder. Either way only ciphertext is stored,
and the storage's ``url()`` is never used: every download goes through a view
that checks permission on each request and streams the decrypted bytes.

The engine reads and writes real files, so a check or a redaction decrypts to
a private working folder (mode 0700, files 0600) and removes the file in a
``finally``; leftovers of a killed worker are swept on retry and by
``insights retention``.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import time
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO, cast

from django.conf import settings
from django.core.files import File
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage, InvalidStorageError, Storage, storages

from community_insights.portal.datasets.encryption import decrypt_stream, encrypt_stream, file_chunks


class PrivateFileSystemStorage(FileSystemStorage):
    """A local folder that refuses to hand out URLs: files leave only through a checked view."""

    def url(self, name: str | None) -> str:
        raise NotImplementedError("Dataset files are never served from a URL.")


def _data_dir() -> Path:
    return Path(getattr(settings, "DATA_DIR", Path.cwd() / "var"))


def dataset_storage() -> Storage:
    """The storage for encrypted dataset files (``STORAGES["datasets"]`` or a private folder)."""
    try:
        return storages["datasets"]
    except InvalidStorageError:
        pass
    location = getattr(settings, "INSIGHTS_DATASETS_DIR", None) or _data_dir() / "datasets"
    Path(location).mkdir(parents=True, exist_ok=True, mode=0o700)
    return PrivateFileSystemStorage(
        location=str(location), base_url=None, file_permissions_mode=0o600, directory_permissions_mode=0o700
    )


def work_dir() -> Path:
    """A private folder for the short-lived plaintext files the engine reads and writes."""
    location = Path(getattr(settings, "INSIGHTS_DATASETS_WORK_DIR", None) or _data_dir() / "datasets-work")
    location.mkdir(parents=True, exist_ok=True, mode=0o700)
    with contextlib.suppress(OSError):
        location.chmod(0o700)
    return location


def owned_name(prefix: str) -> str:
    """``<prefix>-<this process id>-<random>``: the sweep can tell whose leftovers a name holds."""
    return f"{prefix}-{os.getpid()}-{secrets.token_hex(8)}"


def private_temp_path(prefix: str, suffix: str = "") -> Path:
    """A fresh path in the working folder (the file is not created)."""
    safe_suffix = "".join(c for c in suffix.lower() if c.isalnum() or c == ".")[:12]
    return work_dir() / f"{owned_name(prefix)}{safe_suffix}"


def in_object_storage() -> bool:
    """Whether the deployment chose a storage of its own (``STORAGES["datasets"]``: Azure Blob Storage or S3).

    Small sealed files (output versions) stay in the database on one machine,
    where a backup of the database is a backup of them; with object storage
    they go there too, so every file of the portal is in one place.
    """
    return "datasets" in getattr(settings, "STORAGES", {})


def store_sealed(sealed: bytes, name: str) -> str:
    """Save bytes that are already sealed into the dataset storage under ``name``; return the stored name."""
    return dataset_storage().save(name, ContentFile(sealed, name=name))


def read_sealed(stored_name: str) -> bytes:
    """The sealed bytes of a small stored file (still sealed: open them with ``encryption.open_bytes``)."""
    with dataset_storage().open(stored_name, "rb") as handle:
        return bytes(handle.read())


def store_encrypted(plain_path: Path, name: str) -> tuple[str, int]:
    """Encrypt ``plain_path`` into the dataset storage under ``name``; return the stored name and size."""
    sealed = private_temp_path("seal", ".enc")
    try:
        fd = os.open(sealed, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as out, plain_path.open("rb") as source:
            for block in encrypt_stream(file_chunks(source)):
                out.write(block)
        storage = dataset_storage()
        with sealed.open("rb") as handle:
            stored = storage.save(name, File(handle, name=name))
        return stored, sealed.stat().st_size
    finally:
        sealed.unlink(missing_ok=True)


def iter_decrypted(stored_name: str) -> Iterator[bytes]:
    """Stream the plaintext of a stored file (for downloads).

    The file is opened and its header checked before this returns, so a missing
    or foreign file fails before a response starts rather than halfway through it.
    """
    storage = dataset_storage()
    handle = storage.open(stored_name, "rb")
    try:
        chunks = decrypt_stream(cast(BinaryIO, handle))
        first = next(chunks, None)
    except BaseException:
        handle.close()
        raise

    def stream() -> Iterator[bytes]:
        try:
            if first is not None:
                yield first
            yield from chunks
        finally:
            handle.close()

    return stream()


def safe_file_name(name: str, default: str = "dataset") -> str:
    """A file name safe to use on disk and in a download header (no folders, no odd characters)."""
    base = Path(name).name.strip()
    cleaned = "".join(c if c.isalnum() or c in "-_. " else "_" for c in base).strip(" .")
    return cleaned[:150] or default


@contextlib.contextmanager
def private_file(name: str) -> Iterator[Path]:
    """A path called ``name`` in a fresh private folder; file and folder are removed afterwards.

    Keeping the person's own file name means the engine's messages and reports
    speak of "survey.csv", not of a temporary name.
    """
    folder = work_dir() / owned_name("job")
    folder.mkdir(mode=0o700)
    path = folder / safe_file_name(name)
    try:
        yield path
    finally:
        for leftover in folder.iterdir():
            leftover.unlink(missing_ok=True)
        folder.rmdir()


@contextlib.contextmanager
def decrypted_copy(stored_name: str, file_name: str) -> Iterator[Path]:
    """Decrypt a stored file to a private temporary path for the engine; always removed afterwards."""
    with private_file(file_name) as path:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as out:
            for block in iter_decrypted(stored_name):
                out.write(block)
        yield path


def delete_stored(stored_name: str) -> None:
    """Delete a stored file if it is there (deleting twice is harmless)."""
    if stored_name:
        storage = dataset_storage()
        if storage.exists(stored_name):
            storage.delete(stored_name)


def _owner_is_gone(path: Path) -> bool:
    """Whether *path* was made by a process (``<prefix>-<pid>-<random>``) that no longer runs."""
    parts = path.name.split("-")
    if len(parts) < 3 or not parts[1].isdigit():
        return False
    pid = int(parts[1])
    if pid == os.getpid():
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except OSError:
        return False
    return False


def sweep_work_dir(older_than_seconds: int = 6 * 3600) -> int:
    """Remove plaintext leftovers a killed worker could not clean up; return how many files went.

    A leftover goes at once when the process that made it is gone (a killed
    worker: its retry and the start of ``insights serve`` sweep), and in any
    case once it is older than ``older_than_seconds`` (``insights retention``).
    """
    import shutil

    removed = 0
    cutoff = time.time() - older_than_seconds
    for path in work_dir().iterdir():
        with contextlib.suppress(OSError):
            if path.stat().st_mtime >= cutoff and not _owner_is_gone(path):
                continue
            if path.is_dir():
                removed += sum(1 for p in path.rglob("*") if p.is_file())
                shutil.rmtree(path)
            else:
                path.unlink()
                removed += 1
    return removed
