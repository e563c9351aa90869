"""Delimited text cut into blocks of whole records, each parsed on its own: memory bounded by the block.

Why not Polars' own streaming CSV reader: it takes hold of the whole file's bytes in memory
(not the file's mapped pages, which the kernel may drop, but memory it allocates) before it
parses them, so a ten-million-row export costs as much memory as the file is large. Here the
file is read a block of :data:`BLOCK_BYTES` at a time, the block is cut after its last record
(a line feed outside quotes), and only that block's records are parsed; what is left over
starts the next block. Records are told apart exactly as the whole-file scan (``scan``) and
Polars tell them apart: a line feed ends a record when the quotes before it are even in number.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

import numpy as np
import polars as pl

__all__ = ["BLOCK_BYTES", "iter_record_blocks", "limited", "parse_block", "rebatch"]

#: Bytes read at a time (a block holds this much, plus the end of a record cut at its start).
BLOCK_BYTES = 8 * 1024 * 1024
_QUOTE, _LINE_FEED = 34, 10


def _last_record_end(chunk: bytes, quoted: bool) -> tuple[int, bool]:
    """The position of ``chunk``'s last line feed outside quotes (-1: none) and whether it ends inside quotes.

    ``quoted`` says whether the chunk starts inside a quoted cell (an odd number of quotes so far).
    """

    arr = np.frombuffer(chunk, dtype=np.uint8)
    quotes = np.flatnonzero(arr == _QUOTE)
    ends_quoted = quoted ^ bool(quotes.size & 1)
    feeds = np.flatnonzero(arr == _LINE_FEED)
    if not feeds.size:
        return -1, ends_quoted
    # quotes before each line feed, plus the carried state: even means outside quotes
    outside = ((np.searchsorted(quotes, feeds) + quoted) & 1) == 0
    found = np.flatnonzero(outside)
    return (int(feeds[found[-1]]) if found.size else -1), ends_quoted


def iter_record_blocks(path: Path, *, skip_first: bool, block_bytes: int | None = None) -> Iterator[bytes]:
    """The file's bytes in blocks that each end after a whole record; ``skip_first`` leaves out the header record.

    A record longer than a block grows the block until it ends (the whole-file scan
    refuses lines and cells too long to be a row).
    """

    size = block_bytes or BLOCK_BYTES
    quoted = False
    held: list[bytes] = []  # the record not yet ended, in pieces (joined once, not once per chunk)
    skip = skip_first
    with path.open("rb") as handle:
        while chunk := handle.read(size):
            cut, quoted = _last_record_end(chunk, quoted)
            if cut < 0:
                held.append(chunk)
                continue
            block = b"".join([*held, chunk[: cut + 1]])
            held = [chunk[cut + 1 :]]
            if skip:
                block, skip = _without_first_record(block), False
            if block:
                yield block
    rest = b"".join(held)
    if skip:
        rest = _without_first_record(rest)
    if rest:
        yield rest


def _without_first_record(block: bytes) -> bytes:
    """``block`` after its first record (the header line, which may hold quoted line feeds).

    Walks line by line, keeping the quotes' parity: few lines come before the header's end.
    """

    quoted = False
    start = 0
    while (feed := block.find(b"\n", start)) != -1:
        quoted ^= bool(block.count(b'"', start, feed) & 1)
        start = feed + 1
        if not quoted:
            return block[start:]
    return b""


def limited(batches: Iterable[pl.DataFrame], limit: int | None) -> Iterator[pl.DataFrame]:
    """The first ``limit`` rows of ``batches`` (all of them when ``limit`` is None), batch by batch."""

    done = 0
    for batch in batches:
        if limit is not None and done + batch.height > limit:
            batch = batch.head(limit - done)
        if batch.height:
            yield batch
        done += batch.height
        if limit is not None and done >= limit:
            return


def parse_block(
    block: bytes, names: Sequence[str], *, separator: str, columns: Sequence[str] | None = None
) -> pl.DataFrame:
    """One block's records as text columns, read as the whole-file query reads them.

    Every column is text, rows longer than ``names`` are cut to it and shorter ones filled
    with nulls; ``columns`` parses only those.
    """

    return pl.read_csv(
        block,
        has_header=False,
        columns=None if columns is None else [list(names).index(c) for c in columns],
        separator=separator,
        schema=dict.fromkeys(names, pl.String),
        truncate_ragged_lines=True,
        infer_schema=False,
        encoding="utf8",
        missing_columns="insert",
        raise_if_empty=False,
    )


def rebatch(frames: Iterator[pl.DataFrame], rows: int) -> Iterator[pl.DataFrame]:
    """``frames`` as batches of exactly ``rows`` rows (the last may be shorter), in order."""

    pending: list[pl.DataFrame] = []
    held = 0
    for frame in frames:
        if not frame.height:
            continue
        pending.append(frame)
        held += frame.height
        while held >= rows:
            whole = pl.concat(pending, rechunk=False) if len(pending) > 1 else pending[0]
            yield whole.slice(0, rows).rechunk()
            rest = whole.slice(rows)
            pending, held = ([rest] if rest.height else []), rest.height
    if pending:
        yield pl.concat(pending).rechunk() if len(pending) > 1 else pending[0]
