"""Generate the bad-input corpus: every kind of input the command line must refuse in one sentence.

Run as a script to write the corpus to a folder and see what it holds::

    python -m tests.badinput.corpus /tmp/corpus

Each case is a set of files plus, per command, the arguments that feed them
to it; ``SENTINELS`` are personal values planted in the data, which no
message may repeat. The test (``test_corpus.py``) runs every case against
every command it applies to in a subprocess and checks the exit code, the
single sentence, the absence of tracebacks, raw values and partial files, and
the peak memory.
"""

from __future__ import annotations

import gzip
import io
import json
import os
import random
import sys
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

#: Personal values planted in the corpus; none may appear in any message.
SENTINELS = ("Zebedee Quockerwodger", "943 476 5919", "zq.secret@example.org", "QQ123456C")
NAME, NHS, EMAIL, NI = SENTINELS
GOOD_HEADER = "client_name,ward,service"
COMMANDS = ("check", "plan", "table", "redact", "chart", "map")


@dataclass
class Case:
    """One kind of bad input: files to write, then how each command is pointed at them."""

    name: str
    write: Callable[[Path], None]
    #: Arguments per command, "{data}" / "{dir}" / "{out}" filled in; None means the command's default.
    args: dict[str, list[str] | None] = field(default_factory=dict)
    data: str = "data.csv"
    #: Exit codes allowed (2: refused as bad input).
    codes: tuple[int, ...] = (2,)
    commands: tuple[str, ...] = COMMANDS


def default_args(command: str) -> list[str]:
    """How each command reads ``{data}`` and where it writes (so partial files can be looked for)."""
    return {
        "check": ["check", "{data}", "-o", "{out}/report.md", "--findings", "{out}/findings.jsonl"],
        "plan": ["plan", "{data}", "-o", "{out}/plan.yaml"],
        "table": ["table", "{data}", "--by", "ward", "--count", "-o", "{out}/table.csv"],
        "redact": [
            "redact",
            "{data}",
            "--plan",
            "{dir}/good-plan.yaml",
            "--key-file",
            "{dir}/good.key",
            "-o",
            "{out}/safe.csv",
            "--report",
            "{out}/report.json",
        ],
        "chart": ["chart", "{data}", "--by", "ward", "--count", "-o", "{out}/chart.svg"],
        "map": [
            "map",
            "{data}",
            "--area",
            "ward",
            "--boundaries",
            "{dir}/wards.geojson",
            "--count",
            "-o",
            "{out}/map.svg",
        ],
    }[command]


FIRST = ["Amira", "John", "Sarah", "Mohammed", "Emily", "David", "Grace", "Oliver", "Fatima", "Liam"]
LAST = ["Khan", "Smith", "Jones", "Taylor", "Brown", "Wilson", "Evans", "Patel", "Ahmed", "Walker"]


def _rows(n: int = 30) -> str:
    wards = ["Abbey", "Beacon", "Castle"]
    return "".join(f"{FIRST[i % 10]} {LAST[(i * 3) % 10]},{wards[i % 3]},food\n" for i in range(n))


def _text(content: str | bytes, name: str = "data.csv") -> Callable[[Path], None]:
    def write(folder: Path) -> None:
        data = content.encode("utf-8") if isinstance(content, str) else content
        (folder / name).write_bytes(data)

    return write


def _zip(entries: dict[str, bytes], name: str = "data.xlsx") -> Callable[[Path], None]:
    def write(folder: Path) -> None:
        with zipfile.ZipFile(folder / name, "w", zipfile.ZIP_DEFLATED) as archive:
            for entry, payload in entries.items():
                archive.writestr(entry, payload)

    return write


def _zip_bomb(folder: Path) -> None:
    with zipfile.ZipFile(folder / "data.xlsx", "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", b"<Types/>")
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            block = b" " * (1 << 20)
            for _ in range(300):
                sheet.write(block)


