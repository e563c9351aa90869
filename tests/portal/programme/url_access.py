"""Who may open each page of the programme area (see tests/portal/access.py)."""

from __future__ import annotations

from tests.portal.access import PUBLIC, STAFF_ONLY, Case

CASES = [
    Case("programme:landing", expect=PUBLIC),
    Case("programme:programme_edit", expect=STAFF_ONLY),
]
