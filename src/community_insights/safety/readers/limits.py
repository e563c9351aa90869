"""Formats the readers know, and the limits that keep a broken or hostile file from exhausting memory.

Why a module of their own: every reader checks against the same limits, and tests turn them
down to exercise the guards on small files; the readers read them from here at call time.
"""

from __future__ import annotations

from community_insights.safety.errors import InputError

#: spreadsheet reader as ``xlsx``).
FORMATS = ("csv", "tsv", "xlsx", "xls", "ods", "parquet", "jsonl", "dta", "sav")
WRITE_FORMATS = ("csv", "tsv", "xlsx", "parquet", "jsonl")

SAMPLE_BYTES = 256 * 1024
CHUNK_BYTES = 8 * 1024 * 1024
#: The whole-file scan of delimited text reads at most this much at a time (and
#: never more than ``CHUNK_BYTES``): a block and its masks then stay in a core's
#: cache between the passes numpy makes over them, which makes the scan faster
#: than bigger reads do.
SCAN_BYTES = 2 * 1024 * 1024
#: A physical line longer than this is not a table row but a broken or hostile file.
MAX_LINE_BYTES = 64 * 1024 * 1024
#: A cell longer than this is not a value but a broken or hostile file (a spreadsheet cell holds at
#: most 32,767 characters; the longest case note is far shorter). Enforced while reading, in every
#: format, so a file of a few huge cells cannot make a batch of rows take gigabytes.
MAX_CELL_BYTES = 1024 * 1024
#: Uncompressed size above which a spreadsheet is refused (a real council export
#: is far smaller; a zip bomb is far larger).
MAX_SPREADSHEET_BYTES = 2 * 1024 * 1024 * 1024
#: Compression ratio above which a large spreadsheet part is treated as a zip bomb.
MAX_ZIP_RATIO = 200
EXCEL_MAX_ROWS = 1_048_576
#: Ragged rows named by number in a problem sentence; the rest are counted.
MAX_REPORTED_ROWS = 20


def fail(message: str) -> InputError:
    return InputError(message)


def human(n: int) -> str:
    for unit in ("bytes", "KiB", "MiB", "GiB"):
        if n < 1024 or unit == "GiB":
            return f"{n:.0f} {unit}" if unit == "bytes" else f"{n:.1f} {unit}"
        n //= 1024
    return f"{n} bytes"  # pragma: no cover


def cell_too_long(name: str) -> InputError:
    """The sentence for a file with a cell too long to be a value, the same from every reader."""

    return fail(
        f"The file {name} has a cell longer than {human(MAX_CELL_BYTES)}, which is not a value a table holds; "
        "shorten or remove it and try again."
    )


def line_too_long(name: str) -> InputError:
    """The sentence for a file with a line too long to be a row, the same from every text reader."""

    return fail(f"The file {name} has a single line longer than {human(MAX_LINE_BYTES)}, so it is not a table.")
