"""The disclosure and risk defaults, in one place: the engine, the command line and the portal read them here.

A programme may choose stricter settings, but when nobody chooses, every part
of the system must apply the same rule; a default copied into a form, an
option and a model field drifts the day one copy changes. So each default is
written once, here, with the reason for its value:

* ``DEFAULT_THRESHOLD`` — the guide's rule that no group, area or published
  figure may describe fewer than ten people. It is the check's threshold, the
  remedy plan's smallest group, the tables' suppression threshold and the
  programme's setting until an officer changes it.
* ``DEFAULT_HOUSEHOLD_THRESHOLD`` — the guide's small-area rule: a postcode of
  fewer than ten households is too small to show.
* ``DEFAULT_P_PERCENT``, ``DEFAULT_NK_N``, ``DEFAULT_NK_K`` — the dominance
  rules for magnitude tables, at the values UK output checkers use (ACRO's
  defaults: p = 10%; n, k = 2, 90%).
* ``DEFAULT_ROUNDING_BASE`` and ``ROUNDING_BASES`` — rounding, when a table is
  rounded instead of suppressed, is to base 5 unless base 10 is asked for (the
  bases ONS releases use).
* ``SMALLEST_GROUP_SIZE`` — a remedy plan's smallest group may not be set
  below two: a "group" of one is a person.

This module imports nothing, so the portal's settings and models can read it
without loading the engine's data libraries.
"""

from __future__ import annotations

DEFAULT_THRESHOLD = 10
DEFAULT_HOUSEHOLD_THRESHOLD = 10
DEFAULT_P_PERCENT = 0.10
DEFAULT_NK_N = 2
DEFAULT_NK_K = 0.90
DEFAULT_ROUNDING_BASE = 5
ROUNDING_BASES = (5, 10)
SMALLEST_GROUP_SIZE = 2
