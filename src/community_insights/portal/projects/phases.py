"""The guide's phases and checklists, read once from ``data/phases.yaml``."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

DATA_FILE = Path(__file__).parent / "data" / "phases.yaml"


@dataclass(frozen=True)
class ChecklistItem:
    key: str
    text: str
    phase: int
    part: str


@dataclass(frozen=True)
class Part:
    key: str
    name: str
    steps: tuple[str, ...]
    achieved: tuple[ChecklistItem, ...]


@dataclass(frozen=True)
class Phase:
    number: int
    key: str
    name: str
    summary: str
    parts: tuple[Part, ...]

    @property
    def label(self) -> str:
        return f"{self.number} {self.name}"

    @property
    def items(self) -> tuple[ChecklistItem, ...]:
        return tuple(item for part in self.parts for item in part.achieved)


@cache
def phases() -> tuple[Phase, ...]:
    raw = yaml.safe_load(DATA_FILE.read_text(encoding="utf-8"))
    result = []
    for p in raw["phases"]:
        parts = tuple(
            Part(
                key=part["key"],
                name=part["name"],
                steps=tuple(part.get("steps", ())),
                achieved=tuple(
                    ChecklistItem(key=i["key"], text=i["text"], phase=p["number"], part=part["key"])
                    for i in part["achieved"]
                ),
            )
            for part in p["parts"]
        )
        result.append(Phase(p["number"], p["key"], p["name"], p["summary"], parts))
    return tuple(result)


def phase(number: int) -> Phase:
    for p in phases():
        if p.number == number:
            return p
    raise KeyError(number)


def checklist_item(key: str) -> ChecklistItem:
    for p in phases():
        for item in p.items:
            if item.key == key:
                return item
    raise KeyError(key)


def phase_choices() -> list[tuple[int, str]]:
    return [(p.number, p.label) for p in phases()]
