"""``insights check``: the command-line twin of :func:`community_insights.safety.check_dataset`.

The command holds no logic of its own: it maps options to keyword arguments,
shows progress on a terminal, writes the report and the findings atomically,
and turns the verdict into an exit code (0 safe, 1 personal data found, 2 bad
input) so scripts and CI jobs can act on it.
"""

from __future__ import annotations

import contextlib
import json
import sys
from enum import StrEnum
from pathlib import Path
from typing import IO, Annotated, Any

import typer

from community_insights.cli.engines import Engine
from community_insights.cli.progress import progress_bar
from community_insights.safety import (
    DEFAULT_THRESHOLD,
    Backend,
    CheckOptions,
    InputError,
    SafetyError,
    Span,
    SparkBackend,
    atomic_path,
    check_dataset,
    exit_code,
    refuse_overwrite,
    render_report,
    to_jsonable,
    write_text_atomic,
)


class ReportFormat(StrEnum):
    """Report formats ``--format`` accepts."""

    markdown = "markdown"
    json = "json"
    html = "html"


def _fail(message: str) -> typer.Exit:
    typer.echo(message, err=True)
    return typer.Exit(2)


class _FindingsWriter:
    """Streams spans as JSON Lines to an open (temporary) file; the caller renames it on success."""

    def __init__(self, handle: IO[str]) -> None:
        self.handle = handle
        self.count = 0

    def __call__(self, spans: list[Span]) -> None:
        write = self.handle.write
        for sp in spans:
            write(
                json.dumps(
                    {"column": sp.column, "row": sp.row, "start": sp.start, "end": sp.end, "type": str(sp.type)},
                    ensure_ascii=False,
                )
                + "\n"
            )
        self.count += len(spans)


def check(
    path: Annotated[Path, typer.Argument(help="The dataset: CSV, TSV, XLSX, ODS, Parquet, JSON Lines, Stata or SPSS.")],
    format: Annotated[
        ReportFormat, typer.Option("--format", "-f", help="Report format: markdown, json or html.")
    ] = ReportFormat.markdown,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write the report to this file (default: the screen).")
    ] = None,
    findings: Annotated[
        Path | None,
        typer.Option("--findings", help="Write each piece of personal data found in free text as JSON Lines."),
    ] = None,
    sample: Annotated[
        int | None, typer.Option("--sample", min=1, help="Check only the first N rows, for a fast look.")
    ] = None,
    sheet: Annotated[str | None, typer.Option("--sheet", help="Spreadsheet sheet to check (name or number).")] = None,
    households: Annotated[
        Path | None,
        typer.Option("--households", help="Postcode to household-count lookup (CSV: postcode, count)."),
    ] = None,
    threshold: Annotated[
        int, typer.Option("--threshold", min=1, help="Smallest number of records an area or group may hold.")
    ] = DEFAULT_THRESHOLD,
    quasi: Annotated[
        list[str] | None,
        typer.Option("--quasi", help="Quasi-identifier columns for the mosaic check (comma-separated or repeated)."),
    ] = None,
    sensitive: Annotated[
        list[str] | None,
        typer.Option(
            "--sensitive",
            help="Columns whose values no group may give away (l-diversity), besides the special-category ones "
            "(comma-separated or repeated).",
        ),
    ] = None,
    measures: Annotated[
        list[str] | None,
        typer.Option(
            "--measures",
            help="Extra measures of the sensitive columns: entropy-l, t-closeness (comma-separated or repeated).",
        ),
    ] = None,
    delimiter: Annotated[str | None, typer.Option("--delimiter", help="Field delimiter (default: detected).")] = None,
    encoding: Annotated[str | None, typer.Option("--encoding", help="Text encoding (default: detected).")] = None,
    no_free_text: Annotated[
        bool, typer.Option("--no-free-text", help="Skip scanning free-text columns (faster).")
    ] = False,
    engine: Annotated[
        Engine,
        typer.Option(
            "--engine",
            help="Who counts areas and combinations: polars (this computer) or spark (the active Spark "
            "session, else a local one; needs the spark extra and Java).",
        ),
    ] = Engine.polars,
) -> None:
    """Check a dataset for personal data and re-identification risk before it is shared.

    Exit code 0 means safe to share, 1 means personal data or a risk was found,
    2 means the file could not be read.

    Example:

        insights check referrals.csv --format html --output referrals-check.html --households households.csv
    """

    options = CheckOptions(
        sheet=sheet,
        sample=sample,
        threshold=threshold,
        households=households,
        quasi=_names(quasi) or None,
        sensitive=_names(sensitive) or None,
        free_text=not no_free_text,
        delimiter=delimiter,
        encoding=encoding,
        measures=tuple(dict.fromkeys(name.lower() for name in _names(measures))),
    )
    try:
        report = _check_and_write(path, options, format, output, findings, _backend(engine))
    except SafetyError as exc:
        raise _fail(str(exc)) from None
    except MemoryError:
        raise _fail("The file is too large to check on this computer; try --sample.") from None
    raise typer.Exit(exit_code(report))


def _names(items: list[str] | None) -> list[str]:
    """Column or measure names from options given comma-separated, repeated, or both."""

    return [name.strip() for item in items or [] for name in item.split(",") if name.strip()]


def _check_and_write(
    path: Path,
    options: CheckOptions,
    format: ReportFormat,
    output: Path | None,
    findings: Path | None,
    backend: Backend | None,
) -> Any:
    """Run the check and write its report, refusing a bad output name before any work is done."""

    inputs = [path, options.households]
    if output is not None:
        # Refused before the check runs, so a mistaken name costs nothing and writes nothing.
        refuse_overwrite(output, [*inputs, findings])
        if not (output.parent if str(output.parent) else Path(".")).is_dir():
            raise InputError(f"The folder for {output.name} does not exist.")
    # The findings file is renamed into place only if the whole check succeeds.
    with contextlib.ExitStack() as stack:
        writer: _FindingsWriter | None = None
        if findings is not None:
            tmp = stack.enter_context(atomic_path(findings, inputs=inputs))
            writer = _FindingsWriter(stack.enter_context(open(tmp, "w", encoding="utf-8", newline="\n")))
        report = _run(path, options, writer, backend)
        text = render_report(report, format.value)
        if output is not None:
            write_text_atomic(text, output, inputs=inputs)
        else:
            sys.stdout.write(text)
            sys.stdout.flush()
    return report


def _run(path: Path, options: CheckOptions, writer: _FindingsWriter | None, backend: Backend | None) -> Any:
    """Run the check, with a Rich progress bar only when a person is watching a terminal."""

    with progress_bar(f"Checking {path.name}") as progress:
        return check_dataset(path, options, progress=progress, findings_sink=writer, backend=backend)


def _backend(engine: Engine) -> Backend | None:
    """The backend for ``--engine``: ``None`` keeps the engine's default (Polars on this computer)."""

    return None if engine is Engine.polars else SparkBackend()


def register(app: typer.Typer) -> None:
    """Add ``insights check`` to the insights app."""

    app.command("check")(check)


__all__ = ["check", "register", "to_jsonable"]
