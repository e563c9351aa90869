"""Remedy parameters in labelled fields, not typed as 'to: age_band, width: 10, top: 90'."""

from __future__ import annotations

from community_insights.portal.datasets.forms import PlanEditForm

PLAN = {
    "min_group_size": 10,
    "small_groups": "generalise",
    "quasi_identifiers": ["date_of_birth"],
    "columns": [
        {"column": "date_of_birth", "action": "generalise", "params": {"to": "age_band", "width": 10, "top": 90}},
        {"column": "nhs_number", "action": "pseudonymise", "params": {"type": "NHS_NUMBER", "prefix": "P-"}},
        {"column": "case_id", "action": "hash_file_reference", "params": {"system": "case-id"}},
    ],
}


def _post(**fields: str) -> dict[str, str]:
    data = {"min_group_size": "10", "small_groups": "generalise", "change_note": "Bands of five.", **fields}
    for i, c in enumerate(PLAN["columns"]):
        data.setdefault(f"action_{i}", c["action"])
    return data


def test_the_form_shows_each_parameter_in_its_own_field() -> None:
    form = PlanEditForm(plan_data=PLAN)
    assert form["to_0"].value() == "age_band" and form["width_0"].value() == 10 and form["top_0"].value() == 90
    assert form["prefix_1"].value() == "P-" and form["params_1"].value() == "type: NHS_NUMBER"
    assert form["system_2"].value() == "case-id"


def test_the_named_fields_of_the_chosen_action_make_the_parameters() -> None:
    form = PlanEditForm(
        _post(to_0="age_band", width_0="5", top_0="85", prefix_1="Q-", params_1="type: NHS_NUMBER", system_2="crm",
              prefix_2="Z-"),
        plan_data=PLAN,
    )  # fmt: skip
    assert form.is_valid(), form.errors
    params = [c["params"] for c in form.cleaned_data["columns"]]
    assert params == [
        {"to": "age_band", "width": 5, "top": 85},
        {"type": "NHS_NUMBER", "prefix": "Q-"},
        {"system": "crm"},
    ]
