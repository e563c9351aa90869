"""The ``insights`` command: thin twins of the engine's and the portal's public functions.

Each area registers its commands from a module of its own, so the engine's
commands (``check``, ``plan``, ``redact``, ``keygen``, ``table``) never import
Django, and the portal's (``serve``, ``demo``, ``createadmin``, ``retention``)
import it only when they run.
"""

from __future__ import annotations

import typer

from community_insights.cli import check, datasets, portal, remedies, tables

app = typer.Typer(
    name="insights",
    help="Community Insights: check data for personal information, make safe copies, run the portal.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode="rich",
)

for module in (check, remedies, tables, portal, datasets):
    module.register(app)


def main() -> None:  # pragma: no cover - console entry point
    app()
