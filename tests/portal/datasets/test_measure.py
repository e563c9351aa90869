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
