"""The whole-file scan of delimited text: records, ragged rows, UTF-8 and SHA-256 in one pass.

Why a module of its own: the scan reads the file in blocks with numpy, outside the GIL, so it
can run in a thread beside the check; it never keeps a cell's value, only counts and row numbers.
"""

from __future__ import annotations

import codecs
import io
import os
import queue
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl

import community_insights.safety.readers.limits as limits
from community_insights.safety.readers.limits import fail


@dataclass
class TextScan:
    """What one pass over a delimited text file learnt (no cell values kept)."""

    records: int = 0
    ragged_long: int = 0
    ragged_short: int = 0
    blank: int = 0
    max_fields: int = 0
    ragged_rows: list[int] = field(default_factory=list)
    #: Line feeds inside quotes (cells over several lines): a reader that splits the file by lines must not
    quoted_line_feeds: int = 0


class Utf8Check:
    """Strict UTF-8 validation of a file read in chunks, without decoding it.

    Each chunk is checked whole by Polars' vectorised UTF-8 validator (a cast
    of the bytes to text), which is as strict as Python's decoder (no overlong
    forms, surrogates or code points past U+10FFFF) at a small fraction of its
    cost, and needs no other library loaded while the check's other threads
    wait for the interpreter. A character cut by a chunk's end is held back
    and checked with the next chunk; which cut characters are held back (and
    which are refused at once) is asked of Python's own incremental decoder,
    so the verdict and the message are the ones decoding the whole file would
    give.
    """

    def __init__(self, name: str) -> None:
        self.name = name
        self.held = b""  # the start of a character cut by the previous chunk's end

    def feed(self, chunk: memoryview, offset: int) -> None:
        """Check the bytes of one chunk, which starts ``offset`` bytes into the file."""

        data = self.held + chunk if self.held else chunk
        keep = _utf8_cut_tail(data)
        body = data[: len(data) - keep]
        if not self._valid(body):
            try:
                bytes(body).decode("utf-8")
                at = 0  # pragma: no cover - the two validators agree (see the tests)
            except UnicodeDecodeError as exc:
                at = exc.start
            raise fail(
                f"The file {self.name} starts as UTF-8 but has bytes that are not, "
                f"around byte {offset - len(self.held) + at}; give its encoding explicitly."
            )
        self.held = bytes(data[len(data) - keep :])

    @staticmethod
    def _valid(body: bytes | memoryview) -> bool:
        try:
            pl.Series([bytes(body)], dtype=pl.Binary).cast(pl.String)
        except pl.exceptions.PolarsError:
            return False
        return True

    def finish(self) -> None:
        if self.held:
            raise fail(f"The file {self.name} ends in the middle of a UTF-8 character.")


def _utf8_cut_tail(data: bytes | memoryview) -> int:
    """How many bytes at the end of ``data`` start a character that the next bytes may still complete."""

    for back in range(1, min(3, len(data)) + 1):
        byte = data[-back]
        if byte < 0x80:
            return 0
        if byte >= 0xC0:  # the lead byte of the last character
            decoder = codecs.getincrementaldecoder("utf-8")(errors="strict")
            try:
                waiting = decoder.decode(bytes(data[-back:])) == ""
            except UnicodeDecodeError:
                return 0  # can never be a character: refused with the rest
            return back if waiting else 0
    return 0


class Chunks:
    """The file's bytes, block by block, in a few reused buffers, hashed on the side.

    ``digest`` (a hashlib object), when given, is fed the very same buffers in
    a thread of its own: hashlib and numpy both release the GIL on large
    inputs, so on two cores the SHA-256 runs alongside the scan instead of
    after it, and the file is still read only once. A buffer goes back to the
    pool only when both the scan has moved on and the hash has taken it, so
    memory stays at a few chunks whatever the file's size.
    """

    def __init__(self, handle: io.BufferedReader, size: int, digest: Any) -> None:
        self.handle = handle
        self.digest = digest
        threaded = digest is not None and os.fstat(handle.fileno()).st_size > size
        self.free: queue.SimpleQueue[bytearray] = queue.SimpleQueue()
        for _ in range(3 if threaded else 1):
            self.free.put(bytearray(size))
        self.todo: queue.SimpleQueue[tuple[bytearray, memoryview] | None] = queue.SimpleQueue()
        self.failure: BaseException | None = None
        self.thread: threading.Thread | None = None
        if threaded:
            self.thread = threading.Thread(target=self._hash, name="insights-scan-hash", daemon=True)
            self.thread.start()

    def _hash(self) -> None:
        while (item := self.todo.get()) is not None:
            buffer, view = item
            try:
                if self.failure is None:
                    self.digest.update(view)
            except BaseException as exc:  # noqa: BLE001 - re-raised on leaving the with block
                self.failure = exc
            finally:
                self.free.put(buffer)

    def __iter__(self) -> Iterator[memoryview]:
        while True:
            # Taking a buffer blocks while all of them are still waiting to be hashed.
            buffer = self.free.get()
            n = self.handle.readinto(buffer)
            if not n:
                self.free.put(buffer)
                return
            view = memoryview(buffer)[:n]
            if self.thread is not None:
                self.todo.put((buffer, memoryview(buffer)[:n]))
            else:
                if self.digest is not None:
                    self.digest.update(view)
                self.free.put(buffer)  # taken again only once the scan is done with it
            yield view

    def __enter__(self) -> Chunks:
        return self

    def __exit__(self, *exc_info: object) -> None:
        if self.thread is not None:
            self.todo.put(None)
            self.thread.join()
            self.thread = None
        if self.failure is not None and exc_info[0] is None:
            raise self.failure


