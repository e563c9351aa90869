"""The engine's backend seam: the few whole-table operations a data safety check hands to a query engine.

Why a seam: the check runs on one machine with Polars today, but a council
with a very large extract will want the same check on a cluster. As in Splink
(one linker, several database backends), the check's logic is written once
and a *backend* is injected into it. The backend answers two questions:

* :meth:`Backend.scan` — can this table be read whole as one lazy query (and
  if so, that query)? ``None`` sends the check down its batch-by-batch path,
  which every backend shares.
* :meth:`Backend.count` — how many records hold each combination of the key
  columns (quasi-identifiers, sensitive columns, areas)? The answer is a small
  Polars frame, one row per combination with a ``records`` column, however
  large the data: the mosaic and small-area rules then run on it unchanged.

One more, optional: :meth:`Backend.scan_free_text` lets a backend scan the
free-text columns where the data is (Spark, in its executors); by default
the check walks them batch by batch itself.

A backend implements the underscored hooks; the public methods are final
template methods, so what every backend must do the same way (turning a
backend's failure into the table's one plain sentence, checking the bytes a
row count did not parse) is written once, here. :class:`PolarsBackend` is the
one the check uses unless it is given another.
"""

from __future__ import annotations

import abc
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar, final

import polars as pl

from community_insights.safety.combinations import count_batches
from community_insights.safety.mosaic import count_combinations
from community_insights.safety.readers import limited

if TYPE_CHECKING:  # pragma: no cover - for type checkers only
    from community_insights.safety.errors import SafetyError
    from community_insights.safety.readers import Table
    from community_insights.safety.text_scan import FreeTextScanner

__all__ = ["Backend", "PolarsBackend", "TextQuery"]


class Backend(abc.ABC):
    """A query engine the check can hand whole-table work to (see the module's docstring)."""

    #: The backend's name, as messages and benchmarks show it.
    name: ClassVar[str]

    @final
    def scan(self, table: Table, *, settle: bool = True) -> Any | None:
        """``table`` as one lazy query of this backend, or ``None`` to count it batch by batch instead.

        ``settle=False`` asks for a query that does not wait for the reader's
        whole-file scan still running in the background (see ``Table.lazy``).
        """

        return self._scan(table, settle=settle)

    @final
    def count(self, table: Table, scan: Any, keys: Sequence[str], *, limit: int | None = None) -> pl.DataFrame:
        """Records per combination of ``keys`` in the first ``limit`` rows of ``scan``.

        With no keys the result is the number of records alone. A combination
        may appear on more than one row (its records split between them): the
        scoring groups again. A failure of the backend is raised
        as the table's own :class:`~community_insights.safety.errors.InputError`,
        one sentence without raw values.
        """

        try:
            counted = self._count(scan, keys, limit=limit)
        except self._errors() as exc:
            raise self._failure(table, exc) from exc
        if not keys:
            self._check_bytes(table)
        return counted

    @final
    def count_if_possible(self, table: Table, keys: Sequence[str], *, limit: int | None = None) -> pl.DataFrame | None:
        """:meth:`count` on a query that does not wait for the whole-file scan, or ``None`` if it fails.

        Lets the check count while the reader's scan is still running; on
        ``None`` it counts again once the scan has explained any failure.
        """

        scan = self.scan(table, settle=False)
        if scan is None:
            return None
        try:
            return self._count(scan, keys, limit=limit)
        except self._errors():
            return None

    @final
    def scan_free_text(
        self, table: Table, scan: Any, scanner: FreeTextScanner, *, limit: int | None, batch_rows: int
    ) -> bool:
        """Scan ``scanner``'s free-text columns of ``scan`` where the data is; ``False`` leaves it to the check.

        A backend that can (Spark, in its executors) fills the scanner's counts
        and examples and feeds its findings sink exactly as the check's own
        walk would, then marks the scanner done; a failure is the table's sentence.
        """

        try:
            return self._scan_free_text(table, scan, scanner, limit=limit, batch_rows=batch_rows)
        except self._errors() as exc:
            raise self._failure(table, exc) from exc

    def _scan_free_text(
        self, table: Table, scan: Any, scanner: FreeTextScanner, *, limit: int | None, batch_rows: int
    ) -> bool:
        """The backend's own free-text scan (see :meth:`scan_free_text`); by default the check walks the rows."""

        return False

    @abc.abstractmethod
    def _scan(self, table: Table, *, settle: bool) -> Any | None:
        """The backend's lazy query over ``table``, or ``None`` when it cannot read the table whole."""

    @abc.abstractmethod
    def _count(self, scan: Any, keys: Sequence[str], *, limit: int | None) -> pl.DataFrame:
        """Count the combinations (see :meth:`count`); raise one of :meth:`_errors` on a bad read."""

    def _failure(self, table: Table, exc: BaseException) -> SafetyError:
        """The one sentence for one of :meth:`_errors`: the table's read failure, unless the backend can tell more."""

        return table.read_failure()

    @abc.abstractmethod
    def _errors(self) -> tuple[type[BaseException], ...]:
        """The exceptions by which this backend says it could not read the data."""

    @abc.abstractmethod
    def _check_bytes(self, table: Table) -> None:
        """Make sure every byte of ``table`` is readable after a bare row count, which may not parse them.

        A backend that parses every row even to count them has nothing to do.
        """


@dataclass(frozen=True)
class TextQuery:
    """A delimited text file as :class:`PolarsBackend` reads it whole: block by block, never all at once.

    ``settle`` is :meth:`Backend.scan`'s: False reads the header's columns without waiting
    for the whole-file scan.
    """

    table: Table
    settle: bool


class PolarsBackend(Backend):
    """Polars on this machine: delimited text is counted block by block as it is parsed.

    Memory holds a block of the file and the counts so far (one row per distinct
    combination), never the rows read. Spreadsheets, Parquet and JSON Lines are
    counted batch by batch by the check itself.
    """

    name = "polars"

    def _scan(self, table: Table, *, settle: bool) -> TextQuery | None:
        if table.format not in ("csv", "tsv"):
            return None
        if settle:
            table.wait()
        return TextQuery(table, settle)

    def _count(self, scan: Any, keys: Sequence[str], *, limit: int | None) -> pl.DataFrame:
        if not keys:
            # A bare row count: Polars counts lines without parsing or holding them.
            lazy = scan.table.lazy(settle=scan.settle)
            return count_combinations(lazy, keys, limit=limit)
        keys = list(dict.fromkeys(keys))
        blocks = scan.table.text_batches(columns=keys, settle=scan.settle)
        return count_batches(limited(blocks, limit), keys)

    def _errors(self) -> tuple[type[BaseException], ...]:
        return (pl.exceptions.PolarsError,)

    def _check_bytes(self, table: Table) -> None:
        # Counting rows alone does not parse them, so Polars has not looked at every byte.
        table.check_utf8()
