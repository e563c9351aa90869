"""``atomic_path``'s rule that an output never replaces an input."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from community_insights.safety import InputError, atomic_path, refuse_overwrite


def _write(path: Path, inputs: list[Path]) -> None:
    with atomic_path(path, inputs=inputs) as tmp:
        tmp.write_text("report", encoding="utf-8")


@pytest.mark.parametrize("alias", ["same", "dotted", "symlink", "hardlink"])
def test_an_input_under_any_name_is_refused_and_untouched(tmp_path: Path, alias: str) -> None:
    source = tmp_path / "in.csv"
    source.write_text("a,b\n1,2\n", encoding="utf-8")
    (tmp_path / "sub").mkdir()
    target = {
        "same": source,
        "dotted": tmp_path / "sub" / ".." / "in.csv",
        "symlink": tmp_path / "link.csv",
        "hardlink": tmp_path / "hard.csv",
    }[alias]
    if alias == "symlink":
        target.symlink_to(source)
    if alias == "hardlink":
        os.link(source, target)
    with pytest.raises(InputError, match="is also an input"):
        _write(target, [source])
    assert source.read_text(encoding="utf-8") == "a,b\n1,2\n"
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.endswith(".part")) == []


def test_a_device_is_never_replaced(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    with pytest.raises(InputError, match="not a regular file"):
        refuse_overwrite(fifo, [])
    assert fifo.is_fifo()


def test_another_name_is_written(tmp_path: Path) -> None:
    source = tmp_path / "in.csv"
    source.write_text("x", encoding="utf-8")
    _write(tmp_path / "out.txt", [source, None])  # type: ignore[list-item]
    assert (tmp_path / "out.txt").read_text(encoding="utf-8") == "report"
