"""``insights plan``, ``insights keygen`` and ``insights redact``: make a safe copy of a dataset.

Each command wraps one engine function of the same name (``plan_dataset``,
``keygen``, ``redact_dataset``) and holds no logic of its own. Bad input (a
missing key, a key others can read, a plan made for another dataset, an
output path equal to the input) gives one sentence on stderr and exit code 2,
never a traceback and never a half-written file.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer

from community_insights.cli.engines import Engine
from community_insights.cli.progress import progress_bar
from community_insights.safety import DEFAULT_THRESHOLD, SMALLEST_GROUP_SIZE, SafetyError

#: Shared by every command that writes a CSV, TSV or XLSX file for people to open.
NO_FORMULA_ESCAPE_HELP = (
    "Write text cells exactly as they are, for a program to read: by default a cell starting with "
    "= + - @ (or a tab or line break) gets a leading apostrophe so a spreadsheet cannot run it as a formula."
)


def _fail(message: str) -> typer.Exit:
    typer.echo(f"Error: {message}", err=True)
    return typer.Exit(code=2)


@contextmanager
def _engine_errors() -> Iterator[None]:
    """Turn the engine's deliberate errors into one sentence and exit code 2."""

    try:
        yield
    except SafetyError as exc:
        raise _fail(str(exc)) from None
    except PermissionError:
        raise _fail("A file could not be read or written because of its permissions.") from None
    except IsADirectoryError:
        raise _fail("A folder was given where a file was expected.") from None


