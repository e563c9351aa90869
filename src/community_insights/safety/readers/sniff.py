"""Deciding a file's format, encoding, delimiter and header from its first bytes.

Why a module of its own: these decisions are guesses from a sample, made before any row is
read, and each one that fails must fail with one plain sentence that never quotes the file.
"""

from __future__ import annotations

import codecs
import csv
import io
from pathlib import Path

from community_insights.safety.readers.limits import fail
from community_insights.safety.readers.statistical import statistical_format

SUFFIX_FORMATS = {
    ".csv": "csv",
    ".tsv": "tsv",
    ".tab": "tsv",
    ".xlsx": "xlsx",
    ".xlsm": "xlsx",
    ".xls": "xls",
    ".ods": "ods",
    ".parquet": "parquet",
    ".pq": "parquet",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
}
_DELIMITERS = (",", "\t", ";", "|")


#: File signatures of things that are never tables, so they are named rather than parsed as text.
_NOT_TABLES = (
    (b"%PDF-", "a PDF document"),
    (b"\x89PNG\r\n\x1a\n", "a picture"),
    (b"GIF8", "a picture"),
    (b"\xff\xd8\xff", "a picture"),
    (b"\x1f\x8b", "a compressed (gzip) file"),
    (b"BZh", "a compressed (bzip2) file"),
    (b"\xfd7zXZ\x00", "a compressed (xz) file"),
    (b"7z\xbc\xaf\x27\x1c", "a compressed (7-Zip) file"),
    (b"Rar!\x1a\x07", "a compressed (RAR) file"),
    (b"\x7fELF", "a program"),
)


def sniff_format(p: Path, head: bytes) -> str:
    suffix_fmt = SUFFIX_FORMATS.get(p.suffix.lower())
    for magic, what in _NOT_TABLES:
        if head.startswith(magic):
            raise fail(f"The file {p.name} is {what}, not a table; export the data as CSV or XLSX.")
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        if b"mimetypeapplication/vnd.oasis.opendocument.spreadsheet" in head[:200]:
            return "ods"
        if suffix_fmt == "ods":
            return "ods"
        return "xlsx"
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "xls"
    if head.startswith(b"PAR1"):
        return "parquet"
    statistical = statistical_format(p, head)
    if statistical is not None:
        return statistical
    if suffix_fmt in ("xlsx", "xls", "ods", "parquet"):
        raise fail(f"The file {p.name} is named like a {suffix_fmt.upper()} file but is not one.")
    if suffix_fmt == "jsonl":
        return "jsonl"
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if suffix_fmt is None and stripped.startswith(b"{"):
        return "jsonl"
    return suffix_fmt or "csv"


def detect_encoding(head: bytes, name: str, size: int) -> str:
    """Pick the encoding: BOMs first, then strict UTF-8, then the Windows code pages."""

    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    sample = head if size <= len(head) else trim_partial_utf8(head)
    if b"\x00" in sample:
        # UTF-16 without a BOM shows as every other byte zero in mostly-ASCII text.
        zeros_odd = sample[1::2].count(0)
        zeros_even = sample[0::2].count(0)
        half = max(len(sample) // 2, 1)
        if zeros_odd > 0.4 * half and zeros_even < 0.05 * half:
            return "utf-16-le"
        if zeros_even > 0.4 * half and zeros_odd < 0.05 * half:
            return "utf-16-be"
        raise fail(f"The file {name} is binary data, not a table.")
    try:
        sample.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        sample.decode("cp1252")
        return "cp1252"
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(sample[:65536]).best()
    if best is not None and best.encoding and best.chaos < 0.2:
        return str(best.encoding)
    raise fail(f"The file {name} is not in a text encoding that can be read (tried UTF-8, cp1252 and others).")


def trim_partial_utf8(data: bytes) -> bytes:
    """Drop a multi-byte character cut in half at the end of a sample."""

    for back in range(1, 4):
        if len(data) < back:
            break
        byte = data[-back]
        if byte < 0x80:
            return data
        if byte >= 0xC0:  # lead byte: cut before it
            return data[:-back]
    return data


def looks_binary(text: str) -> bool:
    if not text:
        return False
    controls = sum(1 for ch in text if (ord(ch) < 32 and ch not in "\t\r\n\x0c") or ch == "\x7f")
    return controls > max(2, len(text) // 200)


def sniff_delimiter(sample_text: str) -> str:
    """Choose the delimiter that splits the first records into the most consistent columns."""

    lines = sample_text.splitlines(keepends=True)
    if len(lines) > 1 and not sample_text.endswith(("\n", "\r")):
        lines = lines[:-1]  # last line may be cut by the sample
    text = "".join(lines[:400])
    best, best_score = ",", (-1.0, 0)
    for cand in _DELIMITERS:
        try:
            records = list(csv.reader(io.StringIO(text, newline=""), delimiter=cand))
        except csv.Error:
            continue
        records = [r for r in records if r]
        if not records:
            continue
        width = len(records[0])
        if width < 2:
            continue
        agree = sum(1 for r in records if len(r) == width) / len(records)
        score = (agree, width)
        if score > best_score:
            best, best_score = cand, score
    return best


def header_names(raw: list[str]) -> list[str]:
    """Header cells as unique, non-blank column names (``column_3``, ``name_2``)."""

    names: list[str] = []
    seen: set[str] = set()
    for i, cell in enumerate(raw, start=1):
        base = cell.strip().lstrip("\ufeff") or f"column_{i}"
        name, n = base, 2
        while name in seen:
            name, n = f"{base}_{n}", n + 1
        seen.add(name)
        names.append(name)
    return names
