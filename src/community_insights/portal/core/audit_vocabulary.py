"""The audit log's vocabulary: every action name the portal records, with the words the audit page shows.

It sits apart from ``core.audit`` (which writes entries and so needs the
``AuditEntry`` model) so that the model can describe its own action without
importing the module that imports it: no import cycle between the two.
"""

from __future__ import annotations

ACTIONS: dict[str, str] = {}


def declare(**actions: str) -> None:
    """Declare audit actions: ``declare(**{"projects.project_create": "Created a project"})``."""
    ACTIONS.update(actions)


declare(
    **{
        "core.login": "Signed in",
        "core.logout": "Signed out",
        "core.login_failed": "A sign-in failed",
        "core.audit_export": "Exported the audit log",
    }
)

declare(
    **{
        "core.notification_preferences_change": "Changed how they get emails",
        "core.digest_send": "Sent a digest email",
    }
)
