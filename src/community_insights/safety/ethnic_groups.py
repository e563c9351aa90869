"""Ethnicity grouped into the five ONS high-level groups (``generalise`` with ``to: ons_ethnic_group_5``).

Why: a column of detailed ethnic categories (19 in the 2021 Census, 18 NHS
codes) splits people into groups too small to share, so small-group
suppression replaces most of it with ``*`` and the column is lost. The five
high-level groups of the 2021 Census keep what most analyses need while the
groups stay large. The mapping is data, not code: each answer of the shipped
census vocabulary (``ethnic_group_ons.txt``) carries its group after a tab,
and an NHS Data Dictionary code (``A`` … ``S``) is read through its label, so
an information rights officer can check every line against the published
classification.

Answers that say nothing ("Not stated", "Prefer not to say", NHS ``Z`` and
``99``) become ``Not stated``; an answer that could belong to more than one
group, or that is not an ethnic group at all, becomes empty (and is counted
as blanked in the report) rather than passing through unchanged.
"""

from __future__ import annotations

import functools

import polars as pl

from community_insights.safety.vocabularies import canonical, vocabulary

#: The 2021 Census's five high-level ethnic groups (England and Wales), by the key the data file uses.
ONS_HIGH_LEVEL_GROUPS: dict[str, str] = {
    "asian": "Asian, Asian British or Asian Welsh",
    "black": "Black, Black British, Black Welsh, Caribbean or African",
    "mixed": "Mixed or Multiple ethnic groups",
    "white": "White",
    "other": "Other ethnic group",
}

NOT_STATED = "Not stated"

_NOT_STATED_ANSWERS = frozenset(
    {
        "not stated",
        "not known",
        "unknown",
        "prefer not to say",
        "prefer not to answer",
        "declined",
        "refused",
        "not given",
        "not recorded",
    }
)

#: NHS Data Dictionary labels by the part before " - ": the group of the 2001-based category.
#: "Other Ethnic Groups - Chinese" is Asian today (the 2011 and 2021 Census moved it), so it is named on its own.
_NHS_LABEL_GROUPS = {
    "white": "white",
    "mixed": "mixed",
    "asian or asian british": "asian",
    "black or black british": "black",
    "other ethnic groups - chinese": "asian",
    "other ethnic groups": "other",
}


@functools.cache
def _groups_by_answer() -> dict[str, str]:
    """Canonical answer (census wording, short form, NHS code or label) → one of the five group labels."""

    table: dict[str, str] = {}
    for entry, key in vocabulary("ethnic_group_ons").tags.items():
        table[canonical(entry)] = ONS_HIGH_LEVEL_GROUPS[key]
    for code, label in vocabulary("ethnic_category_nhs").codes.items():
        group = _nhs_group(label)
        table.setdefault(canonical(label), group)
        table[code] = group
    for answer in _NOT_STATED_ANSWERS:
        table.setdefault(answer, NOT_STATED)
    return table


def _nhs_group(label: str) -> str:
    """The group of one NHS ethnic category label (``Not stated`` for Z and 99)."""

    text = canonical(label)
    for prefix in sorted(_NHS_LABEL_GROUPS, key=len, reverse=True):
        if text.startswith(prefix):
            return ONS_HIGH_LEVEL_GROUPS[_NHS_LABEL_GROUPS[prefix]]
    return NOT_STATED


def ethnic_group_of(answer: object) -> str | None:
    """The ONS high-level group of one answer, ``Not stated``, or None when it cannot be placed."""

    if answer is None:
        return None
    return _groups_by_answer().get(canonical(str(answer)))


def ons_ethnic_groups(values: pl.Series) -> pl.Series:
    """A batch column of ethnic groups, categories or NHS codes → the five high-level groups (text)."""

    text = values.cast(pl.Utf8, strict=False)
    distinct = text.drop_nulls().unique(maintain_order=True).to_list()
    mapping = {value: ethnic_group_of(value) for value in distinct}
    return text.replace_strict(mapping, default=None, return_dtype=pl.Utf8).alias(values.name)
