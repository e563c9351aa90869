"""The rules an output is protected by, per call or from a named preset.

Why one data file: an information rights officer compares our outputs with
the conventions they already know (ONS and ACRO's defaults, the NHS "1 to 7
shown as *" convention, round-to-5). Keeping every preset in
``data/output_presets.toml`` means the rules are read in one place, can be
reviewed without reading code, and the command line, the portal and the
documentation all show the same figures.
"""

from __future__ import annotations

import dataclasses
import tomllib
from functools import cache
from importlib import resources
from typing import Any, Literal

import community_insights.safety.defaults as defaults
from community_insights.safety.disclosure import CONFIDENTIAL, DisclosureRules, ProtectedTable
from community_insights.safety.errors import InputError

OutputMethod = Literal["suppression", "rounding"]

_FIELDS = ("threshold", "p_percent", "nk_n", "nk_k", "hide_zeros", "method", "rounding_base", "mark")


@dataclasses.dataclass(frozen=True, slots=True)
class OutputRules:
    """Every rule one output is protected by (the engine's defaults unless set).

    ``preset`` names where the rules came from (with any overrides applied
    on top), so an output's notes can say "NHS convention, threshold 10".
    """

    preset: str = "ons"
    threshold: int = defaults.DEFAULT_THRESHOLD
    p_percent: float | None = defaults.DEFAULT_P_PERCENT
    nk_n: int = defaults.DEFAULT_NK_N
    nk_k: float | None = defaults.DEFAULT_NK_K
    hide_zeros: bool = False
    method: OutputMethod = "suppression"
    rounding_base: int = defaults.DEFAULT_ROUNDING_BASE
    mark: str = CONFIDENTIAL

    def __post_init__(self) -> None:
        if self.threshold < 1:
            raise InputError("The threshold must be at least 1.")
        if self.method not in ("suppression", "rounding"):
            raise InputError("The method must be suppression or rounding.")
        if self.rounding_base not in defaults.ROUNDING_BASES:
            raise InputError("Rounding is to base 5 or base 10.")
        if not self.mark.strip():
            raise InputError("The mark for hidden cells cannot be empty.")
        try:
            self.disclosure_rules()
        except ValueError as error:
            raise InputError(str(error)) from None

    def disclosure_rules(self) -> DisclosureRules:
        """The table engine's rules for these settings."""

        return DisclosureRules(
            threshold=self.threshold,
            hide_zeros=self.hide_zeros,
            p_percent=self.p_percent,
            nk_n=self.nk_n,
            nk_k=self.nk_k,
        )

    def describe(self) -> str:
        """The rules in plain words, for an output's notes."""

        parts = [f"Rules: {presets()[self.preset]['title'] if self.preset in presets() else self.preset}"]
        parts.append(f"groups of fewer than {self.threshold} people are hidden")
        if self.method == "rounding":
            parts.append(f"figures rounded to the nearest {self.rounding_base}")
        parts.append("zeros hidden" if self.hide_zeros else "zeros shown")
        parts.append(f"hidden cells marked {self.mark}")
        return "; ".join(parts) + "."


@cache
def _preset_file() -> dict[str, Any]:
    text = resources.files("community_insights.safety").joinpath("data/output_presets.toml").read_text("utf-8")
    return tomllib.loads(text)


def presets() -> dict[str, dict[str, Any]]:
    """Every named preset: its title, description and rules."""

    found: dict[str, dict[str, Any]] = _preset_file()["presets"]
    return found


def preset_names() -> list[str]:
    """The names a caller may give as ``preset``."""

    return list(presets())


def output_rules(preset: str | None = None, **overrides: Any) -> OutputRules:
    """The rules of ``preset`` (the default preset if ``None``) with ``overrides`` on top.

    ``None`` overrides are ignored, so the command line can pass every option
    it has. An unknown preset or rule name is one plain sentence.

    Example::

        output_rules("nhs", threshold=10)
    """

    name = preset or str(_preset_file()["default"])
    known = presets()
    if name not in known:
        raise InputError(f"There is no preset called {name!r}; choose one of {', '.join(known)}.")
    unknown = sorted(set(overrides) - set(_FIELDS))
    if unknown:
        raise InputError(f"There is no rule called {unknown[0]!r}.")
    values = {field: known[name][field] for field in _FIELDS if field in known[name]}
    values.update({k: v for k, v in overrides.items() if v is not None})
    return OutputRules(preset=name, **values)


def mark_hidden_cells(table: ProtectedTable, mark: str) -> ProtectedTable:
    """The same table with hidden cells shown as ``mark`` (the NHS's ``*``) instead of ``[c]``.

    Why a copy: the explanation and the figures stay exactly as protected;
    only the symbol a reader sees changes, in the cells and in the note.
    """

    if mark == CONFIDENTIAL:
        return table
    cells = [dataclasses.replace(c, mark=mark) if c.mark == CONFIDENTIAL else c for c in table.cells]
    note = table.metadata.note.replace(CONFIDENTIAL, mark)
    marked = dataclasses.replace(table, cells=cells, metadata=dataclasses.replace(table.metadata, note=note))
    marked._explanation = table.explain()
    return marked
