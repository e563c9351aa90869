"""The command line's progress bar: shown to a person at a terminal, never written into a pipe."""

from __future__ import annotations

import io
import sys

import pytest

from community_insights.cli.progress import progress_bar


class _Terminal(io.StringIO):
    """A stderr that says a person is watching, as a real terminal does."""

    def isatty(self) -> bool:
        return True


def test_no_bar_when_stderr_is_piped(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stderr", io.StringIO())
    with progress_bar("Checking referrals.csv") as progress:
        assert progress is None


def test_a_bar_that_the_engine_can_move_at_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stderr", _Terminal())
    with progress_bar("Checking referrals.csv") as progress:
        assert callable(progress)
        progress(5, None)
        progress(10, 10)
