"""Choropleth maps of a count or a rate by area, with small areas merged, never shown alone.

The guide's data safety check: "If narrowing down to an area — postcodes or
any aggregate area with less than ten people living there, this then becomes
personally identifiable." So an area below the threshold is merged with its
smallest neighbour (sharing a border, worked out from the polygons or given
in a file) and the merged group is coloured as one, with one figure; the
caption names every merged group. Dropping the area instead would make the
map lie, and the total would give its count back.

For a rate (the share of people for whom a yes/no column is yes) the number
saying yes and the number saying no are protected too: an area where 1 to 9
people said yes, or where all but 1 to 9 did, is merged just like a small
area, because its rate would tell you about those few people.

Each original area's own figure never appears anywhere: not in the spec
(only its group's figure is attached to its polygon), not in the SVG, not in
the data table. A merged group's figure is the sum over its members, and
nothing published says how it splits between them.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal

import polars as pl

from community_insights.safety.disclosure import PermittedUse
from community_insights.safety.disclosure.tables import DisclosureError, TableSource, iter_source_batches
from community_insights.safety.outputs.boundaries import (
    Boundaries,
    load_boundaries,
    load_neighbours,
    neighbours_from_boundaries,
)
from community_insights.safety.outputs.map_spec import map_spec
from community_insights.safety.outputs.merging import MapGroup, merge_groups
from community_insights.safety.outputs.render import (
    Drawn,
    Rendered,
    check_output_path,
    indicator_check,
    internal_use_notes,
)
from community_insights.safety.outputs.rules import OutputRules, output_rules

MAP_FORMATS = Drawn.formats
_YES = {"1", "yes", "y", "true", "t"}
_NO = {"0", "no", "n", "false", "f"}


@dataclasses.dataclass
class AreaMap(Drawn):
    """A map ready to write: the published groups and what is drawn from them."""

    statistic: str
    rules: OutputRules
    groups: list[MapGroup]
    group_of: dict[str, str]
    rendered: Rendered

    @property
    def merged(self) -> list[MapGroup]:
        """Groups of more than one area."""

        return [g for g in self.groups if len(g.codes) > 1]


def make_map(
    source: TableSource,
    *,
    area: str,
    boundaries: str | os.PathLike[str],
    neighbours: Literal["auto", "none"] | str | os.PathLike[str] | Mapping[str, set[str]] = "auto",
    rate: str | None = None,
    title: str | None = None,
    rules: OutputRules | None = None,
    output: str | os.PathLike[str] | None = None,
    permitted_use: PermittedUse | None = None,
) -> AreaMap:
    """Count people (or the share saying yes in ``rate``) per area and draw a safe choropleth.

    ``area`` is the column holding each row's area code or name, matched with
    the boundary file's areas. ``neighbours`` is ``"auto"`` (from shared
    borders), ``"none"`` (small areas go into one combined group), a file, or
    a mapping. ``output`` is checked before anything is read.

    Example::

        m = make_map("referrals.csv", area="ward", boundaries="wards.geojson", output="map.svg")
        m.merged   # the groups of areas shown together
    """

    rules = rules or output_rules()
    if rules.method == "rounding" and rate is not None:
        raise DisclosureError("Rounding protects counts; a map of a rate uses merging alone.")
    lookup = None if neighbours in ("auto", "none") else neighbours  # a file of neighbours is an input too
    inputs = [p for p in (source, boundaries, lookup) if isinstance(p, (str, Path))]
    if output is not None:
        check_output_path(output, MAP_FORMATS, inputs=inputs)
    label = "people" if rate is None else f"% {rate}"
    decision = indicator_check([area, label], title or "", permitted_use)
    people, yes = _count_by_area(source, area, rate)
    found = load_boundaries(boundaries, codes=people)
    missing = sorted(set(people) - set(found.codes))
    if missing:
        # The data's own values are not quoted (a mistyped area could be a postcode); the file's are.
        raise DisclosureError(
            f"{len(missing)} of the areas in the column {area!r} are not in the boundary file; check that both "
            f"use the same codes or names (the file has areas such as {found.codes[0]!r} in {found.code_field})."
        )
    adjacency = _adjacency(neighbours, found)
    groups = merge_groups(found, people, yes if rate else None, rules, adjacency)
    group_of = {code: g.label for g in groups for code in g.codes}
    heading = title or (f"People by {area}" if rate is None else f"Share of people with {rate} by {area}")
    rendered = _render(found, groups, group_of, heading, label, rules, area)
    rendered.indicator = decision
    rendered.notes += internal_use_notes(decision)
    result = AreaMap(
        statistic="count" if rate is None else "rate", rules=rules, groups=groups, group_of=group_of, rendered=rendered
    )
    if output is not None:
        result.write(output)
    return result


def _count_by_area(source: TableSource, area: str, rate: str | None) -> tuple[dict[str, int], dict[str, int]]:
    """People per area (rows with no area left out) and, for a rate, how many said yes."""

    people: dict[str, int] = {}
    yes: dict[str, int] = {}
    seen = False
    for batch in iter_source_batches(source):
        if not seen:
            missing = [c for c in (area, rate) if c and c not in batch.columns]
            if missing:
                raise DisclosureError(f"The file has no column called {missing[0]!r}.")
            seen = True
        if batch.height == 0:
            continue
        frame = batch.select(pl.col(area).cast(pl.Utf8).str.strip_chars().alias("_area"))
        if rate is not None:
            frame = frame.with_columns(_yes=_yes_no(batch[rate], rate))
        frame = frame.filter(pl.col("_area").is_not_null() & (pl.col("_area") != ""))
        aggs = [pl.len().alias("n")] + ([pl.col("_yes").sum().alias("y")] if rate else [])
        for row in frame.group_by("_area").agg(aggs).iter_rows(named=True):
            people[row["_area"]] = people.get(row["_area"], 0) + int(row["n"])
            if rate:
                yes[row["_area"]] = yes.get(row["_area"], 0) + int(row["y"])
    if not people:
        raise DisclosureError("The file has no rows with an area to map.")
    return people, yes


def _yes_no(column: pl.Series, name: str) -> pl.Series:
    """A yes/no column as 1/0; anything else is refused (the message gives a count, never a value)."""

    text = column.cast(pl.Utf8).str.strip_chars().str.to_lowercase()
    answer = text.is_in(list(_YES)).cast(pl.Int64)
    bad = int((~text.is_in(list(_YES | _NO)) & text.is_not_null() & (text != "")).sum())
    if bad:
        raise DisclosureError(
            f"The column {name!r} has {bad} values that are not yes or no (1/0, yes/no, true/false); "
            "a rate needs a yes/no column."
        )
    return answer


def _adjacency(neighbours: Any, boundaries: Boundaries) -> dict[str, set[str]]:
    if isinstance(neighbours, Mapping):
        return {str(k): {str(v) for v in near} for k, near in neighbours.items()}
    if neighbours == "auto":
        return neighbours_from_boundaries(boundaries)
    if neighbours in ("none", None):
        return {}
    return load_neighbours(neighbours)


def _render(
    boundaries: Boundaries,
    groups: list[MapGroup],
    group_of: dict[str, str],
    title: str,
    label: str,
    rules: OutputRules,
    area: str,
) -> Rendered:
    by_label = {g.label: g for g in groups}
    spec = map_spec(boundaries, by_label, group_of, title, label)
    is_rate = label != "people"
    rows = [
        [g.label, str(len(g.codes)), _figure_text(g, is_rate, rules)] + ([_people_text(g, rules)] if is_rate else [])
        for g in sorted(groups, key=lambda g: g.label)
    ]
    columns = [f"{area} (merged where small)", "areas", label] + (["people"] if is_rate else [])
    merged = [g.label for g in groups if len(g.codes) > 1]
    caption = (
        f"Areas with fewer than {rules.threshold} people are merged with a neighbouring area and coloured as one"
        + (": " + "; ".join(merged) + "." if merged else "; none needed merging.")
    )
    notes = [caption, "Rows with no area are left out.", rules.describe()]
    return Rendered(
        title=title,
        alt_text=_describe(groups, label, area, is_rate),
        spec=spec,
        columns=columns,
        rows=rows,
        notes=notes,
        caption=caption,
    )


def _figure_text(group: MapGroup, is_rate: bool, rules: OutputRules) -> str:
    if group.figure is None:
        return rules.mark if group.mark else "no people"
    return f"{group.figure:.1f}%" if is_rate else str(int(group.figure))


def _people_text(group: MapGroup, rules: OutputRules) -> str:
    return rules.mark if group.people is None else str(group.people)


def _describe(groups: list[MapGroup], label: str, area: str, is_rate: bool) -> str:
    """The finding in words: highest and lowest group, how many areas were merged."""

    what = "people" if not is_rate else label
    words = [f"Map of {what} by {area}, {len(groups)} areas or groups of areas."]
    shown = [g for g in groups if g.figure is not None]
    if shown:
        high = max(shown, key=lambda g: (g.figure or 0.0, g.label))
        low = min(shown, key=lambda g: (g.figure or 0.0, g.label))
        unit = "%" if is_rate else ""
        words.append(f"Highest: {high.label} ({high.figure:g}{unit}).")
        if low is not high:
            words.append(f"Lowest: {low.label} ({low.figure:g}{unit}).")
    merged = sum(len(g.codes) for g in groups if len(g.codes) > 1)
    words.append(f"{merged} areas were merged with neighbours to protect people." if merged else "No areas merged.")
    return " ".join(words)
