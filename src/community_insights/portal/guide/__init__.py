"""The guide's data: one loader for the YAML files that carry the guide's words into the portal.

The portal follows the Community Insights user guide: its phases and "What we
have achieved" checklists, its roles, the scoping session's agenda, the skills
table, the selection criteria, the next steps after selection and the ways of
working. Each of those lives in one file under ``guide/data/``, read once
through :func:`read` and cached. The areas turn the raw data into their own
typed shapes (``projects.phases``, ``ideas.guide``, ``selection.guide``,
``people.roles``) but never open a file themselves, so that a later change can
keep several versions of the guide side by side (one folder per version)
behind this one function.

A checklist anywhere in the guide is a :class:`ChecklistItem`: the phase's
"What we have achieved" lists and the next steps after selection alike.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

DATA_DIR = Path(__file__).parent / "data"


@dataclass(frozen=True)
class ChecklistItem:
    """One thing to tick off: its key (stored on ticks), the guide's words, and where in the guide it sits.

    ``phase`` is the guide's phase number; ``part`` is the key of the part of
    that phase (or of the named checklist within it) the item belongs to.
    """

    key: str
    text: str
    phase: int
    part: str


@cache
def read(name: str) -> Any:
    """The parsed contents of the guide's data file ``name`` (without ``.yaml``), read once."""
    path = DATA_DIR / f"{name}.yaml"
    if not path.is_file():
        raise KeyError(f"The guide has no data file called {name!r}.")
    return yaml.safe_load(path.read_text(encoding="utf-8"))
