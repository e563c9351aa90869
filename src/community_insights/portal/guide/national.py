"""The national guide: the data files under ``guide/data/``, version 1's seed and every version's structure.

Kept apart from the loader so that the schema (which infers its shapes from these files) and the
loader (which checks each version against the schema) both use it without importing each other.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import yaml

DATA_DIR = Path(__file__).parent / "data"

#: The guide's sections, in the order the guide's pages show them: file name, heading.
SECTIONS: tuple[tuple[str, str], ...] = (
    ("phases", "Phases, steps and what we have achieved"),
    ("roles", "Roles"),
    ("principles", "Ways of working"),
    ("scoping", "The scoping session"),
    ("public_datasets", "Public datasets"),
    ("skills", "People and skills"),
    ("criteria", "Selection criteria"),
    ("next_steps", "Next steps after selection"),
    ("insights_to_actions", "Insights to actions"),
)
SECTION_NAMES = tuple(name for name, _ in SECTIONS)


@cache
def national(name: str) -> Any:
    """The national guide's data file ``name`` (without ``.yaml``): version 1's seed and every version's structure."""
    if name not in SECTION_NAMES:
        raise KeyError(f"The guide has no data file called {name!r}.")
    return yaml.safe_load((DATA_DIR / f"{name}.yaml").read_text(encoding="utf-8"))


def national_content() -> dict[str, Any]:
    """The whole national guide, one entry per section: what version 1 is seeded with."""
    return {name: national(name) for name in SECTION_NAMES}
