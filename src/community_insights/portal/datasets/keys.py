"""The programme's pseudonymisation key (guide, Phase 2, Part 2: the data safety check's safe copy).

Each programme has its own key, one active at a time (matching across programmes
needs a recorded agreement: ``key_agreements``). It is made on first use, sealed at rest, and
rotated by the information rights expert as a recorded action; safe copies
record which key made their tokens.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from community_insights.portal.core import audit
from community_insights.portal.core.exceptions import ApplicationError, require
from community_insights.portal.datasets import engine, permissions
from community_insights.portal.datasets.encryption import seal_bytes
from community_insights.portal.datasets.models import PseudonymisationKey
from community_insights.portal.programme.current import current_programme, current_programme_id
from community_insights.portal.programme.models import Programme


def active_key(*, actor: Any, programme: Programme | None = None) -> PseudonymisationKey:
    """The programme's active key (the current programme's by default), made and recorded on first use."""
    programme = programme or current_programme()
    key_row = PseudonymisationKey.objects.filter(is_active=True, programme_id=programme.pk).first()
    if key_row is not None:
        return key_row
    with transaction.atomic():
        key, fingerprint = engine.new_key()
        key_row = PseudonymisationKey.objects.create(
            programme_id=programme.pk,
            key_id=fingerprint,
            sealed_key=seal_bytes(key),
            created_by=actor if getattr(actor, "pk", None) else None,
        )
        audit.record(
            actor=actor or "background worker",
            action="datasets.key_create",
            target=key_row,
            changes={"key_id": fingerprint},
        )
    return key_row


@transaction.atomic
def key_rotate(*, actor: Any, reason: str) -> PseudonymisationKey:
    """Retire the programme's pseudonymisation key and start a new one (a recorded action).

    Tokens made with the new key will not match tokens in earlier safe copies; that is the point
    when a key may have leaked, and the reason is kept in the audit trail.
    """
    require(permissions.can_rotate_key(actor), "Only an information rights expert can rotate the key.")
    if not reason.strip():
        raise ApplicationError("Say why the key is being rotated.")
    programme_id = current_programme_id()
    old = PseudonymisationKey.objects.select_for_update().filter(is_active=True, programme_id=programme_id).first()
    if old is not None:
        old.is_active = False
        old.retired_at = timezone.now()
        old.save(update_fields=["is_active", "retired_at", "updated_at"])
    key, fingerprint = engine.new_key()
    new = PseudonymisationKey.objects.create(
        programme_id=programme_id, key_id=fingerprint, sealed_key=seal_bytes(key), created_by=actor
    )
    audit.record(
        actor=actor,
        action="datasets.key_rotate",
        target=new,
        changes={"retired_key_id": old.key_id if old else None, "key_id": fingerprint, "reason": reason.strip()[:500]},
    )
    return new
