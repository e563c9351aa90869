"""Fixtures for the governance tests: a project with a checked, planned dataset of special category data."""

from __future__ import annotations

from typing import Any

import pytest

from community_insights.portal.datasets.models import Dataset
from tests.portal.access import World
from tests.portal.governance.factories import make_checked, make_source


@pytest.fixture
def checked(world: World) -> Dataset:
    return make_checked(world, make_source(world))


@pytest.fixture
def facilitator(world: World) -> Any:
    return world.user("facilitator")


@pytest.fixture
def iro(world: World) -> Any:
    return world.user("information_rights")
