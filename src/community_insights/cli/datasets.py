"""The datasets area's commands: ``retention`` and ``retry-stale-jobs`` (run them from a daily timer).

Both set Django up only when they run, so the engine's commands stay Django-free.
"""

from __future__ import annotations

import datetime as dt
import os
from typing import Annotated

import typer

DEFAULT_SETTINGS = "community_insights.portal.config.settings.local"


def _django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", DEFAULT_SETTINGS)
    import django

    django.setup()


def retention(
    today: Annotated[
        str | None,
        typer.Option(help="Treat this date (YYYY-MM-DD) as today, to see what a later run would delete."),
    ] = None,
) -> None:
    """Delete raw dataset files whose retention date has passed, and record each deletion in the audit trail.

    Safe copies that information rights approved stay; the record of each dataset, its
    findings and its audit trail stay. Also removes plaintext leftovers of killed workers.

    Example: insights retention
    """
    when: dt.date | None = None
    if today is not None:
        try:
            when = dt.date.fromisoformat(today)
        except ValueError:
            typer.echo("--today must be a date such as 2026-03-31.", err=True)
            raise typer.Exit(2) from None
    _django()
    from community_insights.portal.datasets.services import retention_run

    deleted = retention_run(today=when)
    if not deleted:
        typer.echo("No raw files are past their retention date.")
        return
    for dataset in deleted:
        typer.echo(
            f"Deleted the raw file of dataset {dataset.pk} ({dataset.title}), kept until {dataset.retention_until}."
        )
    typer.echo(f"{len(deleted)} raw file(s) deleted and recorded in the audit trail.")


def retry_stale_jobs() -> None:
    """Put dataset checks and safe-copy jobs whose worker stopped back in the queue.

    A worker that is killed leaves its job "running" with an old heartbeat; this restarts
    it (up to three attempts), or marks it failed with a plain explanation.

    Example: insights retry-stale-jobs
    """
    _django()
    from community_insights.portal.datasets.services import retry_stale_jobs as retry

    restarted = retry()
    typer.echo(f"{len(restarted)} job(s) put back in the queue.")


def register(app: typer.Typer) -> None:
    """Add this module's commands to the insights app."""
    app.command("retention")(retention)
    app.command("retry-stale-jobs")(retry_stale_jobs)
