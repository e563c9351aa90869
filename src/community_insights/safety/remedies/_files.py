"""Small file helpers: atomic writes and hashing.

A half-written plan, key or report is worse than none (someone may share it),
so every file this package writes goes to a temporary file in the same folder
first and is renamed into place only when complete.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import tempfile
import zipfile
from pathlib import Path


def atomic_write_bytes(path: Path, data: bytes, *, mode: int | None = None) -> Path:
    """Write *data* to *path* via a temporary sibling file and ``os.replace``."""

    path = Path(path)
    folder = path.parent if str(path.parent) else Path(".")
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if mode is not None:
            os.chmod(tmp, mode)
        else:
            os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def atomic_write_text(path: Path, text: str) -> Path:
    """Write UTF-8 *text* atomically."""

    return atomic_write_bytes(path, text.encode("utf-8"))


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


def sha256_file(path: Path, *, chunk: int = 1 << 20) -> str:
    """The sha256 of a file's bytes, read in chunks so memory stays flat."""

    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while block := handle.read(chunk):
            digest.update(block)
    return digest.hexdigest()


def same_file(a: Path, b: Path) -> bool:
    """Whether *a* and *b* name the same file (works before *b* exists)."""

    try:
        if b.exists() and a.exists():
            return os.path.samefile(a, b)
    except OSError:
        pass
    return a.resolve() == b.resolve()


_FIXED_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
_CORE_DATES = re.compile(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:(?:created|modified)>)")


def make_xlsx_reproducible(path: Path, when: str) -> None:
    """Rewrite an XLSX so that it no longer records the moment it was written.

    Spreadsheet writers stamp the time into every zip entry and into the
    document properties, so two runs over the same data would differ. The
    entries are copied one at a time (memory stays flat) with a fixed zip time
    and the properties set to *when* (an ISO date such as the plan's
    reference date), then the file is replaced atomically.
    """

    path = Path(path)
    stamp = f"{when}T00:00:00Z".encode("ascii")
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    try:
        with zipfile.ZipFile(path) as source, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as target:
            for info in source.infolist():
                fixed = zipfile.ZipInfo(info.filename, date_time=_FIXED_ZIP_TIME)
                fixed.compress_type = zipfile.ZIP_DEFLATED
                fixed.external_attr = 0o600 << 16
                if info.filename == "docProps/core.xml":
                    data = _CORE_DATES.sub(rb"\g<1>" + stamp + rb"\g<2>", source.read(info))
                    target.writestr(fixed, data)
                    continue
                with source.open(info) as reader, target.open(fixed, "w", force_zip64=True) as writer:
                    shutil.copyfileobj(reader, writer, 1 << 20)
        os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
