"""The guide's schema: every version keeps the national guide's structure; words and new items may change."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from community_insights.portal import guide
from community_insights.portal.guide import schema


def _phases() -> Any:
    return copy.deepcopy(guide.national("phases"))


def test_the_national_guide_is_a_valid_version() -> None:
    schema.validate(guide.national_content())


def test_words_may_change_and_a_checklist_item_may_be_added() -> None:
    data = _phases()
    data["phases"][0]["summary"] = "Gather a team."
    data["phases"][0]["parts"][0]["achieved"].append({"key": "met_the_library", "text": "Met the library service."})
    schema.validate_section("phases", data)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d["phases"][0]["parts"][0]["achieved"].pop(0), "'core_team_identified' is missing"),
        (lambda d: d["phases"][1].update(number=7), "the number stays 2"),
        (lambda d: d["phases"][0].pop("summary"), "'summary' is missing"),
        (lambda d: d["phases"][0].update(sumary="typo"), "'sumary' is not part of the guide's structure"),
        (lambda d: d["phases"][0].update(name=["Set up"]), "should be text, not list"),
        (lambda d: d["phases"][0]["parts"][0].update(steps=[]), "must not be empty"),
        (lambda d: d["phases"][0].update(name=""), "must not be empty"),
        (
            lambda d: d["phases"].append({**copy.deepcopy(d["phases"][0]), "key": "extra", "number": 5}),
            "'extra' cannot be added here",
        ),
        (
            lambda d: d["phases"][0]["parts"][0]["achieved"].append(d["phases"][0]["parts"][0]["achieved"][0]),
            "two items share a key",
        ),
    ],
)
def test_structure_that_records_point_at_cannot_change(change: Any, message: str) -> None:
    data = _phases()
    change(data)
    with pytest.raises(schema.SchemaError, match=message):
        schema.validate_section("phases", data)


def test_a_role_cannot_be_added_or_renamed_but_its_words_can_change() -> None:
    roles = copy.deepcopy(guide.national("roles"))
    roles["core_team"][0]["description"] = "Joins the dots."
    schema.validate_section("roles", roles)
    roles["core_team"][0]["key"] = "host"
    with pytest.raises(schema.SchemaError, match="'facilitator' is missing"):
        schema.validate_section("roles", roles)


def test_a_whole_version_has_exactly_the_guide_sections() -> None:
    content = guide.national_content()
    del content["principles"]
    with pytest.raises(schema.SchemaError, match="exactly the guide's sections"):
        schema.validate(content)
    with pytest.raises(schema.SchemaError, match="no section called"):
        schema.validate_section("versions", {})
