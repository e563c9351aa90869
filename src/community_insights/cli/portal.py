"""Commands of this area are registered here (see community_insights.cli)."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    """Add this module's commands to the insights app."""
