"""Counts by area for maps, with small areas merged rather than shown.

The guide's data safety check: "If narrowing down to an area — postcodes or
any aggregate area with less than ten people living there, this then becomes
personally identifiable." A choropleth of counts per area must therefore
never show an area with fewer than the threshold. Dropping small areas would
make the map lie (and the total would give the dropped count back), so they
are merged instead:

1. into a neighbouring area (from a neighbours list the caller gives, or —
   for postcode sectors and districts — a sibling in the same district or
   postcode area), smallest neighbour first;
2. failing that, into one "combined" area;
3. if the combined area itself is still small, it absorbs the smallest other
   area, until every area shown reaches the threshold. If the whole data set
   is below the threshold, the single remaining figure is hidden ``[c]``.

The result maps every original area to the area whose figure it shows, so a
map colours each polygon with its merged group's value.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any, Literal

import polars as pl

from community_insights.safety.defaults import DEFAULT_THRESHOLD
from community_insights.safety.disclosure.tables import DisclosureError, TableSource, iter_source_batches
from community_insights.safety.types import to_jsonable

Level = Literal["postcode_sector", "postcode_district", "ward", "lsoa", "custom", "area"]
COMBINED_LABEL = "Other areas (combined)"
UNKNOWN_LABEL = "Unknown area"


@dataclasses.dataclass(slots=True)
class AreaCount:
    """One area as published: its label, the original areas in it, its count."""

    area: str
    members: list[str]
    count: int | None
    mark: str | None = None


@dataclasses.dataclass(slots=True)
class AreaTable:
    """Counts per area, safe to map."""

    level: str
    threshold: int
    areas: list[AreaCount]
    area_of: dict[str, str]
    merged_areas: int
    note: str

    def to_jsonable(self) -> dict[str, Any]:
        """Plain JSON types for the portal's map code."""

        result: dict[str, Any] = to_jsonable(self)
        return result


def _postcode_functions() -> tuple[Callable[[object], str | None], Callable[[str], str], Callable[[str], str]]:
    """Postcode helpers from the detectors module, imported only when a map needs them."""

    from community_insights.safety.detectors import normalise_postcode, postcode_district, postcode_sector

    return normalise_postcode, postcode_sector, postcode_district


def load_lookup(lookup: Mapping[str, str] | str | Path) -> dict[str, str]:
    """A lookup from postcode (or any code) to area: a mapping, or a two-column file."""

    if isinstance(lookup, Mapping):
        return {str(k): str(v) for k, v in lookup.items()}
    from community_insights.safety.readers import open_table

    table = open_table(lookup)
    if len(table.columns) < 2:
        raise DisclosureError("An area lookup file needs two columns: the code and its area.")
    key, area = table.columns[0], table.columns[1]
    found: dict[str, str] = {}
    for batch in table.iter_batches():
        for k, v in zip(batch[key].cast(pl.Utf8).to_list(), batch[area].cast(pl.Utf8).to_list(), strict=True):
            if k is not None and v is not None:
                found[k] = v
    return found


def aggregate_to_areas(
    source: TableSource,
    *,
    column: str,
    level: Level = "postcode_sector",
    lookup: Mapping[str, str] | str | Path | None = None,
    neighbours: Mapping[str, Sequence[str]] | None = None,
    threshold: int = DEFAULT_THRESHOLD,
    combined_label: str = COMBINED_LABEL,
    batch_rows: int = 100_000,
) -> AreaTable:
    """Count rows per area and merge areas below ``threshold`` so none shows.

    ``column`` holds postcodes (for ``postcode_sector``, ``postcode_district``,
    and ``ward``/``lsoa``/``custom`` through ``lookup``, e.g. a postcode-to-ward
    file) or, for ``level="area"``, area codes already. ``neighbours`` maps each
    area to the areas it borders.

    Example::

        areas = aggregate_to_areas("referrals.csv", column="postcode", level="postcode_sector")
        areas.area_of["NW1 2"]   # -> "NW1 2 + NW1 3" if NW1 2 had fewer than ten
    """

    if level in ("ward", "lsoa", "custom") and lookup is None:
        raise DisclosureError(f"Counting by {level} needs a lookup from postcode to {level}.")
    if threshold < 1:
        raise DisclosureError("The threshold must be at least 1.")
    table = _lookup_table(level, lookup)
    to_area = _area_function(level, table)
    cache: dict[str | None, str] = {}
    counts: dict[str, int] = {}
    seen_column = False
    for batch in iter_source_batches(source, batch_rows=batch_rows):
        if not seen_column:
            if column not in batch.columns:
                raise DisclosureError(f"The file has no column called {column!r}.")
            seen_column = True
        if batch.height == 0:
            continue
        grouped = batch.select(pl.col(column).cast(pl.Utf8)).group_by(column).len()
        for value, n in zip(grouped[column].to_list(), grouped["len"].to_list(), strict=True):
            if value not in cache:
                cache[value] = to_area(value)
            area = cache[value]
            counts[area] = counts.get(area, 0) + int(n)
    if not seen_column:
        raise DisclosureError("The file has no rows to count.")
    adjacency = _neighbours(level, counts, neighbours)
    return merge_small_areas(
        counts, level=level, threshold=threshold, neighbours=adjacency, combined_label=combined_label
    )


