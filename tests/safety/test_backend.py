"""The backend seam: the check counts through the backend it is given, and every backend behaves alike.

The backends here are real ones (Polars underneath) with one behaviour
changed, as a cluster backend would change it: they show the check relies on
the seam alone, not on Polars' own calls.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import polars as pl
import pytest

from community_insights.safety import (
    Backend,
    CheckOptions,
    InputError,
    PolarsBackend,
    check_dataset,
    to_jsonable,
)
from community_insights.safety.synth import generate_export


@pytest.fixture(scope="module")
def export_csv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("backend") / "export.csv"
    generate_export(800, seed=5).frame.write_csv(path)
    return path


class RecordingBackend(PolarsBackend):
    """Polars, noting which combinations it was asked to count."""

    def __init__(self) -> None:
        self.counted: list[list[str]] = []

    def _count(self, scan: Any, keys: Sequence[str], *, limit: int | None) -> pl.DataFrame:
        self.counted.append(list(keys))
        return super()._count(scan, keys, limit=limit)


class BatchOnlyBackend(RecordingBackend):
    """A backend that cannot read a table whole: the check walks it batch by batch instead."""

    def _scan(self, table: Any, *, settle: bool) -> None:
        return None


class FailingBackend(PolarsBackend):
    """A backend whose engine refuses the data, with a message that quotes a cell."""

    def _count(self, scan: Any, keys: Sequence[str], *, limit: int | None) -> pl.DataFrame:
        raise pl.exceptions.ComputeError("could not parse 'Jane Smith' in column name")


def _risk_parts(report: Any) -> dict[str, Any]:
    data = to_jsonable(report)
    return {part: data[part] for part in ("columns", "small_areas", "mosaic")}


def test_the_check_counts_through_the_backend_it_is_given(export_csv: Path) -> None:
    backend = RecordingBackend()
    report = check_dataset(export_csv, CheckOptions(free_text=False), backend=backend)
    assert backend.counted, "the injected backend was not used"
    assert set(report.mosaic.quasi_identifiers) <= set(backend.counted[-1])
    assert _risk_parts(report) == _risk_parts(check_dataset(export_csv, CheckOptions(free_text=False)))


def test_a_backend_that_cannot_scan_is_walked_batch_by_batch_with_the_same_findings(export_csv: Path) -> None:
    options = CheckOptions(free_text=False)
    batch_only = BatchOnlyBackend()
    walked = check_dataset(export_csv, options, backend=batch_only)
    streamed = check_dataset(export_csv, options, backend=PolarsBackend())
    assert batch_only.counted == []  # nothing was counted as a whole table
    assert _risk_parts(walked) == _risk_parts(streamed)
    assert walked.mosaic.quasi_identifiers and walked.small_areas.areas  # something was counted


def test_a_backend_failure_is_one_sentence_without_the_data(export_csv: Path) -> None:
    with pytest.raises(InputError) as raised:
        check_dataset(export_csv, CheckOptions(free_text=False), backend=FailingBackend())
    assert "Jane" not in str(raised.value)
    assert str(raised.value).endswith(".")


def test_a_backend_must_provide_every_hook() -> None:
    class ScanOnly(Backend):
        name = "scan only"

        def _scan(self, table: Any, *, settle: bool) -> None:
            return None

    with pytest.raises(TypeError):
        ScanOnly()  # type: ignore[abstract]
