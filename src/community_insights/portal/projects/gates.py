"""What keeps a project in its phase, registered by the area that serves the phase.

The guide's phases end with more than a checklist: Phase 3 ends only once what
the team will share has passed its final checks. The area that knows (for
Phase 3, ``solutions``) registers a gate from its ``AppConfig.ready()``; the
projects area asks the gates before moving a project on, without importing
that area.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

#: A gate answers, for a project in its phase, the sentences saying why it cannot move on yet (none: it can).
Gate = Callable[[Any], list[str]]

_GATES: dict[int, list[Gate]] = {}


def register(phase: int, gate: Gate) -> None:
    """Keep projects in ``phase`` until ``gate`` has nothing to say."""
    if gate not in _GATES.setdefault(phase, []):
        _GATES[phase].append(gate)


def reasons_to_stay(project: Any) -> list[str]:
    """Every registered gate's sentences for the project's current phase."""
    return [reason for gate in _GATES.get(project.phase, []) for reason in gate(project)]
