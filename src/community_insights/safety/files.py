"""The engine's file helpers: atomic writes and hashing, in one place.

A half-written safe copy, plan, key, table or report is worse than none
(someone may share it), so every file the engine writes goes to a temporary
file in the same folder first and is renamed into place only when complete.
Readers, reports, remedies, disclosure control and the command line all use
:func:`atomic_path`, so the rule is kept once.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import shutil
import tempfile
import zipfile
from collections.abc import Iterable, Iterator
from pathlib import Path

from community_insights.safety.errors import InputError

PathLike = str | os.PathLike[str]


def refuse_overwrite(target: PathLike, inputs: Iterable[PathLike | None]) -> None:
    """Raise ``InputError`` when *target* names one of *inputs* or is not a regular file.

    Why: ``-o in.csv`` must never replace the dataset with its own report. Two
    names are the same file when they resolve to the same path (symbolic
    links, ``..``) or share a device and inode (hard links, bind mounts), so
    both are compared. Writing over a device or FIFO is refused too: renaming
    onto ``/dev/null`` as an administrator would replace the device itself.
    """

    out = Path(target)
    for source in inputs:
        if source is not None and same_file(Path(source), out):
            raise InputError(
                f"The output {out.name} is also an input; choose another name so the input stays as it is."
            )
    with contextlib.suppress(OSError):
        if out.exists() and not out.is_file():
            raise InputError(f"The output {out.name} exists and is not a regular file; choose another name.")


@contextlib.contextmanager
def atomic_path(path: PathLike, *, mode: int | None = None, inputs: Iterable[PathLike | None] = ()) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; rename it onto ``path`` only if the block succeeds.

    On any error the temporary file is removed and an older file at ``path``
    is left untouched. The new file keeps the private mode ``mkstemp`` gives
    (0600) unless ``mode`` says otherwise. ``path`` may not be one of
    ``inputs`` (see :func:`refuse_overwrite`); nothing is written then.
    """

    target = Path(path)
    refuse_overwrite(target, inputs)
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise InputError(f"The folder for {target.name} does not exist.")
    fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=folder)
    os.close(fd)
    tmp = Path(name)
    try:
        yield tmp
        with open(tmp, "rb") as written:
            os.fsync(written.fileno())
        if mode is not None:
            os.chmod(tmp, mode)
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def atomic_write_bytes(
    path: Path, data: bytes, *, mode: int | None = None, inputs: Iterable[PathLike | None] = ()
) -> Path:
    """Write *data* to *path* atomically (mode from the umask unless given), never over one of *inputs*."""

    path = Path(path)
    with atomic_path(path, mode=0o666 & ~_umask() if mode is None else mode, inputs=inputs) as tmp:
        tmp.write_bytes(data)
    return path


def atomic_write_text(path: Path, text: str, *, inputs: Iterable[PathLike | None] = ()) -> Path:
    """Write UTF-8 *text* atomically (newlines as given), never over one of *inputs*."""

    return atomic_write_bytes(path, text.encode("utf-8"), inputs=inputs)


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
    """Whether *a* and *b* name the same file: same resolved path, or same device and inode.

    Works before *b* exists (then only the resolved paths can be compared).
    """

    try:
        if a.resolve() == b.resolve():
            return True
    except (OSError, RuntimeError):  # a symbolic-link loop: fall through to the inode check
        pass
    try:
        return a.exists() and b.exists() and os.path.samefile(a, b)
    except OSError:
        return False


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
    with (
        atomic_path(path, mode=0o666 & ~_umask()) as tmp,
        zipfile.ZipFile(path) as source,
        zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as target,
    ):
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
