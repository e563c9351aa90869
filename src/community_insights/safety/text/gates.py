"""Every Polars gate of the span finder, computed in one pass over a batch of notes.

Why a module of its own: the span finder asks Polars three questions of each
note before any Python reads it: which identifier patterns could match
(``identifiers``), how the note is cased (``names``), and which of the rules
for notes written elsewhere could apply (``context``). Asked separately, each
question built its own frame of the notes and compiled its own regular
expressions, and a check asked them per chunk of 2,000 notes inside each
worker process: the large patterns (every street word, every firm, every
special-category phrase) were compiled again for every chunk. Here they are
one ``select`` over the whole batch of distinct notes, made once in the check's
own process, and each chunk of notes travels to its worker with its rows of
the result. The expressions are the modules' own, so every gate says exactly
what it said before.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence

import polars as pl

from community_insights.safety.text.context import gate_exprs
from community_insights.safety.text.identifiers import gate_mask_expr
from community_insights.safety.text.names import case_count_exprs

__all__ = ["IDENTIFIER_MASK", "gate_frame"]

#: The column of identifier patterns worth running on a note (a bit mask, see ``identifiers.gate_masks``).
IDENTIFIER_MASK = "identifiers"


@functools.cache
def _exprs() -> tuple[pl.Expr, ...]:
    return (gate_mask_expr().alias(IDENTIFIER_MASK), *case_count_exprs(), *gate_exprs())


def gate_frame(texts: pl.Series | Sequence[str]) -> pl.DataFrame:
    """One row per note: its identifier mask, its letter and capital counts, and every rule gate of ``context``."""

    series = texts if isinstance(texts, pl.Series) else pl.Series(list(texts), dtype=pl.String)
    return series.cast(pl.String).alias("t").to_frame().select(_exprs())
