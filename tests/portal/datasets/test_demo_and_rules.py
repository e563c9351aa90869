"""The demo loads an inventory in every category once; each permission rule says yes and no to the right people."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest

from community_insights.portal.datasets import demo, permissions
from community_insights.portal.datasets.models import Dataset, DatasetJob, DataSource
from tests.portal.access import ROLE_PERSONAS, World


@pytest.mark.django_db
def test_demo_loads_each_category_once_and_queues_a_check(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    context = SimpleNamespace(
        projects={"food_insecurity": world.project},
        users={"delivery_lead": world.user("delivery_lead"), "analyst": world.user("data_analyst")},
        organisations={"council": world.organisations["council"], "food": world.organisations["vcs"]},
        log=lambda message: None,
    )
    with django_capture_on_commit_callbacks(execute=True):
        demo.load(context)
    demo.load(context)
    assert {s.category for s in DataSource.objects.all()} == set(DataSource.Category.values)
    assert DataSource.objects.count() == len(demo.SOURCES)
    dataset = Dataset.objects.get()
    assert dataset.jobs.get().status == DatasetJob.Status.SUCCEEDED
    assert dataset.check_results.get().verdict == "not shareable"


def _source(world: World, owner: str = "council") -> DataSource:
    return DataSource.objects.create(
        project=world.project, name="S", category="vcs", owner_organisation=world.organisations[owner]
    )


@pytest.mark.django_db
def test_upload_rule_needs_the_owning_organisation_and_the_team(world: World) -> None:
    council, vcs = _source(world), _source(world, "vcs")
    allowed_council = {p for p in ROLE_PERSONAS if permissions.can_upload_dataset(world.user(p), council)}
    allowed_vcs = {p for p in ROLE_PERSONAS if permissions.can_upload_dataset(world.user(p), vcs)}
    assert allowed_council == {
        "delivery_lead",
        "data_analyst",
        "communities_representative",
        "contracts_legal",
        "information_rights",
    }
    assert allowed_vcs == {"vcs_member_lead", "advisory_panel", "subject_matter_expert"}
    assert not permissions.can_upload_dataset(world.user("staff"), council)
    assert not permissions.can_upload_dataset(world.user("outsider"), council)


@pytest.mark.django_db
def test_raw_download_rule_is_the_owning_organisations_analysts_only(world: World) -> None:
    council, vcs = _source(world), _source(world, "vcs")
    assert {p for p in ROLE_PERSONAS if permissions.can_download_raw(world.user(p), council)} == {"data_analyst"}
    assert {p for p in ROLE_PERSONAS if permissions.can_download_raw(world.user(p), vcs)} == set()


@pytest.mark.django_db
def test_sign_off_audit_and_key_rules_belong_to_information_rights(world: World) -> None:
    for rule in (permissions.can_sign_off, permissions.can_view_audit):
        assert {p for p in ROLE_PERSONAS if rule(world.user(p), world.project)} == {"information_rights"}
        assert not rule(world.user("staff"), world.project)
    assert {p for p in ROLE_PERSONAS if permissions.can_rotate_key(world.user(p))} == {"information_rights"}


@pytest.mark.django_db
def test_everyone_on_the_team_and_staff_see_the_inventory_but_staff_get_no_data(world: World) -> None:
    assert all(permissions.can_view_datasets(world.user(p), world.project) for p in ROLE_PERSONAS)
    assert permissions.can_view_datasets(world.user("staff"), world.project)
    assert not permissions.can_view_datasets(world.user("outsider"), world.project)
    assert all(permissions.can_download_safe_copy(world.user(p), world.project) for p in ROLE_PERSONAS)
    assert not permissions.can_download_safe_copy(world.user("staff"), world.project)
