"""One audit vocabulary for the whole portal, and the one way to write an entry.

Every service calls :func:`record` inside its transaction. Action names are
declared in ``core.audit_vocabulary`` (like Zulip's ``AuditLogEventType``) and
re-exported here, so the audit page can describe them and a test can check that
every action used is declared. Areas add their own actions with :func:`declare`
in their ``audit_actions.py`` module, which ``core.apps`` never needs to import
by name.
"""

from __future__ import annotations

import threading
from typing import Any

from django.db import models

from community_insights.portal.core.audit_vocabulary import ACTIONS as ACTIONS
from community_insights.portal.core.audit_vocabulary import declare as declare
from community_insights.portal.core.models import AuditEntry

_request_ip = threading.local()


def set_request_ip(ip: str | None) -> None:
    """Remember the current request's address so entries say where an action came from."""
    _request_ip.value = ip


def _programme_id_of(target: models.Model | None) -> int | None:
    """The programme an entry belongs to, so each programme's staff read only their own trail.

    The target's own programme when it has one (a project, a news post), the
    programme of its project otherwise, else the programme being worked in.
    """
    from community_insights.portal.programme.current import current_programme_id

    if target is not None:
        if target._meta.label_lower == "programme.programme":
            return target.pk
        if getattr(target, "programme_id", None) is not None:
            return int(target.programme_id)  # type: ignore[attr-defined]
        project = getattr(target, "project", None)
        if project is not None and getattr(project, "programme_id", None) is not None:
            return int(project.programme_id)
    return current_programme_id()


def record(
    *,
    actor: Any,
    action: str,
    target: models.Model | None = None,
    project_id: int | None = None,
    changes: dict[str, Any] | None = None,
    ip_address: str | None = None,
) -> AuditEntry:
    """Write one append-only audit entry.

    ``changes`` must hold no raw personal data: statuses, field names, counts and
    identifiers only.
    """
    if action not in ACTIONS:
        raise ValueError(f"Audit action {action!r} is not declared.")
    actor_obj = actor if getattr(actor, "is_authenticated", False) else None
    actor_label = ""
    if actor_obj is not None:
        actor_label = getattr(actor_obj, "email", "") or str(actor_obj)
    elif isinstance(actor, str):
        actor_label = actor
    else:
        actor_label = "anonymous"
    if project_id is None and target is not None:
        project_id = getattr(target, "project_id", None)
        if project_id is None and target.__class__.__name__ == "Project":
            project_id = target.pk
    return AuditEntry.objects.create(
        actor=actor_obj,
        actor_label=actor_label[:255],
        action=action,
        target_type=target._meta.label_lower if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        target_label=str(target)[:255] if target is not None else "",
        project_id=project_id,
        programme_id=_programme_id_of(target),
        ip_address=ip_address or getattr(_request_ip, "value", None),
        changes=changes or {},
    )
