"""Figures counted from the safe copy itself, and the warning when a plan wipes out a column."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from community_insights.portal.datasets.measure import measure_file, removal_warnings


def test_figures_are_counted_from_the_written_file(tmp_path: Path) -> None:
    path = tmp_path / "safe.csv"
    path.write_text("ward,ethnicity,notes\nCastle,*,ok\nAbbey,*,\nCastle,*,[NAME] called\n", encoding="utf-8")
    measured = measure_file(path)
    assert measured["rows"] == 3
    assert measured["columns"]["ward"] == {"blank": 0, "suppressed": 0, "distinct": 2, "values": 3}
    assert measured["columns"]["ethnicity"]["suppressed"] == 3 and measured["columns"]["ethnicity"]["values"] == 0
    assert measured["columns"]["notes"]["blank"] == 1


def test_a_column_that_lost_more_than_half_its_values_is_warned_about_with_the_ons_groups(tmp_path: Path) -> None:
    path = tmp_path / "safe.csv"
    path.write_text("ward,ethnicity\nCastle,*\nAbbey,*\nCastle,White\n", encoding="utf-8")
    report = {
        "columns": [{"name": "ward", "values_in": 3}, {"name": "ethnicity", "values_in": 3}],
        "measured": measure_file(path),
    }
    (warning,) = removal_warnings(report)
    assert warning.startswith("ethnicity: 2 of 3 values in the safe copy are blank or * (removed).")
    assert "five ONS high-level groups" in warning and "Mixed or Multiple ethnic groups" in warning
    assert removal_warnings({"columns": report["columns"]}) == [], "no figures from the file, no guess"


def test_before_the_copy_is_made_a_kept_quasi_identifier_with_small_groups_is_forecast() -> None:
    from community_insights.portal.datasets.measure import likely_removals

    report = {
        "columns": [
            {"name": "ethnicity", "evidence": {"non_empty": 178, "distinct": 19}},
            {"name": "ward", "evidence": {"non_empty": 178, "distinct": 4}},
            {"name": "postcode", "evidence": {"non_empty": 178, "distinct": 150}},
        ]
    }
    plan = {
        "min_group_size": 10,
        "quasi_identifiers": ["ethnicity", "ward", "postcode"],
        "columns": [
            {"column": "ethnicity", "action": "keep"},
            {"column": "ward", "action": "suppress_small_groups"},
            {"column": "postcode", "action": "generalise"},
        ],
    }
    (warning,) = likely_removals(report, plan)
    assert warning.startswith("ethnicity: 19 different values in 178 records") and "ONS high-level groups" in warning
    plan["quasi_identifiers"] = ["ward", "postcode"]
    assert likely_removals(report, plan) == [], "only quasi-identifiers are suppressed in small groups"


@pytest.mark.django_db
def test_the_plan_page_warns_before_the_safe_copy_is_made(world: Any, upload: Any) -> None:
    from django.test import Client
    from django.urls import reverse

    from community_insights.portal.datasets import services

    dataset = upload()
    services.plan_create(actor=world.user("data_analyst"), dataset=dataset)
    client = Client()
    client.force_login(world.user("data_analyst"))
    page = client.get(reverse("datasets:plan_detail", kwargs={"dataset_id": dataset.pk, "number": 1})).content.decode()
    assert 'id="likely-removals"' in page and "ethnicity is kept as it is" in page and "ONS high-level groups" in page


@pytest.mark.django_db
def test_the_warning_offers_the_ons_groups_and_the_analyst_can_pick_them(
    world: Any, upload: Any, client_for: Any, django_capture_on_commit_callbacks: Any
) -> None:
    import re

    from django.urls import reverse

    from community_insights.portal.datasets import engine, services
    from community_insights.portal.datasets.forms import params_to_text

    dataset = upload()
    services.plan_create(actor=world.user("data_analyst"), dataset=dataset)
    client = client_for("data_analyst")
    detail = reverse("datasets:plan_detail", kwargs={"dataset_id": dataset.pk, "number": 1})
    edit = reverse("datasets:plan_edit", kwargs={"dataset_id": dataset.pk, "number": 1})
    page = client.get(detail).content.decode()
    assert f'href="{edit}?group_ethnicity=ethnicity">Group ethnicity into the five ONS high-level ethnic groups' in page

    form = client.get(edit + "?group_ethnicity=ethnicity").content.decode()
    assert 'id="grouped-column"' in form and "Ethnicity grouped into the five ONS high-level groups" in form
    index = engine.plan_to_dict(engine.load_plan_text(dataset.plans.get(number=1).plan_yaml))["columns"]
    i = next(n for n, entry in enumerate(index) if entry["column"] == "ethnicity")
    chosen = re.search(rf'<select[^>]*name="to_{i}".*?</select>', form, re.S)
    assert chosen and 'value="ons_ethnic_group_5" selected' in chosen.group(0)
    assert re.search(rf'<select[^>]*name="action_{i}".*?value="generalise" selected', form, re.S)

    post: dict[str, Any] = {"min_group_size": 10, "small_groups": "generalise", "change_note": "Grouped ethnicity."}
    post["quasi_identifiers"] = ["ward", "ethnicity"]
    for n, entry in enumerate(index):
        post[f"action_{n}"], post[f"params_{n}"] = entry["action"], params_to_text(entry.get("params"))
        post[f"reason_{n}"] = ""
    post[f"action_{i}"], post[f"params_{i}"], post[f"to_{i}"] = "generalise", "", "ons_ethnic_group_5"
    assert client.post(edit + "?group_ethnicity=ethnicity", post).status_code == 302
    plan = dataset.plans.get(number=2)
    rule = next(
        c for c in engine.plan_to_dict(engine.load_plan_text(plan.plan_yaml))["columns"] if c["column"] == "ethnicity"
    )
    assert rule["action"] == "generalise" and rule["params"] == {"to": "ons_ethnic_group_5"}
    with django_capture_on_commit_callbacks(execute=True):
        services.plan_apply(actor=world.user("data_analyst"), plan=plan)
    plan.refresh_from_db()
    measured = plan.safe_copy.report["measured"]["columns"]["ethnicity"]
    assert 0 < measured["distinct"] <= 5, "at most the five groups are left in the safe copy"
    assert "Group ethnicity" not in client.get(detail.replace("/1/", "/2/")).content.decode()


def test_only_an_ethnicity_column_not_grouped_yet_is_offered_the_ons_groups() -> None:
    from community_insights.portal.datasets.measure import ethnicity_alternatives, with_ethnic_groups

    plan = {
        "columns": [
            {"column": "ethnic_origin", "action": "keep", "pii_types": ["ETHNICITY"]},
            {"column": "race", "action": "keep", "pii_types": ["ETHNICITY"]},
            {"column": "ethnicity", "action": "generalise", "params": {"to": "ons_ethnic_group_5"}},
            {"column": "ward", "action": "keep"},
        ]
    }
    warned = [("race", "…"), ("ethnicity", "…"), ("ward", "…")]
    assert ethnicity_alternatives(warned, plan) == ["race"], "found by the check, not by its header"
    assert with_ethnic_groups(plan, "ward") is None and with_ethnic_groups(plan, "missing") is None
    grouped = with_ethnic_groups(plan, "race")
    assert grouped is not None and grouped["columns"][1]["params"] == {"to": "ons_ethnic_group_5"}
    assert plan["columns"][1]["action"] == "keep", "the stored plan is not changed until the analyst saves"
