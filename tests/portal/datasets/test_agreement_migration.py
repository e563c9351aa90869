"""The old free-text agreement fields leave the data source without losing a word: they become a note."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from tests.portal.access import World

BEFORE = [("datasets", "0001_initial")]
AFTER = [("datasets", "0002_agreement_status_from_governance")]


def _migrate(target: list[tuple[str, str]]) -> MigrationExecutor:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(target)
    return MigrationExecutor(connection)


@pytest.mark.django_db(transaction=True)
def test_the_reference_and_status_typed_before_are_kept_as_a_note_and_come_back(world: World) -> None:
    old_apps = _migrate(BEFORE).loader.project_state(BEFORE).apps
    old = old_apps.get_model("datasets", "DataSource")
    common = {"project_id": world.project.pk, "category": "vcs", "owner_organisation_id": world.organisations["vcs"].pk}
    old.objects.create(
        name="Visit log", description="Visits.", agreement_reference="NFP-2025-03", agreement_status="signed", **common
    )
    old.objects.create(name="Call sheet", description="Calls.", agreement_status="needed", **common)
    old.objects.create(name="Survey", description="", agreement_status="not_needed", **common)

    new = _migrate(AFTER).loader.project_state(AFTER).apps.get_model("datasets", "DataSource")
    notes = dict(new.objects.values_list("name", "description"))
    assert notes == {
        "Visit log": "Visits.\n\nRecorded before sharing agreements were kept in the portal: agreement "
        "reference NFP-2025-03, status Signed.",
        "Call sheet": "Calls.",  # the default said nothing: no note
        "Survey": "Recorded before sharing agreements were kept in the portal: agreement status Not needed.",
    }

    back = _migrate(BEFORE).loader.project_state(BEFORE).apps.get_model("datasets", "DataSource")
    rows = {s.name: (s.description, s.agreement_reference, s.agreement_status) for s in back.objects.all()}
    assert rows["Visit log"] == ("Visits.", "NFP-2025-03", "signed")
    assert rows["Survey"] == ("", "", "not_needed")


@pytest.fixture(autouse=True)
def _every_migration_afterwards() -> Iterator[None]:
    """Going back to 0001 also unapplies every later migration that needs it (any app's): the tests after
    this one need the whole schema back, not only the migration this test is about."""

    yield
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