def plan(
    path: Annotated[Path, typer.Argument(help="The dataset to plan for (CSV, TSV, XLSX, ODS, Parquet or JSONL).")],
    output: Annotated[Path, typer.Option("--output", "-o", help="Where to write the plan (YAML).")],
    sheet: Annotated[str | None, typer.Option(help="Sheet of a spreadsheet to use.")] = None,
    quasi: Annotated[
        list[str] | None,
        typer.Option("--quasi", help="A quasi-identifier column (repeat); default: the ones the check finds."),
    ] = None,
    pseudonymise: Annotated[
        list[str] | None,
        typer.Option(
            "--pseudonymise", help="Pseudonymise this column with a shared key instead of removing it (repeat)."
        ),
    ] = None,
    min_group_size: Annotated[
        int | None,
        typer.Option(
            min=SMALLEST_GROUP_SIZE,
            help=f"Smallest group of people allowed in the safe copy (default {DEFAULT_THRESHOLD}).",
        ),
    ] = None,
    small_groups: Annotated[
        str, typer.Option(help="What happens to records of small groups: generalise or remove.")
    ] = "generalise",
    reference_date: Annotated[
        str | None, typer.Option(help="Date ages are taken at, as YYYY-MM-DD (default: today).")
    ] = None,
    households: Annotated[
        Path | None, typer.Option(help="Postcode to household-count lookup (CSV) for the small-area rule.")
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Replace an existing plan file.")] = False,
    key_file: Annotated[
        Path | None,
        typer.Option("--key-file", help="The key the plan is for: redact then refuses any other key unless forced."),
    ] = None,
) -> None:
    """Run the data safety check and write an editable remedy plan.

    Example: insights plan referrals.csv --output referrals-plan.yaml --pseudonymise nhs_number
    """

    from community_insights.safety import CheckOptions, key_id, load_key, plan_dataset, refuse_overwrite, save_plan

    with _engine_errors():
        refuse_overwrite(output, [path, households, key_file])
    if output.exists() and not force:
        raise _fail(f"A plan already exists at '{output}'; use --force to replace it.")
    if small_groups not in ("generalise", "remove"):
        raise _fail("--small-groups must be 'generalise' or 'remove'.")
    when = None
    if reference_date is not None:
        try:
            when = dt.date.fromisoformat(reference_date)
        except ValueError:
            raise _fail("--reference-date must be a date such as 2025-01-31.") from None
    options = CheckOptions(sheet=sheet, households=households, free_text=False)
    with _engine_errors(), progress_bar("Checking") as progress:
        made = plan_dataset(
            path,
            options,
            reference_date=when,
            min_group_size=min_group_size,
            quasi=quasi or None,
            pseudonymise=pseudonymise or (),
            small_groups=small_groups,
            progress=progress,
        )
        if key_file is not None:
            made.key_id = key_id(load_key(key_file))
        save_plan(made, output, inputs=[path, households, key_file])
    actions: dict[str, int] = {}
    for rule in made.columns:
        actions[rule.action.value] = actions.get(rule.action.value, 0) + 1
    summary = ", ".join(f"{n} {a}" for a, n in sorted(actions.items()))
    typer.echo(
        f"Plan written to {output} ({len(made.columns)} columns: {summary}). Review it, then run insights redact."
    )


def keygen(
    path: Annotated[Path, typer.Argument(help="Where to write the new key file (never overwritten).")],
) -> None:
    """Write a new 256-bit pseudonymisation key, readable only by you (mode 0600).

    Share it only with organisations that must join on the same people, by a secure route, and never
    with the people who receive the safe copies.

    Example: insights keygen partnership.key
    """

    from community_insights.safety import key_id, load_key
    from community_insights.safety import keygen as make_key

    with _engine_errors():
        written = make_key(path)
        fingerprint = key_id(load_key(written))
    typer.echo(f"Key written to {written} (fingerprint {fingerprint}). Keep it secret; back it up safely.")


def redact(
    path: Annotated[Path, typer.Argument(help="The dataset to make a safe copy of.")],
    plan: Annotated[Path, typer.Option("--plan", help="The remedy plan (YAML) made by insights plan.")],
    output: Annotated[
        Path,
        typer.Option(
            "--output",
            "-o",
            help="The safe copy: .csv, .tsv, .xlsx, .parquet, .jsonl or .delta (a new Delta table, a folder; "
            "the delta extra). With --engine spark, a .parquet folder or a .delta table.",
        ),
    ],
    key_file: Annotated[
        Path | None, typer.Option("--key-file", help="The pseudonymisation key (needed when the plan pseudonymises).")
    ] = None,
    report: Annotated[
        Path | None, typer.Option("--report", help="Write the before/after report here (.html or .json).")
    ] = None,
    sheet: Annotated[str | None, typer.Option(help="Sheet of a spreadsheet to use.")] = None,
    no_formula_escape: Annotated[bool, typer.Option("--no-formula-escape", help=NO_FORMULA_ESCAPE_HELP)] = False,
    force: Annotated[
        bool,
        typer.Option(
            "--force",
            help="Apply a plan made for another file, or use a key other than the plan's; the report says so.",
        ),
    ] = False,
    engine: Annotated[
        Engine,
        typer.Option(
            "--engine",
            help="Who applies the plan: polars (this computer) or spark (the active Spark session, else a local "
            "one; a folder of Parquet files or a Delta table out; needs the spark extra and Java). Progress "
            "then counts Spark's tasks.",
        ),
    ] = Engine.polars,
) -> None:
    """Apply a remedy plan and write a safe copy, with a before/after report.

    The same input, plan and key always give a byte-identical safe copy.

    Example: insights redact referrals.csv --plan referrals-plan.yaml --key-file partnership.key
    --output referrals-safe.csv --report referrals-safe.html
    """

    from community_insights.safety import SparkBackend, redact_dataset

    # On Spark the rows are in the executors: the bar counts Spark's tasks, and says so.
    label = "Redacting" if engine is Engine.polars else "Redacting (Spark tasks)"
    with _engine_errors(), progress_bar(label) as progress:
        result = redact_dataset(
            path,
            plan,
            key_file,
            output,
            report,
            sheet=sheet,
            progress=progress,
            escape_formulas=not no_formula_escape,
            force=force,
            backend=SparkBackend() if engine is Engine.spark else None,
        )
    removed = result.source.rows - result.output.rows
    line = (
        f"Safe copy written to {output}: {result.output.rows:,} of {result.source.rows:,} records, "
        f"{len(result.output.columns)} of {len(result.source.columns)} columns"
    )
    if removed:
        line += f" ({removed:,} records in too-small groups removed)"
    typer.echo(line + (f". Report: {report}." if report else "."))


def register(app: typer.Typer) -> None:
    """Add this module's commands to the insights app."""

    app.command("plan")(plan)
    app.command("keygen")(keygen)
    app.command("redact")(redact)
