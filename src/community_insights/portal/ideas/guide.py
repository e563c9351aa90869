"""The guide's Phase 1 and 2 scoping content (the scoping session's agenda, roles and data source
categories) and the public dataset catalogue, read through the one guide loader.

Templates, services, the demo and the datasets area all read these through this
module, so wording changes in one place.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from community_insights.portal import guide as guide_data


@dataclass(frozen=True)
class MinimumRole:
    key: str
    name: str
    project_role: str
    duties: tuple[str, ...]


@dataclass(frozen=True)
class AgendaItem:
    key: str
    stage: str
    title: str
    prompts: tuple[str, ...]


@dataclass(frozen=True)
class SourceCategory:
    key: str
    name: str
    examples: str
    inventory_category: str | None = None


@dataclass(frozen=True)
class PublicDataset:
    key: str
    name: str
    url: str
    publisher: str
    description: str
    topics: tuple[str, ...]

    def matches(self, words: list[str]) -> bool:
        """True when every word appears somewhere in the entry (case-insensitive)."""
        haystack = " ".join([self.name, self.publisher, self.description, *self.topics, self.url]).casefold()
        return all(w in haystack for w in words)


def _scoping() -> dict[str, Any]:
    return dict(guide_data.read("scoping"))


@guide_data.per_version
def minimum_roles() -> tuple[MinimumRole, ...]:
    return tuple(
        MinimumRole(r["key"], r["name"], r["project_role"], tuple(r["duties"])) for r in _scoping()["minimum_roles"]
    )


def attendee_role_choices() -> list[tuple[str, str]]:
    return [(r.key, r.name) for r in minimum_roles()] + [("other", "Someone else")]


def attendee_role_name(key: str) -> str:
    return dict(attendee_role_choices()).get(key, key)


@guide_data.per_version
def agenda() -> tuple[AgendaItem, ...]:
    return tuple(AgendaItem(a["key"], a["stage"], a["title"], tuple(a["prompts"])) for a in _scoping()["agenda"])


def agenda_item(key: str) -> AgendaItem:
    for item in agenda():
        if item.key == key:
            return item
    raise KeyError(key)


@guide_data.per_version
def source_categories() -> tuple[SourceCategory, ...]:
    return tuple(
        SourceCategory(c["key"], c["name"], c["examples"], c.get("inventory_category"))
        for c in _scoping()["source_categories"]
    )


def source_category_choices() -> list[tuple[str, str]]:
    return [(c.key, c.name) for c in source_categories()]


@guide_data.per_version
def public_datasets() -> tuple[PublicDataset, ...]:
    raw = guide_data.read("public_datasets")
    return tuple(
        PublicDataset(d["key"], d["name"], d["url"], d["publisher"], d["description"], tuple(d.get("topics", ())))
        for d in raw["datasets"]
    )


def public_dataset(key: str) -> PublicDataset | None:
    return next((d for d in public_datasets() if d.key == key), None)


def search_public_datasets(query: str) -> list[PublicDataset]:
    """Entries matching every word of ``query``; all entries for an empty query."""
    words = [w for w in query.casefold().split() if w]
    return [d for d in public_datasets() if d.matches(words)]
