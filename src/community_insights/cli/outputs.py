"""``insights chart`` and ``insights map``: thin twins of :func:`make_chart` and :func:`make_map`.

They map options to keyword arguments, check the output path before any
figure is computed, write the file, and — with ``--explain`` — tell the
analyst on the screen (never in the file) which cells were hidden or which
areas merged, and why. Bad input is one sentence on stderr and exit code 2.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table as RichTable
from rich.text import Text

from community_insights.cli.rule_options import (
    Preset,
    RoundBase,
    Rule,
    Threshold,
    Zeros,
    fail,
    rules_from_options,
)
from community_insights.safety import (
    PermittedUse,
    SafetyError,
    make_chart,
    make_map,
    to_jsonable,
    write_text_atomic,
)

Title = Annotated[str | None, typer.Option("--title", help="The title; say what the figure shows.")]
Explain = Annotated[
    bool, typer.Option("--explain", help="Show what was hidden or merged and why (screen only, never the file).")
]
Use = Annotated[
    Path | None,
    typer.Option(
        "--permitted-use",
        help="JSON file naming an approved internal use (name, approved_by, purpose, human_review), "
        "needed for anything that ranks or flags people.",
    ),
]


def _permitted_use(path: Path | None) -> PermittedUse | None:
    if path is None:
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        expires = data.get("expires")
        return PermittedUse(
            name=str(data["name"]),
            approved_by=str(data["approved_by"]),
            purpose=str(data.get("purpose", "")),
            human_review=data.get("human_review") is True,
            expires=dt.date.fromisoformat(expires) if expires else None,
        )
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        raise fail(
            "The permitted-use file must be JSON with name, approved_by, purpose and human_review (true)."
        ) from None


def chart(
    path: Annotated[
        Path, typer.Argument(help="The safe copy: CSV, TSV, XLSX, ODS, Parquet, JSON Lines, Stata or SPSS.")
    ],
    by: Annotated[str, typer.Option("--by", help="One or two columns; the second gives the colours.")],
    output: Annotated[Path, typer.Option("--output", "-o", help="The chart: .svg, .png, .pdf or .html.")],
    count: Annotated[bool, typer.Option("--count", help="Count rows.")] = False,
    sum_column: Annotated[str | None, typer.Option("--sum", help="Sum this numeric column.")] = None,
    mean_column: Annotated[str | None, typer.Option("--mean", help="Average this numeric column.")] = None,
    kind: Annotated[str, typer.Option("--kind", help="bar, stacked or line.")] = "bar",
    title: Title = None,
    preset: Preset = None,
    threshold: Threshold = None,
    round_base: RoundBase = None,
    zeros: Zeros = None,
    rule: Rule = None,
    permitted_use: Use = None,
    explain: Explain = False,
) -> None:
    """Draw a chart that is safe to publish: figures from a protected table, hidden ones shown as gaps.

    Example:

        insights chart referrals.csv --by ward,age_band --count --kind stacked --output by-ward.svg
    """

    chosen = [(s, c) for s, c in (("sum", sum_column), ("mean", mean_column)) if c]
    if count + len(chosen) != 1:
        raise fail("Choose exactly one of --count, --sum COLUMN or --mean COLUMN.")
    statistic, value = ("count", None) if count else chosen[0]
    result, console = _build(
        lambda: make_chart(
            path,
            by=[c.strip() for c in by.split(",") if c.strip()],
            statistic=statistic,  # type: ignore[arg-type]
            value=value,
            kind=kind,  # type: ignore[arg-type]
            title=title,
            rules=rules_from_options(preset, threshold, round_base, zeros, rule),
            output=output,
            permitted_use=_permitted_use(permitted_use),
        ),
        output,
    )
    if explain:
        from community_insights.cli.tables import _render_explanation

        console.print(_render_explanation(result.table))


def map_command(
    path: Annotated[
        Path, typer.Argument(help="The safe copy: CSV, TSV, XLSX, ODS, Parquet, JSON Lines, Stata or SPSS.")
    ],
    area: Annotated[str, typer.Option("--area", help="The column holding each row's area code or name.")],
    boundaries: Annotated[Path, typer.Option("--boundaries", help="GeoJSON boundaries (BNG or WGS84).")],
    output: Annotated[Path, typer.Option("--output", "-o", help="The map: .svg, .png, .pdf or .html.")],
    neighbours: Annotated[
        str, typer.Option("--neighbours", help="auto (from shared borders), none, or a JSON/CSV file.")
    ] = "auto",
    count: Annotated[bool, typer.Option("--count", help="Map the number of people per area.")] = False,
    rate: Annotated[str | None, typer.Option("--rate", help="Map the % saying yes in this yes/no column.")] = None,
    title: Title = None,
    preset: Preset = None,
    threshold: Threshold = None,
    round_base: RoundBase = None,
    zeros: Zeros = None,
    permitted_use: Use = None,
    explain: Explain = False,
) -> None:
    """Draw a map that is safe to publish: areas under the threshold merged with neighbours, never alone.

    Example:

        insights map referrals.csv --area ward --boundaries wards.geojson --count --output map.svg
    """

    if count == (rate is not None):
        raise fail("Choose exactly one of --count or --rate COLUMN.")
    rules = rules_from_options(preset, threshold, round_base, zeros, None)
    result, console = _build(
        lambda: make_map(
            path,
            area=area,
            boundaries=boundaries,
            neighbours=neighbours,
            rate=rate,
            title=title,
            rules=rules,
            output=output,
            permitted_use=_permitted_use(permitted_use),
        ),
        output,
    )
    if explain:
        grid = RichTable(title="Merged areas and why (for you only: not in any output file)")
        grid.add_column("shown as")
        grid.add_column("areas in it")
        for group in result.merged:
            grid.add_row(Text(group.label), Text(", ".join(group.names)))
        if not result.merged:
            grid.add_row("no areas were merged", "")
        console.print(grid)
        console.print(Text(f"Each group reaches {rules.threshold} people; an area alone was below it."))


def _build(make: Callable[[], Any], output: Path) -> tuple[Any, Console]:
    """Make and write the output, keep any internal-use audit record, and say what was written.

    Bad input (the engine's one-sentence errors) becomes exit code 2.
    """

    try:
        result = make()
        audit = _write_audit(result.rendered.indicator, output)
    except (SafetyError, ValueError) as error:
        raise fail(str(error)) from None
    console = Console()
    console.print(Text(f"Wrote {output}"))
    console.print(Text(result.alt_text))
    if audit:
        console.print(Text(f"Wrote the internal-use audit record to {audit}; keep it with the output."))
    return result, console


def _write_audit(decision: Any, output: Path) -> Path | None:
    """The internal-use audit record beside the output (the engine has no database)."""

    if decision is None or decision.audit is None:
        return None
    target = output.with_name(output.name + ".audit.json")
    write_text_atomic(json.dumps(to_jsonable(decision.audit), indent=2) + "\n", target)
    return target


def register(app: typer.Typer) -> None:
    """Add this module's commands to the insights app."""

    app.command(name="chart")(chart)
    app.command(name="map")(map_command)
