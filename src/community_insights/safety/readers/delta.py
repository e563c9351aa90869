"""Delta tables: a safe copy written as one, and a Delta table read back batch by batch.

Why: Databricks, Synapse and Fabric keep their tables as Delta, and a safe copy
they cannot register as a table is one more step for their engineers. A Delta
table is a folder of Parquet files and a ``_delta_log`` that lists them, so the
copy is written as the Parquet safe copy is (the same writer, batch by batch,
in input order) into a hidden folder beside the target; ``deltalake`` (delta-rs,
no Java) then writes the log's first commit from the files' footers, and the
folder is renamed into place. Writing through ``deltalake``'s own writer was
tried and left: it writes the batches in parallel, so the rows of the copy
would not be in the input's order, and the copy could not be compared row by
row nor be the same bytes twice.

``deltalake`` is an optional package (the ``delta`` and ``spark`` extras):
without it a Delta table is refused in one sentence before any work.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import polars as pl

from community_insights.safety.errors import InputError
from community_insights.safety.files import same_file

__all__ = [
    "commit_log",
    "delta_digest",
    "is_delta_table",
    "iter_delta",
    "open_delta_columns",
    "refuse_delta_target",
    "require_deltalake",
    "write_delta",
]

#: The one data file of a Delta safe copy written on one machine (a fixed name, so the folder is the same twice).
PART_NAME = "part-00000.parquet"
LOG = "_delta_log"
INSTALL = "install community-insights with the delta extra (pip install 'community-insights[delta]')"


def require_deltalake(name: str) -> Any:
    """The ``deltalake`` module, or the sentence that says how to install it."""

    try:
        import deltalake
    except ImportError as exc:
        raise InputError(f"{name} is a Delta table, which needs the deltalake package: {INSTALL}.") from exc
    return deltalake


def is_delta_table(path: Path) -> bool:
    """True for a folder holding a Delta log (what every Delta reader looks for)."""

    return path.is_dir() and (path / LOG).is_dir()


def refuse_delta_target(target: Path, inputs: Iterable[str | os.PathLike[str] | None]) -> None:
    """Refuse, before any work, a Delta copy that would replace anything or that cannot be written.

    Why never replaced: a table registered over the folder would silently lose
    its history, and readers of the old table would find its files gone.
    """

    for source in inputs:  # as for a file (files.refuse_overwrite), said before "exists"
        if source is not None and same_file(Path(source), target):
            raise InputError(
                f"The output {target.name} is also an input; choose another name so the input stays as it is."
            )
    if target.exists() or target.is_symlink():
        raise InputError(
            f"The output {target.name} exists; a Delta safe copy is always a new table, so choose another name."
        )
    require_deltalake(target.name)


def write_delta(
    batches: Iterable[pl.DataFrame], target: Path, *, inputs: Iterable[str | os.PathLike[str] | None] = ()
) -> None:
    """Write *batches* as a new Delta table at *target*: whole, or nothing at all.

    The Parquet file is written batch by batch into a hidden folder beside
    the target (mode 0700, so the copy is private while it is written and
    after), the log is committed, and the folder renamed into place. On any
    failure the hidden folder is removed and nothing is left at *target*.
    """

    from community_insights.safety.readers.writers import write_parquet

    refuse_delta_target(target, inputs)
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise InputError(f"The folder for {target.name} does not exist.")
    temporary = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".writing", dir=folder))
    try:
        fd = os.open(temporary / PART_NAME, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as handle:
            # Delta has no column type for "nothing yet": a column empty so far is text, as a CSV reads it.
            write_parquet((b.with_columns(pl.col(pl.Null).cast(pl.String)) for b in batches), handle)
        commit_log(str(temporary))
        try:
            os.rename(temporary, target)  # refused by the system if a folder with files appeared there meanwhile
        except OSError as exc:
            raise InputError(f"{target.name} could not be written; check that its folder can be written.") from exc
    except BaseException:
        shutil.rmtree(temporary, ignore_errors=True)
        raise


def commit_log(folder: str) -> None:
    """Write the first commit of a Delta log for the Parquet files in *folder* (table version 0)."""

    deltalake = require_deltalake(folder.rstrip("/").rpartition("/")[2])
    deltalake.convert_to_deltalake(folder)


def _dataset(path: Path) -> Any:
    """The table's files as one Arrow dataset, in the order of their names.

    Why that order: the log lists files in no particular order, and both the
    copy written here (one file) and Spark's parts (numbered in the order of the
    rows) read back in the input's order when read by name.
    """

    import pyarrow.dataset as ds

    deltalake = require_deltalake(path.name)
    try:
        whole = deltalake.DeltaTable(str(path)).to_pyarrow_dataset()
    except Exception as exc:  # deltalake raises several error types
        raise InputError(f"The Delta table {path.name} is damaged or uses features that cannot be read.") from exc
    fragments = sorted(whole.get_fragments(), key=lambda f: f.path.rpartition("/")[2])
    return ds.FileSystemDataset(fragments, whole.schema, whole.format, whole.filesystem)


def open_delta_columns(path: Path) -> tuple[list[str], int]:
    """A Delta table's column names and row count, read from its log and its files' footers."""

    dataset = _dataset(path)
    columns = list(dataset.schema.names)
    if not columns:
        raise InputError(f"The Delta table {path.name} has no columns.")
    return columns, int(dataset.count_rows())


def iter_delta(path: Path, batch_rows: int) -> Iterator[pl.DataFrame]:
    """The table's rows, at most *batch_rows* at a time, never the whole table in memory."""

    from community_insights.safety.readers.cells import as_text_where_needed

    try:
        # One batch read ahead, not pyarrow's default sixteen: memory stays that of a Parquet file read.
        for batch in _dataset(path).to_batches(batch_size=batch_rows, batch_readahead=1, fragment_readahead=1):
            frame = pl.from_arrow(batch)
            assert isinstance(frame, pl.DataFrame)
            if frame.height:
                yield as_text_where_needed(frame)
    except (OSError, ValueError) as exc:  # pyarrow's errors, as for a Parquet file (table.py)
        raise InputError(f"The Delta table {path.name} is damaged and cannot be read.") from exc


def delta_digest(path: Path) -> str:
    """One SHA-256 for a table's data: of each data file's SHA-256, one a line, in name order.

    The files are those of the table's current version (a folder may keep files
    a later version removed). For a copy written here or on Spark they are the
    ``part-*.parquet`` files, and the rule is the one for a Parquet folder written
    by Spark (``spark_commit.parquet_digest``); the log is left out, as it holds
    the time it was written. Repeat it with
    ``sha256sum part-*.parquet | cut -d' ' -f1 | sha256sum``.
    """

    lines = []
    for fragment in _dataset(path).get_fragments():
        digest = hashlib.sha256()
        with (path / fragment.path).open("rb") as handle:
            for chunk in iter(lambda: handle.read(8 * 1024 * 1024), b""):
                digest.update(chunk)
        lines.append(digest.hexdigest() + "\n")
    return hashlib.sha256("".join(lines).encode("ascii")).hexdigest()
