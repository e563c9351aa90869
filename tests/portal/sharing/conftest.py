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


@pytest.fixture
def committed(django_capture_on_commit_callbacks: Any) -> Any:
    """``with committed(): ...`` runs what the block queued on commit (emails), as a real commit would."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def pass_final_checks(world: World, version: Any, capture: Any) -> None:
    """Phase 3's final checks on the version's real files, then every question a person answers: yes."""
    from community_insights.portal.solutions import final_checks
    from community_insights.portal.solutions import services as solutions

    with capture(execute=True):
        solutions.final_checks_run(actor=world.user("data_analyst"), version=version)
    for question in final_checks.QUESTIONS:
        solutions.final_check_answer(
            actor=world.user("delivery_lead"), version=version, key=question.key, answer="yes", note="Tried it."
        )


def publish_overview(world: World, **over: Any) -> Any:
    """The facilitator publishes an overview (the DPIA approved first, as the governance gate asks)."""
    from community_insights.portal.sharing import services
    from tests.portal.governance.factories import approve_dpia

    approve_dpia(world)
    words = {
        "title": "Food insecurity: what we learned",
        "findings": "Families who work shifts miss the food bank's opening hours.",
        "caveats": "An overview of the problem and process; not for planning services.",
        "method": "Interviews with families and a workshop with the food partnership.",
        "data_sources": "Conversations with families; the food partnership's opening hours.",
        **over,
    }
    return services.overview_publish(actor=world.user("facilitator"), project=world.project, **words)
