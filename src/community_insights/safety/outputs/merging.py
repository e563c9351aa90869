"""Merging small areas on a map into their neighbours, until no group shown is small.

Why a module of its own: the merging rule is the safety decision of a map
(the guide's "less than ten people" rule applied to areas), and it is tested
on its own; drawing (:mod:`map_spec`) and reading the data (:mod:`maps`)
depend on it, not the other way round.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping

from community_insights.safety.outputs.boundaries import Boundaries
from community_insights.safety.outputs.rules import OutputRules


@dataclasses.dataclass(slots=True)
class MapGroup:
    """One coloured group on the map: its areas (codes and names) and its published figure."""

    label: str
    codes: list[str]
    names: list[str]
    people: int | None
    figure: float | None
    mark: str | None = None


def _small(people: int, yes: int | None, rules: OutputRules) -> bool:
    t = rules.threshold
    if people == 0:
        return rules.hide_zeros
    if people < t:
        return True
    if yes is None:
        return False
    return 0 < yes < t or 0 < people - yes < t or (rules.hide_zeros and yes in (0, people))


def merge_groups(
    boundaries: Boundaries,
    people: Mapping[str, int],
    yes: Mapping[str, int] | None,
    rules: OutputRules,
    neighbours: Mapping[str, set[str]],
) -> list[MapGroup]:
    """Merge each small group into its smallest neighbouring group until none is small.

    The smallest small group goes first; it joins the smallest neighbour that
    has people in it (an empty neighbour only if there is no other). A group
    with no neighbour at all joins the smallest other group, wherever it is.
    If everything ends in one group that is still small, its figure is hidden.
    """

    members = {code: [code] for code in boundaries.codes}
    size = {code: people.get(code, 0) for code in members}
    said = {code: (yes or {}).get(code, 0) for code in members}
    while len(members) > 1:
        small = [g for g in members if _small(size[g], said[g] if yes is not None else None, rules)]
        if not small:
            break
        group = min(small, key=lambda g: (size[g], g))
        touching = {n for m in members[group] for n in neighbours.get(m, set())}
        near = [g for g in members if g != group and touching & set(members[g])]
        # The smallest neighbour with people in it: merging into empty areas alone would not help.
        target = min(near or [g for g in members if g != group], key=lambda g: (size[g] == 0, size[g], g))
        members[target] += members.pop(group)
        size[target] += size.pop(group)
        said[target] += said.pop(group)
    return [_group(boundaries, codes, size[key], said[key], yes is not None, rules) for key, codes in members.items()]


def _group(
    boundaries: Boundaries, codes: list[str], people: int, yes: int, is_rate: bool, rules: OutputRules
) -> MapGroup:
    names = sorted(boundaries.name_of(c) for c in codes)
    label = " + ".join(names) if len(names) <= 3 else f"{names[0]} and {len(names) - 1} neighbouring areas"
    if _small(people, yes if is_rate else None, rules):
        return MapGroup(label, sorted(codes), names, None, None, rules.mark)
    if is_rate:
        figure = None if people == 0 else round(100 * yes / people, 1)
        return MapGroup(label, sorted(codes), names, people, figure)
    shown = people if rules.method != "rounding" else rules.rounding_base * round(people / rules.rounding_base)
    return MapGroup(label, sorted(codes), names, shown, float(shown))
