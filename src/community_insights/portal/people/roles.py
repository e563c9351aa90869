"""The guide's project team roles, from the guide's data (one place, not scattered in templates).

The roles' keys are the portal's structure (every version of the guide keeps them), so they come
from the national guide and are safe to read at import time: model fields, permission rules.
Their names, days and descriptions come from the published version.
"""

from __future__ import annotations

from dataclasses import dataclass

from community_insights.portal.guide import national, per_version, read

_TEAMS = (("core_team", "core"), ("complementary_team", "complementary"))

#: Every role's key, in the guide's order (the same in every version of the guide).
ROLE_KEYS: tuple[str, ...] = tuple(item["key"] for team_key, _ in _TEAMS for item in national("roles")[team_key])
#: The core team's role keys (the people who run a project and answer its reflections survey).
CORE_ROLE_KEYS: tuple[str, ...] = tuple(item["key"] for item in national("roles")["core_team"])


@dataclass(frozen=True)
class RoleDefinition:
    key: str
    name: str
    team: str  # "core" or "complementary"
    days: tuple[int, int] | None
    essential: bool
    description: str


@per_version
def role_definitions() -> dict[str, RoleDefinition]:
    raw = read("roles")
    roles: dict[str, RoleDefinition] = {}
    for team_key, team in _TEAMS:
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


def national_role_choices() -> list[tuple[str, str]]:
    """The roles as the national guide names them: for model fields, whose choices migrations record."""
    return [(item["key"], item["name"]) for team_key, _ in _TEAMS for item in national("roles")[team_key]]