def _sparse_positions(mask: np.ndarray) -> np.ndarray:
    """``np.flatnonzero(mask)`` for a boolean mask that is mostly False and whose length is a multiple of 8.

    The mask is looked at as 64-bit words first and only the few words that
    hold a True are looked inside, which takes half the time of one pass of
    ``np.flatnonzero`` over every byte.
    """

    words = mask.view(np.uint64)
    hits = np.flatnonzero(words != 0)
    inner = np.flatnonzero(words[hits].view(np.bool_))
    return (hits[inner >> 3] << 3) + (inner & 7)


def _counts_before(mask: np.ndarray, at: np.ndarray) -> tuple[np.ndarray, int]:
    """How many entries of ``mask`` before each position in ``at`` are True, and how many in all.

    ``mask`` is a boolean mask whose length is a multiple of 64 (False past the
    data) and ``at`` holds positions inside it. The mask is packed 64 to a
    word; a running sum of the words' bit counts plus the bit count of one
    partial word answers each position exactly, which costs far less than
    listing the True entries or summing them stretch by stretch.
    """

    words = np.packbits(mask, bitorder="little").view("<u8")
    whole = np.zeros(words.size + 1, dtype=np.int64)
    np.cumsum(np.bitwise_count(words), dtype=np.int64, out=whole[1:])
    word = at >> 6
    below = (np.uint64(1) << (at & 63).astype(np.uint64)) - np.uint64(1)
    return whole[word] + np.bitwise_count(words[word] & below), int(whole[-1])


class _Carry:
    """What one block of the scan hands to the next: the record and line not yet ended."""

    __slots__ = ("after_cr", "cell_len", "fields", "line_len", "longest_cell", "quoted", "record_index", "record_len")

    def __init__(self) -> None:
        self.quoted = False  # inside a quoted stretch (an odd number of quotes so far)
        self.fields = 1  # fields of the record not yet ended
        self.record_len = 0  # its bytes so far
        self.line_len = 0  # bytes of the physical line not yet ended
        self.after_cr = False  # the previous block ended with a carriage return
        self.record_index = 0  # 0 = header
        self.cell_len = 0  # bytes of the cell not yet ended
        self.longest_cell = 0  # the longest cell seen, when one is over the limit (else 0)


