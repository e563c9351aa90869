"""Writing a folder of Parquet files with Spark so that it appears whole or not at all.

Why a module of its own: Spark writes a table as a folder of part files, task by
task, and a job that fails half way leaves some of them behind. A safe copy must
never be half-written, nor replace an input, so Spark writes into a hidden
folder beside the target and the folder is renamed into place only when every
task has succeeded. The renames go through Hadoop's file system API, which is
what Spark itself uses, so the same code commits to a local disk, HDFS,
``abfss://`` or ``s3a://``. On a local disk and on HDFS a rename is atomic; on
object stores without folders (S3) it is a copy, so a reader may see the folder
filling up, but never a folder left from a failed job.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from community_insights.safety.errors import InputError

if TYPE_CHECKING:  # pragma: no cover - for type checkers only
    from pyspark.sql import DataFrame, SparkSession

__all__ = ["commit_parquet", "parquet_digest", "spark_path", "write_delta"]


def spark_path(target: str | Path) -> str:
    """The target as Spark names it: an absolute local path, or a path with its scheme kept."""

    from community_insights.safety.spark_backend import is_spark_source

    text = str(target)
    return text if is_spark_source(text) else str(Path(text).resolve())


class _FileSystem:
    """The few Hadoop file system calls a commit needs, on the file system of one path."""

    def __init__(self, session: SparkSession, path: str) -> None:
        jvm: Any = session._jvm  # type: ignore[attr-defined]
        self._path = jvm.org.apache.hadoop.fs.Path
        self._fs = self._path(path).getFileSystem(session._jsc.hadoopConfiguration())  # type: ignore[attr-defined]

    def exists(self, path: str) -> bool:
        return bool(self._fs.exists(self._path(path)))

    def rename(self, source: str, target: str) -> bool:
        return bool(self._fs.rename(self._path(source), self._path(target)))

    def delete(self, path: str) -> None:
        self._fs.delete(self._path(path), True)


def _beside(target: str, word: str) -> str:
    """A hidden name in the target's own folder (Spark and Hadoop skip names starting with a dot)."""

    parent, _, name = target.rstrip("/").rpartition("/")
    return f"{parent}/.{name}.{word}-{uuid.uuid4().hex}"


def commit_parquet(frame: DataFrame, target: str, write: Callable[[DataFrame, str], None] | None = None) -> None:
    """Write ``frame`` as Parquet to a hidden folder beside ``target``, then rename it into place.

    An existing ``target`` (an earlier safe copy) is moved aside first and
    removed only once the new folder is in place; on any failure the new
    folder is removed and the old one put back.
    """

    session = frame.sparkSession
    fs = _FileSystem(session, target)
    temporary = _beside(target, "writing")
    try:
        (write or _write_parquet)(frame, temporary)
        old = _beside(target, "replaced") if fs.exists(target) else None
        if old is not None and not fs.rename(target, old):
            raise InputError(f"{_name(target)} could not be replaced; check that it can be written.")
        if not fs.rename(temporary, target):
            if old is not None:
                fs.rename(old, target)
            raise InputError(f"{_name(target)} could not be written; check that its folder can be written.")
    except BaseException:
        fs.delete(temporary)
        raise
    if old is not None:
        fs.delete(old)


def _write_parquet(frame: DataFrame, path: str) -> None:
    frame.write.mode("errorifexists").parquet(path)


def write_delta(frame: DataFrame, path: str) -> None:
    """Write ``frame`` as a Delta table: Spark writes the Parquet parts, the driver the log (``readers.delta``).

    Why not Spark's own Delta writer: its Java libraries are not part of
    pyspark and would be downloaded when Spark starts. The log is written
    with ``deltalake`` from the parts' footers, through the driver's file
    system, so *path* is a folder the driver sees (a local disk or a mounted volume).
    """

    from community_insights.safety.readers.delta import commit_log

    _write_parquet(frame, path)
    commit_log(path)


def _name(target: str) -> str:
    return target.rstrip("/").rpartition("/")[2]


def parquet_digest(session: SparkSession, target: str) -> str:
    """One SHA-256 for a folder of Parquet part files: of each part's SHA-256, one a line, in name order.

    Why not of the files' names: Spark puts a random job number in them, so
    the same copy written twice has other names but, part for part, the same
    bytes. Anyone can repeat it in the folder with
    ``sha256sum part-*.parquet | cut -d' ' -f1 | sha256sum``. The parts are
    hashed in the executors, so no part travels to the driver.
    """

    from pyspark.sql import functions as F

    parts = (
        session.read.format("binaryFile")
        .option("pathGlobFilter", "part-*.parquet")
        .load(target)
        .select(F.col("path"), F.sha2(F.col("content"), 256).alias("sha256"))
        .collect()
    )
    lines = [row["sha256"] + "\n" for row in sorted(parts, key=lambda row: row["path"].rpartition("/")[2])]
    return hashlib.sha256("".join(lines).encode("ascii")).hexdigest()
