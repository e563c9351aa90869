"""Matching pseudonyms across programmes, only by a recorded agreement (issue 22, point 2).

Each programme pseudonymises with its own key, so their tokens never match. Two
programmes that need to match (a person known to both partnerships) record an
agreement: who proposed it, why, until when. An information rights officer of
each programme approves it; only then is a shared key made, and while the
agreement is in force both programmes' safe copies use it. After ``ends_on``
each goes back to its own key, so copies made later no longer match.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from community_insights.portal.core import audit
from community_insights.portal.core.exceptions import ApplicationError, NotPermitted
from community_insights.portal.core.notifications import Message, absolute_link, notify
from community_insights.portal.datasets import engine
from community_insights.portal.datasets.encryption import seal_bytes
from community_insights.portal.datasets.keys import active_key
from community_insights.portal.datasets.models import KeySharingAgreement
from community_insights.portal.programme.models import Programme
from community_insights.portal.projects.models import ProjectRole


def is_information_rights_officer_of(user: Any, programme: Programme) -> bool:
    """Holds the information rights role on a project of ``programme`` (whichever programme is current)."""
    if not (getattr(user, "is_authenticated", False) and user.is_active):
        return False
    return ProjectRole.objects.filter(user=user, role="information_rights", project__programme=programme).exists()


def officer_emails(programme: Programme) -> list[str]:
    """The email addresses of ``programme``'s information rights officers (the people who approve for it)."""
    roles = ProjectRole.objects.filter(role="information_rights", project__programme=programme, user__is_active=True)
    return list(roles.exclude(user__email="").values_list("user__email", flat=True).distinct().order_by("user__email"))


def agreement_state(agreement: KeySharingAgreement, *, on: date | None = None) -> str:
    """Where an agreement stands, in the words its pages use: "Proposed", "In force" or "Ended"."""
    day = on or timezone.localdate()
    if agreement.ends_on < day:
        return "Ended"
    return "In force" if agreement.is_approved else "Proposed"


def _tell(
    agreement: KeySharingAgreement, *, side: Programme, template: str, subject: str, told: Sequence[str] = ()
) -> list[str]:
    """Email the officers of one side about the agreement (sent once the change is committed).

    The link names that side's programme, so an officer of both opens the agreement in the programme
    they approve it for. Answers who was told, so someone already told about the other side is not told twice.
    """
    path = reverse("datasets:key_agreement_detail", kwargs={"agreement_id": agreement.pk})
    context = {
        "programme": agreement.programme.name,
        "partner": agreement.partner.name,
        "purpose": agreement.purpose,
        "ends_on": agreement.ends_on,
        "url": absolute_link(path, programme=side),
    }
    to = [email for email in officer_emails(side) if email not in told]
    notify(Message(to=to, subject=subject, template=template, context=context))
    return to


def agreements_in_force(programme: Programme, *, on: date | None = None) -> QuerySet[KeySharingAgreement]:
    """Approved agreements of ``programme`` (either side) whose end date has not passed on ``on``."""
    day = on or timezone.localdate()
    return KeySharingAgreement.objects.filter(
        Q(programme=programme) | Q(partner=programme),
        approved_at__isnull=False,
        partner_approved_at__isnull=False,
        ends_on__gte=day,
    ).order_by("-partner_approved_at")


def key_in_use(*, programme: Programme, actor: Any, on: date | None = None) -> tuple[bytes, str]:
    """The sealed key and its fingerprint a safe copy of ``programme`` is made with today.

    The shared key of an agreement in force, otherwise the programme's own active
    key (made on first use). Approval refuses a second agreement in force for a
    programme, so there is never more than one to choose from.
    """
    agreement = agreements_in_force(programme, on=on).first()
    if agreement is not None:
        return bytes(agreement.sealed_key), agreement.key_id
    own = active_key(actor=actor, programme=programme)
    return bytes(own.sealed_key), own.key_id


@transaction.atomic
def key_agreement_propose(
    *, actor: Any, programme: Programme, partner: Programme, purpose: str, ends_on: date
) -> KeySharingAgreement:
    """Record a proposal to share a key with ``partner``; nothing is shared until both sides approve."""
    if not is_information_rights_officer_of(actor, programme):
        raise NotPermitted("Only an information rights officer of the programme can propose sharing its key.")
    if partner.pk == programme.pk:
        raise ApplicationError("Choose another programme to share the key with.", field="partner")
    if not purpose.strip():
        raise ApplicationError("Say why the two programmes need to match pseudonyms.", field="purpose")
    if ends_on < timezone.localdate():
        raise ApplicationError("The end date must be today or later.", field="ends_on")
    agreement = KeySharingAgreement.objects.create(
        programme=programme, partner=partner, purpose=purpose.strip(), ends_on=ends_on, proposed_by=actor
    )
    audit.record(
        actor=actor,
        action="datasets.key_agreement_propose",
        target=agreement,
        changes={"partner_id": partner.pk, "ends_on": ends_on.isoformat()},
    )
    _tell(
        agreement,
        side=partner,
        template="datasets/email/key_agreement_proposed",
        subject=f"{programme.name} asks to match pseudonyms with {partner.name}",
    )
    return agreement


@transaction.atomic
def key_agreement_approve(*, actor: Any, agreement: KeySharingAgreement, programme: Programme) -> KeySharingAgreement:
    """Approve for ``programme``'s side; the second approval makes the shared key."""
    agreement = KeySharingAgreement.objects.select_for_update().get(pk=agreement.pk)
    if programme.pk not in (agreement.programme_id, agreement.partner_id):
        raise NotPermitted("This agreement is not one of this programme's.")
    if not is_information_rights_officer_of(actor, programme):
        raise NotPermitted("Only an information rights officer of the programme can approve sharing its key.")
    if agreement.ends_on < timezone.localdate():
        raise ApplicationError("This agreement has ended: propose a new one.")
    own_side = programme.pk == agreement.programme_id
    if (agreement.approved_at if own_side else agreement.partner_approved_at) is not None:
        raise ApplicationError("This programme has already approved the agreement.")
    now = timezone.now()
    if own_side:
        agreement.approved_by, agreement.approved_at = actor, now
    else:
        agreement.partner_approved_by, agreement.partner_approved_at = actor, now
    if agreement.is_approved:
        for side in (agreement.programme, agreement.partner):
            if agreements_in_force(side).exclude(pk=agreement.pk).exists():
                raise ApplicationError(f"{side} already shares its key under another agreement in force.")
        key, agreement.key_id = engine.new_key()
        agreement.sealed_key = seal_bytes(key)
    agreement.save()
    audit.record(
        actor=actor,
        action="datasets.key_agreement_approve",
        target=agreement,
        changes={"programme_id": programme.pk, "in_force": agreement.is_approved, "key_id": agreement.key_id},
    )
    if agreement.is_approved:
        subject = f"Pseudonyms of {agreement.programme.name} and {agreement.partner.name} now match"
        template = "datasets/email/key_agreement_in_force"
        told = _tell(agreement, side=agreement.programme, template=template, subject=subject)
        _tell(agreement, side=agreement.partner, template=template, subject=subject, told=told)
    return agreement
