"""The guide's project team roles, from the guide's data (one place, not scattered in templates)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from community_insights.portal.guide import read


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
    raw = read("roles")
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
