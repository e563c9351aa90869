"""The remedy plan: YAML round trip, versioning and one-sentence validation errors."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from community_insights.safety.errors import PlanError
from community_insights.safety.remedies import (
    PLAN_VERSION,
    ColumnRule,
    RemedyPlan,
    SourceFingerprint,
    columns_fingerprint,
    dumps_plan,
    load_plan,
    loads_plan,
    save_plan,
    validate_plan,
)
from community_insights.safety.types import Action, ColumnKind, PiiType

COLUMNS = ["case_id", "name", "ni_number", "dob", "postcode", "ethnicity", "notes", "visits"]


def make_plan(**changes: object) -> RemedyPlan:
    plan = RemedyPlan(
        source=SourceFingerprint(
            file_name="referrals.csv",
            format="csv",
            columns=list(COLUMNS),
            columns_sha256=columns_fingerprint(COLUMNS),
            sha256="ab" * 32,
            rows=1234,
        ),
        columns=[
            ColumnRule(
                "case_id",
                Action.HASH_FILE_REFERENCE,
                {"system": "case-id"},
                "System ID.",
                ColumnKind.SYSTEM_ID,
                [PiiType.SYSTEM_ID],
            ),
            ColumnRule("name", Action.DROP, {}, "Names people.", ColumnKind.DIRECT_IDENTIFIER, [PiiType.PERSON]),
            ColumnRule("ni_number", Action.PSEUDONYMISE, {"type": "NI_NUMBER"}, "Joins with the council."),
            ColumnRule("dob", Action.GENERALISE, {"to": "age_band", "width": 10, "top": 90}, "Birth dates."),
            ColumnRule("postcode", Action.GENERALISE, {"to": "sector"}, "Full postcodes."),
            ColumnRule("ethnicity", Action.SUPPRESS_SMALL_GROUPS, {}, "Special category: ünïcode réason."),
            ColumnRule("notes", Action.REDACT_SPANS, {"also_values_of": ["name", "ni_number"]}, "Free text."),
            ColumnRule("visits", Action.GENERALISE, {"to": "band", "bands": [0, 2, 5, 10]}, "Counts."),
        ],
        reference_date=dt.date(2025, 1, 31),
        min_group_size=10,
        quasi_identifiers=["dob", "postcode"],
    )
    return dataclasses.replace(plan, **changes)  # type: ignore[arg-type]


def test_plan_round_trips_through_yaml_unchanged(tmp_path: Path) -> None:
    plan = make_plan()
    path = save_plan(plan, tmp_path / "plan.yaml")
    loaded = load_plan(path)
    assert loaded == plan
    assert dumps_plan(loaded) == path.read_text(encoding="utf-8")
    assert yaml.safe_load(path.read_text(encoding="utf-8"))["plan_version"] == PLAN_VERSION


@settings(max_examples=40, deadline=None)
@given(
    names=st.lists(
        st.text(st.characters(blacklist_categories=["Cs", "Cc"]), min_size=1, max_size=12),
        min_size=1,
        max_size=6,
        unique=True,
    ),
    actions=st.lists(st.sampled_from([Action.KEEP, Action.DROP, Action.SUPPRESS_SMALL_GROUPS]), min_size=6, max_size=6),
    k=st.integers(2, 50),
    reason=st.text(max_size=40),
)
def test_any_plan_round_trips(names: list[str], actions: list[Action], k: int, reason: str) -> None:
    plan = RemedyPlan(
        source=SourceFingerprint("x.csv", "csv", names, columns_fingerprint(names)),
        columns=[ColumnRule(n, a, {}, reason) for n, a in zip(names, actions, strict=False)],
        reference_date=dt.date(2024, 2, 29),
        min_group_size=k,
    )
    text = dumps_plan(plan)
    assert loads_plan(text) == plan
    assert dumps_plan(loads_plan(text)) == text


def test_plan_records_the_source_fingerprint() -> None:
    data = yaml.safe_load(dumps_plan(make_plan()))
    assert data["source"]["columns"] == COLUMNS
    assert data["source"]["columns_sha256"] == columns_fingerprint(COLUMNS)
    assert data["source"]["sha256"] == "ab" * 32


def _edit(edit: callable) -> str:  # type: ignore[valid-type]
    data = yaml.safe_load(dumps_plan(make_plan()))
    edit(data)
    return yaml.safe_dump(data, sort_keys=False)


def _col(data: dict, name: str) -> dict:  # type: ignore[type-arg]
    return next(c for c in data["columns"] if c["column"] == name)


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda d: d["columns"].append({"column": "nickname", "action": "drop"}), "column 'nickname', which is not in"),
        (lambda d: _col(d, "name").update(action="blur"), "unknown action 'blur'"),
        (lambda d: _col(d, "dob").update(params={"to": "fortnight"}), "generalise needs 'to'"),
        (lambda d: _col(d, "dob").update(params={"to": "age_band", "width": -5}), "width must be a positive"),
        (lambda d: _col(d, "visits").update(params={"to": "band", "bands": [5, 2]}), "bands must be an increasing"),
        (lambda d: _col(d, "name").update(params={"colour": "red"}), "does not take parameter 'colour'"),
        (lambda d: _col(d, "ni_number").update(params={"type": "SHOE_SIZE"}), "pseudonymise type 'SHOE_SIZE'"),
        (lambda d: _col(d, "ni_number").update(params={"type": "NI_NUMBER", "prefix": "p_"}), "prefix must be"),
        (lambda d: _col(d, "ni_number").update(params={"length": 4}), "length must be"),
        (lambda d: _col(d, "notes").update(params={"also_values_of": ["ghost"]}), "column 'ghost'"),
        (lambda d: d["columns"].pop(), "Column 'visits' of the dataset has no entry"),
        (lambda d: d["columns"].append(dict(d["columns"][0])), "two entries for column 'case_id'"),
        (lambda d: d.update(quasi_identifiers=["name"]), "Quasi-identifier 'name' is dropped"),
        (lambda d: d.update(quasi_identifiers=["ni_number"]), "every group a single record"),
        (lambda d: d.update(quasi_identifiers=["shoe"]), "'shoe' is not a column"),
        (lambda d: d.update(min_group_size=1), "min_group_size must be"),
        (lambda d: d.update(small_groups="shuffle"), "small_groups must be"),
        (lambda d: d.update(plan_version=99), "plan_version 99"),
        (lambda d: d.pop("plan_version"), "no 'plan_version'"),
        (lambda d: d.update(reference_date="last tuesday"), "reference_date must be a date"),
        (lambda d: d.update(colour="blue"), "unknown field 'colour'"),
        (lambda d: _col(d, "name").update(colour="blue"), "unknown field 'colour'"),
    ],
)
def test_bad_plans_give_one_clear_sentence(edit: callable, message: str) -> None:  # type: ignore[valid-type]
    with pytest.raises(PlanError) as caught:
        loads_plan(_edit(edit))
    text = str(caught.value)
    assert message in text
    assert "\n" not in text and text.endswith(".")


def test_plan_from_another_dataset_is_refused() -> None:
    plan = make_plan()
    with pytest.raises(PlanError, match="made for another dataset"):
        validate_plan(plan, ["person", "address", "phone"])
    with pytest.raises(PlanError, match="1 column\\(s\\) the plan does not know, such as 'email'"):
        validate_plan(plan, [*COLUMNS, "email"])
    with pytest.raises(PlanError, match="different order"):
        validate_plan(plan, list(reversed(COLUMNS)))
    validate_plan(plan, list(COLUMNS))


def test_unreadable_plan_files(tmp_path: Path) -> None:
    with pytest.raises(PlanError, match="no plan file"):
        load_plan(tmp_path / "missing.yaml")
    bad = tmp_path / "bad.yaml"
    bad.write_text("plan_version: 1\ncolumns: [unclosed\n", encoding="utf-8")
    with pytest.raises(PlanError, match="not valid YAML"):
        load_plan(bad)
    bad.write_text("- just\n- a list\n", encoding="utf-8")
    with pytest.raises(PlanError, match="must be a YAML mapping"):
        load_plan(bad)


def test_suppress_small_groups_columns_count_as_quasi_identifiers() -> None:
    plan = make_plan()
    assert plan.effective_quasi_identifiers() == ["dob", "postcode", "ethnicity"]
    assert plan.needs_key()
    assert not make_plan(columns=[ColumnRule(c, Action.DROP) for c in COLUMNS], quasi_identifiers=[]).needs_key()
