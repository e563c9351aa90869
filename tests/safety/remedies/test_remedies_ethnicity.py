"""Ethnicity into the five ONS high-level groups: census 2021 and 2011 wording, short forms and NHS codes."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from community_insights.safety.errors import PlanError
from community_insights.safety.generalisation import generalise
from community_insights.safety.remedies import ONS_HIGH_LEVEL_GROUPS, ethnic_group_of, ons_ethnic_groups
from community_insights.safety.remedies.plan import ColumnRule, RemedyPlan, SourceFingerprint, columns_fingerprint
from community_insights.safety.types import Action
from community_insights.safety.vocabularies import vocabulary

ASIAN, BLACK, MIXED, WHITE, OTHER = ONS_HIGH_LEVEL_GROUPS.values()


@pytest.mark.parametrize(
    ("answer", "group"),
    [
        # Census 2021, as published and as asked
        ("Asian, Asian British or Asian Welsh: Bangladeshi", ASIAN),
        ("Black, Black British, Black Welsh, Caribbean or African: Other Black", BLACK),
        ("Mixed or Multiple ethnic groups: White and Black Caribbean", MIXED),
        ("White: Gypsy or Irish Traveller", WHITE),
        ("Other ethnic group: Arab", OTHER),
        ("Any other Asian background", ASIAN),
        # Census 2011
        ("White: English/Welsh/Scottish/Northern Irish/British", WHITE),
        ("Mixed/multiple ethnic groups: Other Mixed", MIXED),
        ("Asian/Asian British: Chinese", ASIAN),
        ("Black/African/Caribbean/Black British: Caribbean", BLACK),
        # short forms, any case and spacing
        ("  white   british ", WHITE),
        ("Black African", BLACK),
        ("White and Asian", MIXED),
        # NHS Data Dictionary codes and labels (Chinese is Asian, as in the 2011 and 2021 Census)
        ("A", WHITE),
        ("g", MIXED),
        ("H", ASIAN),
        ("N", BLACK),
        ("R", ASIAN),
        ("S", OTHER),
        ("Z", "Not stated"),
        ("99", "Not stated"),
        ("Black or Black British - Caribbean", BLACK),
        ("Other Ethnic Groups - Chinese", ASIAN),
        # nothing said
        ("Prefer not to say", "Not stated"),
    ],
)
def test_each_kind_of_answer_goes_to_its_high_level_group(answer: str, group: str) -> None:
    assert ethnic_group_of(answer) == group


def test_every_census_answer_that_names_one_group_is_placed() -> None:
    vocab = vocabulary("ethnic_group_ons")
    unplaced = [entry for entry in vocab.entries if ethnic_group_of(entry) is None]
    assert unplaced == ["Chinese or other ethnic group"], "only an answer spanning two groups is left out"
    assert {ethnic_group_of(code) for code in "ABCDEFGHJKLMNPRS"} == set(ONS_HIGH_LEVEL_GROUPS.values())


def test_a_column_is_grouped_and_what_cannot_be_placed_becomes_empty() -> None:
    values = pl.Series("ethnicity", ["White: Irish", "Indian", None, "", "Martian", "Chinese or other ethnic group"])
    assert ons_ethnic_groups(values).to_list() == [WHITE, ASIAN, None, None, None, None]
    generalised = generalise(values, {"to": "ons_ethnic_group_5"}, dt.date(2025, 1, 31))
    assert generalised.name == "ethnicity" and generalised.to_list()[:2] == [WHITE, ASIAN]


def _plan(params: dict[str, object]) -> RemedyPlan:
    source = SourceFingerprint("f.csv", "csv", ["ethnicity"], columns_fingerprint(["ethnicity"]))
    rule = ColumnRule("ethnicity", Action.GENERALISE, params)
    return RemedyPlan(source=source, columns=[rule], reference_date=dt.date(2025, 1, 31))


def test_the_plan_accepts_the_ons_groups_and_refuses_band_parameters_with_them() -> None:
    from community_insights.safety.remedies import validate_plan

    validate_plan(_plan({"to": "ons_ethnic_group_5"}))
    with pytest.raises(PlanError, match="width only applies to age_band and band"):
        validate_plan(_plan({"to": "ons_ethnic_group_5", "width": 5}))
