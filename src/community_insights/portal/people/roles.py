"""The guide's roles, loaded once from ``data/roles.yaml`` (one place, not scattered in templates)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

DATA_FILE = Path(__file__).parent / "data" / "roles.yaml"


@dataclass(frozen=True)
class RoleDefinition:
    key: str
    name: str
    team: str  # "core" or "complementary"
    days: tuple[int, int] | None
    essential: bool
    description: str


@cache
def role_definitions() -> dict[str, RoleDefinition]:
    raw = yaml.safe_load(DATA_FILE.read_text(encoding="utf-8"))
    roles: dict[str, RoleDefinition] = {}
    for team_key, team in (("core_team", "core"), ("complementary_team", "complementary")):
        for item in raw[team_key]:
            days = tuple(item["days"]) if item.get("days") else None
            roles[item["key"]] = RoleDefinition(
                key=item["key"],
                name=item["name"],
                team=team,
                days=days,  # type: ignore[arg-type]
                essential=bool(item.get("essential")),
                description=" ".join(item["description"].split()),
            )
    return roles


def role_choices() -> list[tuple[str, str]]:
    return [(r.key, r.name) for r in role_definitions().values()]
