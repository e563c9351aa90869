"""An upload handler that encrypts a dataset as it arrives, so no plaintext copy of it waits on disk.

Why: Django's default handlers keep a small upload in memory and write a
large one (over 5 MB) in plaintext to the system's temporary folder, where it
stays if the process is killed mid-request, outside every sweep. This handler
seals each piece with the dataset key the moment it arrives, into a private
folder of the working directory (0700, named after this process so a sweep
removes it at once if the process dies), and hands the view an uploaded file
whose ``chunks()`` decrypt on the fly. The plaintext exists only where the
engine must read it: the per-job private copy, removed in ``finally``.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any, BinaryIO, cast

from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler

from community_insights.portal.datasets import storage
from community_insights.portal.datasets.encryption import StreamSealer, decrypt_stream


class SealedUpload(UploadedFile):
    """An uploaded file kept encrypted on disk; reading it (``chunks()``) decrypts piece by piece."""

    def __init__(self, folder: Path, sealed: Path, *, name: str, size: int, content_type: str, sha256: str) -> None:
        super().__init__(file=None, name=name, content_type=content_type, size=size, charset=None)
        self.folder = folder
        self.sealed_path = sealed
        self.sha256 = sha256

    def chunks(self, chunk_size: int | None = None) -> Iterator[bytes]:
        with open(self.sealed_path, "rb") as handle:
            yield from decrypt_stream(cast(BinaryIO, handle))

    def multiple_chunks(self, chunk_size: int | None = None) -> bool:
        return True

    def read(self, *args: Any) -> bytes:
        raise NotImplementedError("Read an encrypted upload with chunks(), never whole.")

    def close(self) -> None:
        """Remove the encrypted copy and its folder (Django calls this when the request ends)."""
        shutil.rmtree(self.folder, ignore_errors=True)


class EncryptedUploadHandler(FileUploadHandler):
    """Seals every piece of an uploaded file as it arrives; must be the last handler for files."""

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        super().new_file(*args, **kwargs)
        self._discard()
        self.folder = storage.work_dir() / storage.owned_name("upload")
        self.folder.mkdir(mode=0o700)
        self.sealed = self.folder / "upload.enc"
        fd = os.open(self.sealed, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        self.handle: IO[bytes] | None = os.fdopen(fd, "wb")
        self.sealer = StreamSealer()
        self.digest = hashlib.sha256()
        self.handle.write(self.sealer.header)

    def receive_data_chunk(self, raw_data: bytes, start: int) -> None:
        assert self.handle is not None
        self.digest.update(raw_data)
        self.handle.write(self.sealer.feed(raw_data))
        return None  # no later handler gets the plaintext

    def file_complete(self, file_size: int) -> SealedUpload | None:
        if self.handle is None:
            return None
        self.handle.write(self.sealer.finish())
        self.handle.close()
        self.handle = None
        return SealedUpload(
            self.folder,
            self.sealed,
            name=self.file_name or "dataset",
            size=file_size,
            content_type=self.content_type or "application/octet-stream",
            sha256=self.digest.hexdigest(),
        )

    def upload_interrupted(self) -> None:
        self._discard()

    def upload_complete(self) -> None:
        """Called after a StopUpload too: a file that never completed leaves nothing behind."""
        if getattr(self, "handle", None) is not None:
            self._discard()

    def _discard(self) -> None:
        handle = getattr(self, "handle", None)
        if handle is not None:
            with contextlib.suppress(OSError):
                handle.close()
            self.handle = None
        folder = getattr(self, "folder", None)
        if folder is not None:
            shutil.rmtree(folder, ignore_errors=True)