def _good_xlsx_cut(folder: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in [GOOD_HEADER.split(","), [NAME, "Abbey", "food"]] * 50:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    (folder / "data.xlsx").write_bytes(buffer.getvalue()[: len(buffer.getvalue()) // 2])


def _fifo(folder: Path) -> None:
    os.mkfifo(folder / "data.csv")


def _symlink_loop(folder: Path) -> None:
    (folder / "data.csv").symlink_to(folder / "loop.csv")
    (folder / "loop.csv").symlink_to(folder / "data.csv")


def _folder(folder: Path) -> None:
    (folder / "data.csv").mkdir()


def _nothing(folder: Path) -> None:
    """The input does not exist."""


def _random_bytes(seed: int, size: int = 4096) -> bytes:
    return random.Random(seed).randbytes(size)


def _giant_line(folder: Path) -> None:
    """One 70 MB line: must be refused quickly and within bounded memory."""
    with open(folder / "data.csv", "wb") as handle:
        handle.write(b"client_name,ward,notes\n")
        block = (NAME + " ").encode() * 4096
        written = 0
        while written < 70 * 1024 * 1024:
            handle.write(block)
            written += len(block)


def _giant_lines(folder: Path) -> None:
    """Three 60 MiB lines, each under the line limit: the cell limit refuses them, in bounded memory."""
    with open(folder / "data.csv", "wb") as handle:
        handle.write(b"client_name,ward,notes\n")
        block = (NAME + " ").encode() * 4096
        for _ in range(3):
            handle.write(b"Amira Khan,Abbey,")
            for _ in range(60 * 1024 * 1024 // len(block)):
                handle.write(block)
            handle.write(b"\n")


def _giant_quoted_cell(folder: Path) -> None:
    """A quoted cell of 2 MiB over many short lines: no line is long, the cell is."""
    body = (GOOD_HEADER + "\n" + _rows()).encode()
    cell = ('"' + (NAME + "\n") * (2 * 1024 * 1024 // (len(NAME) + 1)) + '"').encode()
    (folder / "data.csv").write_bytes(body + b"Amira Khan,Abbey," + cell + b"\n" + _rows().encode())


def _giant_parquet_value(folder: Path) -> None:
    """A Parquet value of 2 MiB (a spreadsheet cannot hold one: it keeps 32,767 characters of a cell)."""
    import polars as pl

    notes = [(NAME + " ") * 100_000 if i == 20 else "food" for i in range(30)]
    names = [f"{FIRST[i % 10]} {LAST[i % 10]}" for i in range(30)]
    pl.DataFrame({"client_name": names, "ward": ["Abbey"] * 30, "service": notes}).write_parquet(
        folder / "data.parquet"
    )


def _many_empty_lines(folder: Path) -> None:
    (folder / "data.csv").write_bytes((GOOD_HEADER + "\n").encode() + b"\n" * 100_000)


def _bad_key(mode: int, content: bytes) -> Callable[[Path], None]:
    def write(folder: Path) -> None:
        _good_data(folder)
        key = folder / "bad.key"
        key.write_bytes(content)
        key.chmod(mode)

    return write


def _good_data(folder: Path) -> None:
    (folder / "data.csv").write_text(GOOD_HEADER + "\n" + f"{NAME},Abbey,food\n" + _rows(), encoding="utf-8")


def _with_plan(text: str) -> Callable[[Path], None]:
    def write(folder: Path) -> None:
        _good_data(folder)
        (folder / "bad-plan.yaml").write_text(text, encoding="utf-8")

    return write


def _with_households(content: bytes) -> Callable[[Path], None]:
    def write(folder: Path) -> None:
        _good_data(folder)
        (folder / "households.csv").write_bytes(content)

    return write


def _pdf() -> bytes:
    return b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n" + NAME.encode() + b"\n%%EOF\n"


def _png() -> bytes:
    return b"\x89PNG\r\n\x1a\n" + _random_bytes(1, 2048)


def _ole() -> bytes:
    """The start of an encrypted (or old binary) Office file."""
    return b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + _random_bytes(2, 4096)


CHECK = ["check", "{data}"]
PLAN = ["plan", "{data}", "-o", "{out}/p.yaml"]
TABLE = ["table", "{data}", "--by", "ward", "--count"]
REDACT = ["redact", "{data}", "--plan", "{dir}/good-plan.yaml", "--key-file", "{dir}/good.key"]
OUT_S = ["-o", "{out}/s.csv"]
BAD_PLAN = ["redact", "{data}", "--plan", "{dir}/bad-plan.yaml", "--key-file", "{dir}/good.key", *OUT_S]
BAD_KEY = ["redact", "{data}", "--plan", "{dir}/good-plan.yaml", "--key-file", "{dir}/bad.key", *OUT_S]
CHECK_WITH = [*CHECK, "-o", "{out}/report.md"]
CHART = ["chart", "{data}", "--by", "ward", "--count"]
MAP = ["map", "{data}", "--area", "ward", "--boundaries", "{dir}/wards.geojson", "--count"]


def _args(name: str, write: Callable[[Path], None] = _good_data, **per_command: list[str]) -> Case:
    """A case of bad arguments: good data (unless *write* says otherwise), and the commands given."""
    return Case(name, write, dict(per_command), commands=tuple(per_command))


def _junk() -> list[Case]:
    """Files that are no table at all: empty, junk bytes, other kinds of file, a giant line."""
    return [
        Case("empty file", _text(b"")),
        Case("only spaces", _text(b"   \n  \n")),
        Case("only a byte order mark", _text(b"\xef\xbb\xbf")),
        Case("only line breaks", _text(b"\n\r\n\n")),
        Case("only NUL bytes", _text(b"\x00" * 512)),
        Case("header only", _text(GOOD_HEADER + "\n")),
        Case("header only with CRLF", _text(GOOD_HEADER + "\r\n")),
        Case("header only after a BOM", _text(b"\xef\xbb\xbf" + GOOD_HEADER.encode() + b"\n")),
        Case("header then blank lines", _many_empty_lines),
        Case("header then lines of commas", _text(GOOD_HEADER + "\n" + ",,\n" * 500)),
        Case("random bytes", _text(_random_bytes(3))),
        Case("random bytes with a CSV name and commas", _text(_random_bytes(4).replace(b"\n", b","))),
        Case("NUL bytes inside rows", _text(GOOD_HEADER.encode() + b"\n" + f"{NAME}\x00,Abbey,food\n".encode() * 40)),
        Case("a PNG picture named .csv", _text(_png())),
        Case("a PDF named .csv", _text(_pdf())),
        Case("a gzip file named .csv", _text(gzip.compress((GOOD_HEADER + "\n" + _rows()).encode()))),
        Case("an HTML page named .csv", _text(f"<html><body><p>{NAME}</p></body></html>")),
        Case("UTF-16 without a BOM", _text((GOOD_HEADER + "\n" + _rows()).encode("utf-16-le")), codes=(0, 1, 2)),
        Case("a single 70 MB line", _giant_line),
        Case("three 60 MiB lines", _giant_lines),
        Case("a quoted cell of 2 MiB over many lines", _giant_quoted_cell),
    ]


def _spreadsheets() -> list[Case]:
    """Spreadsheets and columnar files that are damaged, disguised or hostile."""
    return [
        Case("a zip that is not a spreadsheet", _zip({"readme.txt": NAME.encode()}), data="data.xlsx"),
        Case("a spreadsheet cut in half", _good_xlsx_cut, data="data.xlsx"),
        Case("a zip bomb named .xlsx", _zip_bomb, data="data.xlsx"),
        Case("an xlsx with no sheets", _zip({"[Content_Types].xml": b"<Types/>"}), data="data.xlsx"),
        Case("an encrypted Office file named .xlsx", _text(_ole(), "data.xlsx"), data="data.xlsx"),
        Case("random bytes named .xlsx", _text(_random_bytes(5), "data.xlsx"), data="data.xlsx"),
        Case("random bytes named .xls", _text(_random_bytes(6), "data.xls"), data="data.xls"),
        Case("random bytes named .ods", _text(_random_bytes(7), "data.ods"), data="data.ods"),
        Case("CSV text named .xlsx", _text(GOOD_HEADER + "\n" + _rows(), "data.xlsx"), data="data.xlsx"),
        Case(
            "a Parquet magic with junk",
            _text(b"PAR1" + _random_bytes(8) + b"PAR1", "data.parquet"),
            data="data.parquet",
        ),
        Case("an empty Parquet file name", _text(b"", "data.parquet"), data="data.parquet"),
        Case("a Word file", _text(_random_bytes(9), "data.docx"), data="data.docx"),
        Case("a Parquet value of 2 MiB", _giant_parquet_value, data="data.parquet"),
        Case("an unknown extension", _text(GOOD_HEADER + "\n" + _rows(), "data.dat"), data="data.dat", codes=(0, 1, 2)),
    ]


def _jsonl() -> list[Case]:
    """JSON Lines that are not records."""
    return [
        Case(
            "JSON Lines that are not JSON",
            _text(f'{{"client_name": "{NAME}"\nnot json\n', "data.jsonl"),
            data="data.jsonl",
        ),
        Case("JSON Lines of arrays", _text(f'["{NAME}", 1]\n[2, 3]\n', "data.jsonl"), data="data.jsonl"),
        Case("JSON Lines of empty objects", _text("{}\n{}\n", "data.jsonl"), data="data.jsonl"),
        Case("JSON Lines of plain numbers", _text("1\n2\n3\n", "data.jsonl"), data="data.jsonl"),
        Case("JSON Lines nested 5000 deep", _text("[" * 5000 + "]" * 5000 + "\n", "data.jsonl"), data="data.jsonl"),
        Case("JSON Lines, an empty file", _text(b"", "data.jsonl"), data="data.jsonl"),
        Case(
            "JSON Lines with a value of 2 MiB",
            _text(
                "".join(
                    json.dumps(
                        {
                            "client_name": "Amira Khan",
                            "ward": "Abbey",
                            "notes": (NAME + " ") * 100_000 if i == 3 else "x",
                        }
                    )
                    + "\n"
                    for i in range(30)
                ),
                "data.jsonl",
            ),
            data="data.jsonl",
        ),
    ]


def _structure() -> list[Case]:
    """Tables of an odd shape or encoding (some are readable: exit 0 or 1 allowed)."""
    return [
        Case("an unclosed quote", _text(GOOD_HEADER + "\n" + f'"{NAME},Abbey,food\n' + _rows()), codes=(0, 1, 2)),
        Case(
            "rows longer than the header",
            _text(GOOD_HEADER + "\n" + f"{NAME},Abbey,food,{NHS},{EMAIL}\n" + _rows()),
            codes=(0, 1, 2),
        ),
        Case("duplicate column names", _text("ward,ward,ward\n" + _rows()), codes=(0, 1, 2)),
        Case("only empty values", _text("a,b,c\n" + ",,\n" * 50), codes=(0, 1, 2)),
        Case(
            "20000 columns",
            _text(",".join(f"c{i}" for i in range(20000)) + "\n" + ",".join("x" for _ in range(20000)) + "\n"),
            codes=(0, 1, 2),
        ),
        Case("old Mac line endings", _text((GOOD_HEADER + "\n" + _rows()).replace("\n", "\r")), codes=(0, 1, 2)),
        Case(
            "latin-1 bytes",
            _text((GOOD_HEADER + "\n" + "José Núñez,Abbey,food\n" * 40).encode("latin-1")),
            codes=(0, 1, 2),
        ),
        Case(
            "invalid UTF-8 far into the file",
            _text((GOOD_HEADER + "\n" + _rows(5000)).encode() + b"\xff\xfe\xfa,Abbey,food\n"),
            codes=(0, 1, 2),
        ),
    ]


def _paths() -> list[Case]:
    """Paths that are not a regular file."""
    return [
        Case("a missing file", _nothing),
        Case("a folder", _folder),
        Case("a named pipe (FIFO)", _fifo),
        Case("a symbolic link loop", _symlink_loop),
    ]


def _arguments() -> list[Case]:
    """Good data with bad arguments: options, plans, keys and outputs."""
    return [
        _args("a sheet that does not exist", check=[*CHECK, "--sheet", "Nope"], plan=[*PLAN, "--sheet", "Nope"]),
        _args("a delimiter of two characters", check=[*CHECK, "--delimiter", ";;"]),
        _args("an unknown encoding", check=[*CHECK, "--encoding", "klingon-8"]),
        _args("a quasi-identifier that is not a column", check=[*CHECK, "--quasi", "shoe_size"]),
        _args(
            "an output folder that does not exist",
            check=[*CHECK, "-o", "{out}/no/such/r.md"],
            plan=["plan", "{data}", "-o", "{out}/no/p.yaml"],
            table=[*TABLE, "-o", "{out}/no/t.csv"],
            redact=[*REDACT, "-o", "{out}/no/s.csv"],
            chart=[*CHART, "-o", "{out}/no/c.svg"],
            map=[*MAP, "-o", "{out}/no/m.svg"],
        ),
        _args(
            "the output is the input",
            check=[*CHECK, "-o", "{data}"],
            plan=["plan", "{data}", "-o", "{data}", "--force"],
            table=[*TABLE, "-o", "{data}"],
            redact=[*REDACT, "-o", "{data}"],
            chart=[*CHART, "-o", "{data}"],
            map=[*MAP, "-o", "{data}"],
        ),
        _args(
            "the output is the boundary file",
            map=[*MAP, "-o", "{dir}/wards.geojson"],
        ),
        _args("the findings file is the input", check=[*CHECK, "--findings", "{data}"]),
        _args("the output is a folder", check=[*CHECK, "-o", "{out}"], table=[*TABLE, "-o", "{out}"]),
        _args("a table by a column that is not there", table=["table", "{data}", "--by", "shoe_size", "--count"]),
        _args("a table summing text", table=["table", "{data}", "--by", "ward", "--sum", "service"]),
        _args(
            "a table by names",
            table=["table", "{data}", "--by", "client_name", "--count"],
            chart=["chart", "{data}", "--by", "client_name", "--count", "-o", "{out}/c.svg"],
        ),
        _args("a table output of an unknown format", table=[*TABLE, "-o", "{out}/t.docx"]),
        _args("a safe copy of an unknown format", redact=[*REDACT, "-o", "{out}/s.docx"]),
        _args("a reference date that is not a date", plan=[*PLAN, "--reference-date", "31/01/2025"]),
        _args(
            "households lookup of junk",
            _with_households(_random_bytes(10)),
            check=[*CHECK_WITH, "--households", "{dir}/households.csv"],
        ),
        _args(
            "households lookup without a postcode column",
            _with_households(b"a,b\n1,2\n"),
            check=[*CHECK_WITH, "--households", "{dir}/households.csv"],
        ),
        _args("a plan that is not YAML", _with_plan("columns: [unclosed\n"), redact=BAD_PLAN),
        _args("a plan that is a list", _with_plan("- 1\n- 2\n"), redact=BAD_PLAN),
        _args(
            "a plan with an unknown action",
            _with_plan(
                "plan_version: 1\nsource: {columns: [client_name]}\nreference_date: 2025-01-31\n"
                "columns: [{column: client_name, action: explode}]\n"
            ),
            redact=BAD_PLAN,
        ),
        _args("a plan of random bytes", _with_plan(_random_bytes(11).decode("latin-1")), redact=BAD_PLAN),
        _args("a key of the wrong size", _bad_key(0o600, b"abcd\n"), redact=BAD_KEY),
        _args("a key others can read", _bad_key(0o644, b"00" * 32 + b"\n"), redact=BAD_KEY),
        _args("a key that is not hex", _bad_key(0o600, b"zz" * 32 + b"\n"), redact=BAD_KEY),
        _args(
            "a plan made for another key",
            redact=["redact", "{data}", "--plan", "{dir}/keyed-plan.yaml", "--key-file", "{dir}/good.key", *OUT_S],
        ),
        _args(
            "a plan made for another file",
            redact=["redact", "{data}", "--plan", "{dir}/other-plan.yaml", "--key-file", "{dir}/good.key", *OUT_S],
        ),
    ]


def _figure_arguments() -> list[Case]:
    """Good data with bad arguments for charts and maps: columns, kinds, boundaries, permitted uses."""
    return [
        _args(
            "a chart by a column that is not there",
            chart=["chart", "{data}", "--by", "shoe_size", "--count", "-o", "{out}/c.svg"],
        ),
        _args("a chart of an unknown format", chart=[*CHART, "-o", "{out}/c.docx"]),
        _args("a chart of an unknown kind", chart=[*CHART, "--kind", "pie", "-o", "{out}/c.svg"]),
        _args("a map by an area that is not a column", map=[*MAP[:3], "shoe_size", *MAP[4:], "-o", "{out}/m.svg"]),
        _args(
            "a map with boundaries of junk",
            _with_households(_random_bytes(12)),
            map=[
                "map",
                "{data}",
                "--area",
                "ward",
                "--boundaries",
                "{dir}/households.csv",
                "--count",
                "-o",
                "{out}/m.svg",
            ],
        ),
        _args(
            "a map with a missing boundary file",
            map=[
                "map",
                "{data}",
                "--area",
                "ward",
                "--boundaries",
                "{dir}/none.geojson",
                "--count",
                "-o",
                "{out}/m.svg",
            ],
        ),
        _args(
            "a permitted-use file of junk",
            _with_households(_random_bytes(13)),
            chart=[*CHART, "-o", "{out}/c.svg", "--permitted-use", "{dir}/households.csv"],
            map=[*MAP, "-o", "{out}/m.svg", "--permitted-use", "{dir}/households.csv"],
        ),
    ]


def cases() -> list[Case]:
    """Every kind of bad input, each a separate case."""
    return [*_junk(), *_spreadsheets(), *_jsonl(), *_structure(), *_paths(), *_arguments(), *_figure_arguments()]


def write_shared(folder: Path) -> None:
    """The good plan and key every redact case points at (made once, outside the cases)."""
    from community_insights.safety import sample_boundaries_path

    (folder / "wards.geojson").write_bytes(sample_boundaries_path().read_bytes())
    key = folder / "good.key"
    key.write_text("ab" * 32 + "\n", encoding="ascii")
    key.chmod(0o600)
    columns = GOOD_HEADER.split(",")
    rules = "".join(f"  - {{column: {c}, action: {'drop' if c == 'client_name' else 'keep'}}}\n" for c in columns)
    base = f"plan_version: 1\nsource: {{file_name: data.csv, format: csv, columns: {json.dumps(columns)}}}\n"
    body = f"reference_date: 2025-01-31\ncolumns:\n{rules}"
    (folder / "good-plan.yaml").write_text(base + body, encoding="utf-8")
    (folder / "keyed-plan.yaml").write_text(base + "key_id: " + "0" * 16 + "\n" + body, encoding="utf-8")
    other = base.replace("format: csv", "format: csv, sha256: " + "0" * 64)
    (folder / "other-plan.yaml").write_text(other + body, encoding="utf-8")


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: python -m tests.badinput.corpus FOLDER", file=sys.stderr)
        return 2
    root = Path(argv[0])
    root.mkdir(parents=True, exist_ok=True)
    write_shared(root)
    for number, case in enumerate(cases(), start=1):
        folder = root / f"{number:03d}"
        folder.mkdir()
        case.write(folder)
        print(f"{number:03d} {case.name}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
