"""The engines ``--engine`` chooses between, shared by every command that reads a whole dataset."""

from __future__ import annotations

from enum import StrEnum


class Engine(StrEnum):
    """Backends ``--engine`` accepts (see the engine's backend seam)."""

    polars = "polars"
    spark = "spark"
