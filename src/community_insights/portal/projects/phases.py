"""The guide's four phases, their parts and steps, and each part's "What we have achieved" checklist.

Read from the published version of the guide; the phase numbers are structure every version keeps,
so model fields take them (with the national names) from :func:`national_phase_choices`.
"""

from __future__ import annotations

from dataclasses import dataclass

from community_insights.portal.guide import ChecklistItem as ChecklistItem
from community_insights.portal.guide import national, per_version, read


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


@per_version
def phases() -> tuple[Phase, ...]:
    raw = read("phases")
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


def national_phase_choices() -> list[tuple[int, str]]:
    """The phases as the national guide names them: for model fields, whose choices migrations record."""
    return [(p["number"], f"{p['number']} {p['name']}") for p in national("phases")["phases"]]
