"""Fixtures for the sharing area: an approved chart of the project, a DPIA approved, data needing no agreement."""

from __future__ import annotations

from typing import Any

import pytest

from tests.portal.access import World
from tests.portal.datasets.conftest import dataset_folders  # noqa: F401 - the same private folders
from tests.portal.outputs.conftest import approved_copy, build  # noqa: F401 - the same fixtures

CHART = {"by": ["ward", "household_size"], "statistic": "count", "chart_kind": "bar", "preset": "ons"}


def approved_chart(world: World, copy: Any, built: Any, title: str = "Visits by ward and household size") -> Any:
    """A chart of the visits, built, checked and approved by information rights."""
    from community_insights.portal.outputs import services

    output = services.output_create(actor=world.user("data_analyst"), safe_copy=copy, kind="chart", title=title)
    version = built(
        actor=world.user("data_analyst"), output=output, settings=CHART,
        narrative="Most visits are from small households.", caveats="Not for funding applications.",
    )  # fmt: skip
    services.version_sign_off(
        actor=world.user("information_rights"), version=version, approve=True, comment="Checked every cell."
    )
    version.refresh_from_db()
    return version


def allow_publishing(world: World, copy: Any) -> None:
    """The governance gate opens: the data is not personal (no agreement needed) and the DPIA is approved."""
    from community_insights.portal.datasets.models import DataSource
    from tests.portal.governance.factories import approve_dpia

    source = copy.dataset.source
    source.legal_basis = DataSource.LegalBasis.NOT_PERSONAL
    source.save()
    approve_dpia(world)


@pytest.fixture
def chart(world: World, approved_copy: Any, build: Any) -> Any:  # noqa: F811 - the outputs fixtures
    return approved_chart(world, approved_copy, build)


@pytest.fixture
def publishable(world: World, approved_copy: Any, build: Any) -> Any:  # noqa: F811 - the outputs fixtures
    """An approved chart whose project may publish (governance); the final checks are the solutions area's."""
    version = approved_chart(world, approved_copy, build)
    allow_publishing(world, approved_copy)
    return version
