"""Who may open each page of the core area (see tests/portal/access.py)."""

from __future__ import annotations

from tests.portal.access import LOGIN, PUBLIC, Case, expect

AUDIT_READERS = expect(LOGIN, default=403, staff=200, information_rights=200)

CASES = [
    Case("core:accessibility", expect=PUBLIC),
    Case("core:privacy", expect=PUBLIC),
    Case("core:health", expect=PUBLIC),
    Case("core:audit_log", expect=AUDIT_READERS),
    Case("core:audit_export", expect=AUDIT_READERS),
]