def scan_text(
    source: Path,
    delimiter: str,
    width: int,
    name: str,
    *,
    check_utf8: bool,
    digest: Any = None,
    header: bool = True,
) -> TextScan:
    """One vectorised pass: validate UTF-8, refuse giant lines, count records and ragged rows.

    Quote state is the parity of quote characters seen so far (a doubled
    ``""`` escape keeps parity), so a delimiter or line feed counts only where
    the parity is even. Each block is cut at its quotes and line feeds, which
    are few; delimiters, which are many, are never listed one by one but
    counted per stretch between two cuts (see :func:`_counts_before`). A
    stretch inside quotes counts for nothing, and the running sum of the rest
    at each line feed outside quotes gives the fields of every record, so the
    work done per record or per delimiter is on small arrays. Blocks are small
    enough to stay in a core's cache and reuse one scratch mask, so memory
    stays flat. ``digest`` (a hashlib object), when given, is fed the same
    bytes alongside (see :class:`Chunks`). With ``header=False`` the first
    record is data: the count starts as if a header had been read already.
    """

    if delimiter in '"\n':
        raise ValueError("The delimiter cannot be a quote or a line feed.")
    dchar = ord(delimiter)
    scan = TextScan()
    utf8 = Utf8Check(name) if check_utf8 else None
    carry = _Carry()
    carry.record_index = 0 if header else 1
    offset = 0
    size = max(min(limits.CHUNK_BYTES, limits.SCAN_BYTES), 1)
    scratch_buf = np.empty((size + 63) & ~63, dtype=bool)  # one mask at a time, reused
    with source.open("rb") as handle, Chunks(handle, size, digest) as chunks:
        for view in chunks:
            arr = np.frombuffer(view, dtype=np.uint8)
            if utf8 is not None:
                utf8.feed(view, offset)
            scratch, marks = _cut_marks(arr, scratch_buf)
            values = arr[marks]
            is_quote = values == 34
            is_nl = values == 10
            carry.line_len = _line_length(carry.line_len, marks[is_nl], arr.size)
            if carry.line_len > limits.MAX_LINE_BYTES:
                raise limits.line_too_long(name)
            # the quotes and line feeds are found: the scratch mask now marks the delimiters
            np.equal(arr, dchar, out=scratch[: arr.size])
            _count_records(scan, carry, arr, scratch, marks, is_quote, is_nl, width)
            if carry.longest_cell > limits.MAX_CELL_BYTES:
                raise limits.cell_too_long(name)
            offset += arr.size
    if utf8 is not None:
        utf8.finish()
    if carry.record_len > 0:
        _tally(scan, np.array([carry.fields]), np.array([carry.record_len]), width, carry.record_index)
        carry.record_index += 1
    scan.records = carry.record_index
    return scan