def _lookup_table(level: str, lookup: Mapping[str, str] | str | Path | None) -> dict[str, str] | None:
    if lookup is None:
        return None
    raw = load_lookup(lookup)
    normalise, _, _ = _postcode_functions()
    return {_key(k, normalise): v for k, v in raw.items()}


def _key(value: str, normalise: Callable[[object], str | None]) -> str:
    return normalise(value) or value.strip()


def _area_function(level: str, lookup: dict[str, str] | None) -> Callable[[str | None], str]:
    if level == "area" and lookup is None:
        return lambda value: value.strip() if value and value.strip() else UNKNOWN_LABEL
    normalise, sector, district = _postcode_functions()
    if lookup is not None:
        table = lookup
        return lambda value: table.get(_key(value, normalise), UNKNOWN_LABEL) if value else UNKNOWN_LABEL

    def by_postcode(value: str | None) -> str:
        postcode = normalise(value) if value else None
        if postcode is None:
            return UNKNOWN_LABEL
        return sector(postcode) if level == "postcode_sector" else district(postcode)

    return by_postcode


_AREA_LETTERS = re.compile(r"^[A-Z]+")


def _neighbours(
    level: str, counts: Mapping[str, int], given: Mapping[str, Sequence[str]] | None
) -> dict[str, set[str]]:
    """Who may absorb whom: the caller's list, or postcode siblings by default."""

    adjacency: dict[str, set[str]] = {area: set() for area in counts}
    if given:
        for area, near in given.items():
            for other in near:
                if area in adjacency and other in adjacency and other != area:
                    adjacency[area].add(other)
                    adjacency[other].add(area)
        return adjacency
    if level not in ("postcode_sector", "postcode_district"):
        return adjacency

    def parent(area: str) -> str:
        if level == "postcode_sector":
            return area.split(" ")[0]
        match = _AREA_LETTERS.match(area)
        return match.group(0) if match else area

    families: dict[str, list[str]] = {}
    for area in counts:
        if area != UNKNOWN_LABEL:
            families.setdefault(parent(area), []).append(area)
    for members in families.values():
        for area in members:
            adjacency[area].update(m for m in members if m != area)
    return adjacency


def merge_small_areas(
    counts: Mapping[str, int],
    *,
    level: str = "area",
    threshold: int = DEFAULT_THRESHOLD,
    neighbours: Mapping[str, set[str]] | None = None,
    combined_label: str = COMBINED_LABEL,
) -> AreaTable:
    """Merge areas with 1…threshold−1 into neighbours or a combined area."""

    groups: dict[str, list[str]] = {area: [area] for area in counts if counts[area] > 0}
    totals: dict[str, int] = {area: counts[area] for area in groups}
    neighbours = neighbours or {}
    combined: str | None = None
    while True:
        small = [g for g in groups if 0 < totals[g] < threshold]
        if not small or len(groups) == 1:
            break
        group = min(small, key=lambda g: (totals[g], g))
        member_set = set(groups[group])
        near = {
            other
            for other in groups
            if other != group
            and other != combined
            and any(neighbours.get(m, set()) & set(groups[other]) for m in member_set)
        }
        if group != combined and near:
            target = min(near, key=lambda g: (totals[g], g))
        elif group != combined:
            if combined is None:
                combined = combined_label
                groups[combined] = []
                totals[combined] = 0
            target = combined
        else:
            others = [g for g in groups if g != combined]
            target = min(others, key=lambda g: (totals[g], g))
        merged_members = groups.pop(target) + groups.pop(group)
        merged_total = totals.pop(target) + totals.pop(group)
        if combined in (group, target):
            label = combined_label
            combined = combined_label
        else:
            label = _merged_label(sorted(merged_members))
        groups[label] = merged_members
        totals[label] = merged_total

    areas: list[AreaCount] = []
    area_of: dict[str, str] = {}
    for label in sorted(groups, key=lambda g: (g == combined_label, g)):
        members = sorted(groups[label])
        count = totals[label]
        hidden = 0 < count < threshold
        areas.append(AreaCount(label, members, None if hidden else count, "[c]" if hidden else None))
        for member in members:
            area_of[member] = label
    merged = sum(len(a.members) for a in areas if len(a.members) > 1 or a.area == combined_label)
    note = (
        f"Areas with fewer than {threshold} people are merged with a neighbouring area"
        f"{' or into ' + repr(combined_label) if combined else ''}, so no area on the map shows a small group."
        f" {merged} of {len(area_of)} areas were merged."
    )
    if any(a.mark for a in areas):
        note += f" The only figure is below {threshold}, so it is hidden [c]."
    return AreaTable(level=level, threshold=threshold, areas=areas, area_of=area_of, merged_areas=merged, note=note)


def _merged_label(members: list[str]) -> str:
    if len(members) <= 3:
        return " + ".join(members)
    return f"{members[0]} and {len(members) - 1} neighbouring areas"
