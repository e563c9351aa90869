"""``insights table``: the command-line twin of :func:`community_insights.safety.protect_table`.

It maps options to keyword arguments, shows the protected table on the
screen, writes it atomically if asked, and — with ``--explain`` — tells the
analyst (on the screen only, never in the file) which cells were hidden and
why. Bad input is one sentence on stderr and exit code 2.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table as RichTable
from rich.text import Text

from community_insights.cli.engines import Engine
from community_insights.cli.remedies import NO_FORMULA_ESCAPE_HELP
from community_insights.cli.rule_options import Preset, Rule, fail, rules_from_options
from community_insights.safety import (
    DEFAULT_THRESHOLD,
    ROUNDING_BASES,
    SafetyError,
    SparkBackend,
    check_output_path,
    mark_hidden_cells,
    protect_table,
    write_protected_table,
)
from community_insights.safety.disclosure import TOTAL_LABEL, ProtectedTable, format_figure


def table(
    path: Annotated[Path, typer.Argument(help="The data: CSV, TSV, XLSX, ODS, Parquet, JSON Lines, Stata or SPSS.")],
    by: Annotated[str, typer.Option("--by", help="One to four grouping columns, comma-separated.")],
    count: Annotated[bool, typer.Option("--count", help="Count rows (a frequency table).")] = False,
    sum_column: Annotated[str | None, typer.Option("--sum", help="Sum this numeric column.")] = None,
    mean_column: Annotated[str | None, typer.Option("--mean", help="Average this numeric column.")] = None,
    median_column: Annotated[str | None, typer.Option("--median", help="Median of this numeric column.")] = None,
    preset: Preset = None,
    threshold: Annotated[
        int | None,
        typer.Option(
            "--threshold", min=1, help=f"Smallest group that may show (default {DEFAULT_THRESHOLD}, or the preset's)."
        ),
    ] = None,
    round_base: Annotated[
        int | None,
        typer.Option("--round", help="Round every figure to base 5 or 10 instead of secondary suppression."),
    ] = None,
    hide_zeros: Annotated[bool | None, typer.Option("--hide-zeros/--show-zeros", help="Hide empty cells too.")] = None,
    rule: Rule = None,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write the protected table to a .csv, .xlsx or .json file.")
    ] = None,
    explain: Annotated[
        bool, typer.Option("--explain", help="Show which cells were hidden and why (screen only, never the file).")
    ] = False,
    no_formula_escape: Annotated[bool, typer.Option("--no-formula-escape", help=NO_FORMULA_ESCAPE_HELP)] = False,
    force: Annotated[
        bool,
        typer.Option(
            "--force", help="Group by a column even though the check says it holds direct personal data (names)."
        ),
    ] = False,
    engine: Annotated[
        Engine,
        typer.Option(
            "--engine",
            help="Who counts the cells: polars (this computer) or spark (the active Spark session, else a local "
            "one; needs the spark extra and Java). The table is protected here either way.",
        ),
    ] = Engine.polars,
) -> None:
    """Make a table that is safe to publish: small groups hidden as confidential, totals kept safe.

    Example:

        insights table referrals.csv --by ward,age_band --count --output referrals-by-ward.xlsx --explain
    """

    chosen = [(s, c) for s, c in (("sum", sum_column), ("mean", mean_column), ("median", median_column)) if c]
    if count + len(chosen) != 1:
        raise fail("Choose exactly one of --count, --sum COLUMN, --mean COLUMN or --median COLUMN.")
    statistic, value = ("count", None) if count else chosen[0]
    if round_base is not None and round_base not in ROUNDING_BASES:
        raise fail("--round takes 5 or 10.")
    columns = [c.strip() for c in by.split(",") if c.strip()]
    try:
        if output is not None:  # refused before any row is read, and never one of the inputs
            check_output_path(output, (".csv", ".xlsx", ".json"), inputs=[path])
        rules = rules_from_options(preset, threshold, round_base, hide_zeros, rule)
        result = mark_hidden_cells(
            protect_table(
                path,
                by=columns,
                statistic=statistic,  # type: ignore[arg-type]
                value=value,
                rules=rules.disclosure_rules(),
                method=rules.method,
                rounding_base=rules.rounding_base,
                allow_identifiers=force,
                backend=SparkBackend() if engine is Engine.spark else None,
            ),
            rules.mark,
        )
        written = (
            write_protected_table(result, output, escape_formulas=not no_formula_escape, inputs=[path])
            if output is not None
            else []
        )
    except (SafetyError, ValueError) as error:
        raise fail(str(error)) from None
    console = Console()
    console.print(_render(result))
    console.print(Text(result.metadata.note))
    for file in written:
        console.print(Text(f"Wrote {file}"))
    if explain:
        console.print(_render_explanation(result))


def _render(result: ProtectedTable) -> RichTable:
    """Last grouping column across, the others down, totals last (as in ONS tables)."""

    title = f"{result.label} by {', '.join(result.by)}"
    figures = {
        tuple(c.categories[n] for n in result.by): Text(format_figure(c, result.statistic)) for c in result.cells
    }
    across = result.by[-1]
    across_levels: list[str | None] = [*result.levels[across], None]
    down = result.by[:-1]
    grid = RichTable(title=Text(title), show_lines=False)
    for name in down:
        grid.add_column(name)
    if not down:
        grid.add_column(across)
        grid.add_column(result.label, justify="right")
        for level in across_levels:
            grid.add_row(Text(level or TOTAL_LABEL), figures[(level,)], style="bold" if level is None else None)
        return grid
    for level in across_levels:
        grid.add_column(level or TOTAL_LABEL, justify="right")
    row_keys = sorted(
        {key[:-1] for key in figures},
        key=lambda k: [
            (1, 0) if label is None else (0, result.levels[name].index(label))
            for name, label in zip(down, k, strict=True)
        ],
    )
    for key in row_keys:
        cells = [figures[(*key, level)] for level in across_levels]
        labels = [Text(label or TOTAL_LABEL) for label in key]
        grid.add_row(*labels, *cells, style="bold" if None in key else None)
    return grid


def _render_explanation(result: ProtectedTable) -> RichTable:
    grid = RichTable(title="Hidden cells and why (for you only: not in any output file)")
    for name in result.by:
        grid.add_column(name)
    grid.add_column("why")
    for hidden in result.explain():
        labels = [Text(label or TOTAL_LABEL) for label in hidden.categories.values()]
        grid.add_row(*labels, Text(hidden.reason))
    if not result.explain():
        grid.add_row(*([""] * len(result.by)), "no cells were hidden")
    return grid


def register(app: typer.Typer) -> None:
    """Add this module's commands to the insights app."""

    app.command(name="table")(table)