def _cut_marks(arr: np.ndarray, scratch_buf: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The block's scratch mask and the positions of its quotes and line feeds (and a few harmless others)."""

    n = arr.size
    # Cut at quotes (34) and line feeds (10), found in two passes: x | 0x28 == 0x2A holds
    # for them and only for 2 and 42 ("*") besides, which are harmless extra cuts.
    scratch = scratch_buf[: (n + 63) & ~63]
    np.bitwise_or(arr, 0x28, out=scratch[:n].view(np.uint8))
    np.equal(scratch[:n].view(np.uint8), 0x2A, out=scratch[:n])
    scratch[n:] = False
    return scratch, _sparse_positions(scratch)


def _line_length(line_len: int, nl: np.ndarray, n: int) -> int:
    """The physical line not yet ended after this block, or the longest in it if that is too long."""

    if nl.size == 0:
        return line_len + n
    if line_len + n <= limits.MAX_LINE_BYTES:
        return n - int(nl[-1]) - 1  # no line in this block can be too long
    tail = n - int(nl[-1]) - 1
    longest = max(line_len + int(nl[0]), tail)
    if nl.size > 1:
        longest = max(longest, int((nl[1:] - nl[:-1]).max()) - 1)
    return longest if longest > limits.MAX_LINE_BYTES else tail


def _count_records(
    scan: TextScan,
    carry: _Carry,
    arr: np.ndarray,
    scratch: np.ndarray,
    marks: np.ndarray,
    is_quote: np.ndarray,
    is_nl: np.ndarray,
    width: int,
) -> None:
    """Count the block's records and their fields (``scratch`` marks its delimiters) into ``scan``."""

    n = arr.size
    if marks.size == 0:
        # no quote or line feed: the whole block continues the current record
        if not carry.quoted:
            carry.fields += int(np.count_nonzero(scratch))
        carry.record_len += n
        carry.after_cr = bool(arr[-1] == 13)
        _guard_cells(carry, n, scratch, marks, np.array([carry.quoted]), marks, 0)
        return
    # stretch 0 is [0, marks[0]), stretch i is [marks[i-1], marks[i]), the last runs to the end
    starts = np.empty(marks.size + 1, dtype=np.intp)
    starts[0] = 0
    starts[1:] = marks
    at, total = _counts_before(scratch, starts)
    counts = np.empty(starts.size, dtype=np.int64)  # delimiters in each stretch
    np.subtract(at[1:], at[:-1], out=counts[:-1])
    counts[-1] = total - at[-1]
    inside = np.empty(marks.size + 1, dtype=bool)
    inside[0] = carry.quoted
    inside[1:] = (np.cumsum(is_quote) + carry.quoted) & 1
    counts[inside] = 0
    before = np.cumsum(counts)  # before[i]: delimiters outside quotes in [0, marks[i])
    carry.quoted = bool(inside[-1])
    ends = np.flatnonzero(is_nl & ~inside[1:])  # line feeds outside quotes end records
    scan.quoted_line_feeds += int(np.count_nonzero(is_nl)) - int(ends.size)
    if ends.size:
        end_at = marks[ends]
        cum = before[ends]
        per = np.empty(ends.size, dtype=np.intp)
        per[0] = cum[0] + carry.fields
        np.subtract(cum[1:], cum[:-1], out=per[1:])
        per[1:] += 1
        lens = np.empty(ends.size, dtype=np.intp)
        lens[0] = end_at[0] + carry.record_len
        np.subtract(end_at[1:], end_at[:-1], out=lens[1:])
        lens[1:] -= 1
        # a carriage return just before the line feed ends the line; it is not content
        cr = arr[end_at - 1] == 13
        if end_at[0] == 0:
            cr[0] = carry.after_cr
        lens -= cr
        _tally(scan, per, lens, width, carry.record_index)
        carry.record_index += int(ends.size)
        carry.fields = int(before[-1] - cum[-1]) + 1
        carry.record_len = n - int(end_at[-1]) - 1
        # Only a record longer than the limit can hold a cell that is: otherwise the last,
        # unfinished record is measured alone (it carries into the next block).
        whole = int(lens.max()) + 1 > limits.MAX_CELL_BYTES  # + 1: a cell counts the CR of a CRLF
        _guard_cells(carry, n, scratch, marks, inside, end_at, 0 if whole else int(end_at[-1]) + 1)
    else:
        carry.fields += int(before[-1])
        carry.record_len += n
        _guard_cells(carry, n, scratch, marks, inside, marks[:0], 0)
    carry.after_cr = bool(arr[-1] == 13)


def _guard_cells(
    carry: _Carry,
    n: int,
    delimiters: np.ndarray,
    marks: np.ndarray,
    inside: np.ndarray,
    ends: np.ndarray,
    start: int,
) -> None:
    """Measure the cells of the block from ``start`` on; note in ``carry`` one longer than the limit.

    ``delimiters`` marks the block's delimiters, ``inside[i]`` says whether stretch ``i`` (between
    ``marks[i-1]`` and ``marks[i]``) is quoted, and ``ends`` are the line feeds that end records.
    A cell ends at a delimiter outside quotes or at the end of its record; a quoted line feed or
    delimiter is part of it. ``start`` is 0 (the cell carried from the last block goes on) or
    just after the end of a record (a new cell starts there). Cost: the delimiters from
    ``start`` on are listed, which is a short tail of the block unless a record is very long.
    """

    at = np.flatnonzero(delimiters[start:n]) + start
    if at.size:
        at = at[~inside[np.searchsorted(marks, at, side="right")]]
    seps = np.sort(np.concatenate([at, ends[ends >= start]])) if ends.size else at
    first = carry.cell_len if start == 0 else 0
    if seps.size == 0:
        carry.cell_len = first + n - start
        longest = carry.cell_len
    else:
        longest = first + int(seps[0]) - start
        if seps.size > 1:
            longest = max(longest, int(np.diff(seps).max()) - 1)
        carry.cell_len = n - int(seps[-1]) - 1
        longest = max(longest, carry.cell_len)
    if longest > limits.MAX_CELL_BYTES:
        carry.longest_cell = longest


def _tally(scan: TextScan, per: np.ndarray, lens: np.ndarray, width: int, first_index: int) -> None:
    """Add records ``first_index`` onwards (their field counts and lengths) to ``scan``; record 0 is the header."""

    if first_index == 0:
        per, lens, first_index = per[1:], lens[1:], 1
    if per.size == 0:
        return
    # A blank line, or one of delimiters only, holds no value: it is no row (the reads leave it
    # out), so it is neither ragged nor a reason for extra columns.
    blank = lens <= per - 1
    off = per != width
    if not off.any() and not blank.any():  # the usual block: every record as wide as the header
        scan.max_fields = max(scan.max_fields, width)
        return
    blank_before = scan.blank
    scan.blank += int(np.count_nonzero(blank))
    long = (per > width) & ~blank
    short = off & ~long & ~blank
    scan.ragged_long += int(np.count_nonzero(long))
    scan.ragged_short += int(np.count_nonzero(short))
    if not blank.all():
        scan.max_fields = max(scan.max_fields, int(per[~blank].max()))
    room = limits.MAX_REPORTED_ROWS + 1 - len(scan.ragged_rows)
    if room > 0:
        at = np.flatnonzero(long | short)[:room]
        # numbered as the reads number rows, which leave blank rows out
        bad = at + (first_index - 1) - blank_before - np.cumsum(blank)[at]
        scan.ragged_rows.extend(int(i) for i in bad)
