"""The guide's Phase 2 evaluation and selection data: the skills table, the criteria and the next steps."""

from __future__ import annotations

from dataclasses import dataclass

from community_insights.portal.guide import ChecklistItem, per_version, read

#: The next steps after selection sit in the guide's Phase 2, Part 3.
NEXT_STEPS_PHASE = 2


@dataclass(frozen=True)
class DataType:
    key: str
    name: str
    example: str
    needs: tuple[str, ...]


@dataclass(frozen=True)
class Skill:
    key: str
    name: str
    covered_by: tuple[str, ...]


@dataclass(frozen=True)
class Criterion:
    key: str
    question: str
    low: str
    high: str
    weight: float


@dataclass(frozen=True)
class Checklist:
    key: str
    name: str
    items: tuple[ChecklistItem, ...]


@per_version
def data_types() -> tuple[DataType, ...]:
    return tuple(
        DataType(d["key"], d["name"], d.get("example", ""), tuple(d["needs"])) for d in read("skills")["data_types"]
    )


def data_type_choices() -> list[tuple[str, str]]:
    return [(d.key, d.name) for d in data_types()]


@per_version
def skills() -> tuple[Skill, ...]:
    return tuple(Skill(s["key"], s["name"], tuple(s.get("covered_by") or ())) for s in read("skills")["skills"])


def skill(key: str) -> Skill:
    for s in skills():
        if s.key == key:
            return s
    raise KeyError(key)


@per_version
def suggested_data_types() -> dict[str, tuple[str, ...]]:
    """Scoping source category -> the types of data it usually means."""
    return {k: tuple(v) for k, v in read("skills")["suggested_by_source_category"].items()}


@per_version
def scale() -> tuple[int, int]:
    raw = read("criteria")["scale"]
    return int(raw["min"]), int(raw["max"])


@per_version
def criteria() -> tuple[Criterion, ...]:
    return tuple(
        Criterion(c["key"], c["question"], c["low"], c["high"], float(c.get("weight", 1)))
        for c in read("criteria")["criteria"]
    )


@per_version
def checklists() -> tuple[Checklist, ...]:
    return tuple(
        Checklist(
            c["key"],
            c["name"],
            tuple(ChecklistItem(i["key"], i["text"], NEXT_STEPS_PHASE, c["key"]) for i in c["items"]),
        )
        for c in read("next_steps")["checklists"]
    )


def checklist_item_keys() -> set[str]:
    return {i.key for c in checklists() for i in c.items}
