"""The shape every version of the guide keeps: the national guide's structure, checked field by field.

A version may change the guide's words, add a checklist item, a prompt or a
dataset, but not its structure, because the portal's records point at it: a
tick stores a checklist item's key, a team member a role's key, a project its
phase number. So the schema is the national guide's own shape, inferred from
its files: each mapping keeps its fields (those every item has are required,
no new ones), each value keeps its type, a list that is never empty stays so,
and a list of keyed items keeps every key it had. Roles and phases (and their
parts) keep exactly their keys, as code depends on them.

The same check guards the seed (version 1, the national files themselves) and
every proposed change, and the loader relies on it; errors say where in plain
words ("phases, 'phases', item 2 (discover_select), 'parts', item 1 (refine_scope): 'name' is
missing").
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from typing import Any

from community_insights.portal.guide.national import SECTION_NAMES, national

#: Lists whose keys code depends on: no key may be added or removed (section, field).
FIXED_KEYS = {("roles", "core_team"), ("roles", "complementary_team"), ("phases", "phases"), ("phases", "parts")}


class SchemaError(ValueError):
    """A section of a proposed guide that does not keep the national guide's structure."""


@dataclass
class Shape:
    """What a value may be: its kinds, and for mappings and lists what they hold."""

    kinds: set[str] = field(default_factory=set)
    fields: dict[str, Shape] = field(default_factory=dict)
    required: set[str] = field(default_factory=set)
    item: Shape | None = None
    never_empty: bool = True


def _kind(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return "yes or no"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "list"
    if isinstance(value, dict):
        return "mapping"
    return type(value).__name__


def infer(samples: list[Any]) -> Shape:
    """The shape that every one of ``samples`` has (the national guide's values at one place)."""
    shape = Shape(kinds={_kind(s) for s in samples})
    maps = [s for s in samples if isinstance(s, dict)]
    if maps:
        names = {k for m in maps for k in m}
        shape.required = {k for k in names if all(k in m for m in maps)}
        shape.fields = {k: infer([m[k] for m in maps if k in m]) for k in sorted(names)}
    lists = [s for s in samples if isinstance(s, list)]
    if lists:
        shape.item = infer([i for s in lists for i in s])
    shape.never_empty = all(bool(s) for s in samples if isinstance(s, list | str))
    return shape


@cache
def section_shape(name: str) -> Shape:
    return infer([national(name)])


def _where(path: list[str]) -> str:
    return ", ".join(path) if path else "the section"


def _check(value: Any, shape: Shape, path: list[str]) -> None:
    kind = _kind(value)
    if kind not in shape.kinds:
        wanted = " or ".join(sorted(shape.kinds))
        raise SchemaError(f"{_where(path)}: should be {wanted}, not {kind}.")
    if kind in ("list", "text") and shape.never_empty and not value:
        raise SchemaError(f"{_where(path)}: must not be empty.")
    if kind == "mapping":
        for name in sorted(shape.required - set(value)):
            raise SchemaError(f"{_where(path)}: {name!r} is missing.")
        for name in value:
            if name not in shape.fields:
                raise SchemaError(f"{_where(path)}: {name!r} is not part of the guide's structure.")
            _check(value[name], shape.fields[name], [*path, repr(name)])
    if kind == "list" and shape.item is not None:
        for number, item in enumerate(value, start=1):
            label = f"item {number}" + (f" ({item['key']})" if isinstance(item, dict) and "key" in item else "")
            _check(item, shape.item, [*path, label])


def _keyed(items: Any) -> dict[Any, dict[str, Any]] | None:
    if isinstance(items, list) and items and all(isinstance(i, dict) and "key" in i for i in items):
        return {i["key"]: i for i in items}
    return None


def _check_keys(section: str, value: Any, seed: Any, path: list[str], field: str = "") -> None:
    """Every keyed item of the national guide is still there (exactly the same keys where code needs them)."""
    if isinstance(seed, dict) and isinstance(value, dict):
        for name, inner in seed.items():
            if name in value:
                _check_keys(section, value[name], inner, [*path, repr(name)], name)
        return
    national_items, items = _keyed(seed), _keyed(value)
    if national_items is None or not isinstance(value, list):
        return
    keys = [i.get("key") for i in value if isinstance(i, dict)]
    if len(keys) != len(set(keys)):
        raise SchemaError(f"{_where(path)}: two items share a key.")
    items = items or {}
    missing = [k for k in national_items if k not in items]
    if missing:
        raise SchemaError(f"{_where(path)}: the item {missing[0]!r} is missing; records of projects point at it.")
    if (section, field) in FIXED_KEYS:
        extra = [k for k in items if k not in national_items]
        if extra:
            raise SchemaError(f"{_where(path)}: {extra[0]!r} cannot be added here; the portal's code names these.")
    for key, item in national_items.items():
        where = [*path, f"item {keys.index(key) + 1} ({key})"]
        if "number" in item and items[key].get("number") != item["number"]:
            raise SchemaError(f"{_where(where)}: the number stays {item['number']}.")
        _check_keys(section, items[key], item, where)


def validate_section(name: str, data: Any) -> None:
    """Raise :class:`SchemaError` unless ``data`` keeps the national structure of section ``name``."""
    if name not in SECTION_NAMES:
        raise SchemaError(f"The guide has no section called {name!r}.")
    _check(data, section_shape(name), [name])
    _check_keys(name, data, national(name), [name])


def validate(content: Any) -> None:
    """Raise :class:`SchemaError` unless ``content`` is a whole guide: every section, each in shape."""
    if not isinstance(content, dict) or set(content) != set(SECTION_NAMES):
        raise SchemaError("A version of the guide has exactly the guide's sections.")
    for name in SECTION_NAMES:
        validate_section(name, content[name])
