"""Fixtures for the export tests: the data, outputs and sharing areas' own fixtures, to fill a real record."""

from __future__ import annotations

from tests.portal.datasets.conftest import dataset_folders, messy_csv, source, upload  # noqa: F401
from tests.portal.outputs.conftest import approved_copy, build  # noqa: F401
from tests.portal.sharing.conftest import committed, publishable  # noqa: F401
