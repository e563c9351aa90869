"""Docs and code must not drift apart (as in sqlite-utils and Datasette).

Every command has help text and a page section; every public engine name has a docstring;
the generated command reference is current.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from typer.main import get_command

import community_insights.safety as safety
from community_insights.cli import app

ROOT = Path(__file__).resolve().parents[1]
COMMANDS = sorted(get_command(app).commands)  # type: ignore[attr-defined]


@pytest.mark.parametrize("name", COMMANDS)
def test_every_command_has_help_and_reference_section(name: str) -> None:
    command = get_command(app).commands[name]  # type: ignore[attr-defined]
    assert (command.help or "").strip(), f"insights {name} has no help text"
    reference = (ROOT / "docs" / "cli-reference.md").read_text(encoding="utf-8")
    assert f"## `insights {name}`" in reference, f"insights {name} is missing from docs/cli-reference.md"


@pytest.mark.parametrize("name", sorted(getattr(safety, "__all__", [])))
def test_every_public_engine_name_has_a_docstring(name: str) -> None:
    obj = getattr(safety, name)
    if callable(obj) or isinstance(obj, type):
        assert (obj.__doc__ or "").strip(), f"community_insights.safety.{name} has no docstring"


def test_cli_reference_is_current() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "cogapp", "--check", str(ROOT / "docs" / "cli-reference.md")],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=300,
    )
    assert result.returncode == 0, (
        "docs/cli-reference.md is out of date: run `make docs`.\n" + result.stdout + result.stderr
    )


def test_readme_names_the_two_commands() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "make run" in readme and "make test" in readme
