"""Headline figures: single counts a public page shows on their own, each protected like a table.

A programme page says how many projects finished or how many organisations
took part. Each figure is a count of people or of things people did, so it
goes through the same disclosure control as a published table: a count of 1
to threshold−1 is hidden (``[c]``). Each figure is protected alone, as a
one-cell table: the figures count different things, so none is a margin of
another and no secondary suppression between them is needed.
"""

from __future__ import annotations

from collections.abc import Mapping

import polars as pl

from community_insights.safety.disclosure.protect import CONFIDENTIAL, PublishedCell, format_figure, protect_table
from community_insights.safety.disclosure.rules import DisclosureRules

_COLUMN = "figure"
#: Every row of a figure's one-cell table holds this category; the label never enters the table,
#: so a label that reads like a name is not mistaken for personal data.
_CATEGORY = "counted"


def protect_figures(
    counts: Mapping[str, int], *, rules: DisclosureRules | None = None, threshold: int | None = None
) -> dict[str, PublishedCell]:
    """Each count as it may be published: its value, or no value and the ``[c]`` mark.

    A zero has no row to count, so it is published as zero unless the rules
    hide zeros (a zero is not a person, but "nobody here does X" can be
    revealing, which is the programme's call).

    Example::

        figures = protect_figures({"projects finished": 12, "insights published": 3})
        figures["insights published"].mark   # "[c]"
    """

    rules = rules or DisclosureRules()
    published: dict[str, PublishedCell] = {}
    for label, count in counts.items():
        if count < 0:
            raise ValueError("A figure counts things, so it cannot be negative.")
        if count == 0:
            hidden = rules.hide_zeros
            published[label] = PublishedCell({_COLUMN: label}, None if hidden else 0, CONFIDENTIAL if hidden else None)
            continue
        frame = pl.DataFrame({_COLUMN: [_CATEGORY] * count})
        table = protect_table(frame, by=[_COLUMN], rules=rules, threshold=threshold)
        published[label] = table.cell(**{_COLUMN: _CATEGORY})
    return published


def figure_text(cell: PublishedCell) -> str:
    """The figure as a page shows it: the number, or its mark."""
    return format_figure(cell, "count")
