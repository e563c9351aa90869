"""Who may open each page of the core area (see tests/portal/access.py)."""

from __future__ import annotations

from tests.portal.access import LOGIN, PUBLIC, SIGNED_IN, Case, expect

AUDIT_READERS = expect(LOGIN, default=403, staff=200, information_rights=200)

CASES = [
    Case("core:accessibility", expect=PUBLIC),
    Case("core:privacy", expect=PUBLIC),
    Case("core:health", expect=PUBLIC),
    Case("core:audit_log", expect=AUDIT_READERS),
    Case("core:audit_export", expect=AUDIT_READERS),
    Case("core:notification_preferences", expect=SIGNED_IN),
    Case(
        "core:notification_preferences",
        method="post",
        data=lambda w: {
            "waiting_for_you": "daily",
            "decisions": "weekly",
            "project_changes": "immediate",
            "from_the_public": "daily",
        },
        expect=expect(LOGIN, default=302),
    ),
]
