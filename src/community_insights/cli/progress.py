"""The progress bar the command line shows while the engine reads a file.

Why one module: ``insights check``, ``plan`` and ``redact`` each showed the same Rich bar,
built in two places; a person watching a terminal should see one kind of bar, and a
pipe or a log should get no bar at all (no escape codes in captured output).
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager

#: What the engine calls as it goes: rows done, and the total when it is known.
ProgressCallback = Callable[[int, int | None], None]


@contextmanager
def progress_bar(label: str) -> Iterator[ProgressCallback | None]:
    """A Rich progress bar titled ``label`` on a terminal; ``None`` (no bar) when stderr is piped."""

    if not sys.stderr.isatty():
        yield None
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        transient=True,
    ) as bar:
        task = bar.add_task(label, total=None)

        def update(done: int, total: int | None) -> None:
            bar.update(task, completed=done, total=total)

        yield update
