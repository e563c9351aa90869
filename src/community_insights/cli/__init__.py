"""The ``insights`` command: thin twins of the engine's and the portal's public functions.

Each area registers its commands from a module of its own, so the engine's
commands (``check``, ``plan``, ``redact``, ``keygen``, ``table``) never import
Django, and the portal's (``serve``, ``demo``, ``createadmin``, ``retention``)
import it only when they run.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import typer


def _build_app() -> typer.Typer:
    """The command line with every area's commands, built on first use and kept as ``app``.

    Why not at import: each free-text worker of ``insights check`` is a spawned process, and a
    spawned process runs the ``insights`` script again, which imports this package; building
    the commands there imported every area's modules for nothing, in every worker.
    """

    import typer

    from community_insights.cli import check, datasets, outputs, portal, remedies, tables

    built = typer.Typer(
        name="insights",
        help="Community Insights: check data for personal information, make safe copies, run the portal.",
        no_args_is_help=True,
        add_completion=False,
        rich_markup_mode="rich",
        pretty_exceptions_show_locals=False,  # local variables can hold rows of the data
    )
    for module in (check, remedies, tables, outputs, portal, datasets):
        module.register(built)
    globals()["app"] = built
    return built


def __getattr__(name: str) -> typer.Typer:
    if name == "app":
        return _build_app()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


#: Exit code for an unexpected error inside a command (a bug, not bad input, which exits 2).
UNEXPECTED_ERROR = 3


def main() -> None:
    """Run the command line; an unexpected error becomes one sentence, not a traceback.

    Why: a traceback's last line repeats the error's message, and a message
    from a library can quote a cell of the data it was reading. Bad input is
    already reported in plain words (exit 2); anything else is a bug, shown
    only when ``INSIGHTS_DEBUG`` is set, by whoever is debugging it.
    """

    import os
    import sys

    try:
        (globals().get("app") or _build_app())()
    except Exception as exc:  # the last resort: every specific error is handled earlier
        if os.environ.get("INSIGHTS_DEBUG"):
            raise
        print(
            f"insights: the command stopped on an unexpected error ({type(exc).__name__}); no file it was "
            "writing is left half-written. Run it again with INSIGHTS_DEBUG=1 to see the details.",
            file=sys.stderr,
        )
        raise SystemExit(UNEXPECTED_ERROR) from None
