"""Every change to organisations and people: permission, validation, save, audit, notify on commit."""

from __future__ import annotations

import secrets
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from community_insights.portal.core import audit
from community_insights.portal.core.exceptions import ApplicationError, NotPermitted
from community_insights.portal.core.notifications import Message, absolute_link, notify
from community_insights.portal.people.models import Invitation, Organisation, User
from community_insights.portal.people.permissions import can_deactivate, can_invite, can_manage_organisations
from community_insights.portal.people.roles import role_definitions
from community_insights.portal.people.selectors import invitation_get_by_token, organisations_here, token_hash
from community_insights.portal.programme.models import ProgrammeMembership
from community_insights.portal.programme.services import programme_ensure

INVITATION_DAYS = 14


@transaction.atomic
def organisation_create(*, actor: Any, name: str, kind: str, website: str = "", description: str = "") -> Organisation:
    """Add an organisation to the current programme.

    One that another programme already works with (the same name) is the same
    organisation: it is linked to this programme too, as it is, rather than
    refused with a name the staff cannot see anywhere.
    """
    if not can_manage_organisations(actor):
        raise NotPermitted("Only programme staff can add organisations.")
    name = " ".join(name.split())
    programme = programme_ensure()
    if organisations_here().filter(name__iexact=name).exists():
        raise ApplicationError(f"There is already an organisation called {name}.")
    existing = Organisation.objects.filter(name__iexact=name).first()
    if existing is not None:
        existing.programmes.add(programme)
        audit.record(actor=actor, action="people.organisation_link", target=existing, changes={"via": "added"})
        return existing
    org = Organisation(name=name, kind=kind, website=website.strip(), description=description.strip())
    org.full_clean()
    org.save()
    org.programmes.add(programme)
    audit.record(actor=actor, action="people.organisation_create", target=org, changes={"kind": kind})
    return org


def _organisation_for_invitation(actor: Any, name: str) -> Organisation:
    name = " ".join(name.split())
    if not name:
        raise ApplicationError(
            "Choose an organisation, or type the name of a new one.", extra={"field": "organisation"}
        )
    existing = Organisation.objects.filter(name__iexact=name).first()
    if existing is not None:
        return existing
    org = Organisation(name=name, kind=Organisation.Kind.VCS)
    org.full_clean()
    org.save()
    audit.record(
        actor=actor, action="people.organisation_create", target=org, changes={"kind": org.kind, "via": "invitation"}
    )
    return org


@transaction.atomic
def invitation_create(
    *,
    actor: Any,
    email: str,
    organisation: Organisation | None = None,
    full_name: str = "",
    site_url: str | None = None,
    new_organisation_name: str = "",
    project: Any = None,
    role: str = "",
) -> tuple[Invitation, str]:
    """Invite someone by email to join as a member of ``organisation``.

    Someone met at office hours may come from a VCS organisation the portal does
    not know yet: ``new_organisation_name`` adds it (as a VCS organisation, audited)
    so the facilitator need not wait for programme staff.

    With ``project`` and ``role`` the person lands on that project's team in that
    role as soon as they accept (by password or through their council's provider).

    Returns the invitation and the one-off token (only its hash is stored); the
    email with the set-password link leaves once the transaction commits.
    """
    if not can_invite(actor):
        raise NotPermitted("Only programme staff and facilitators can invite people.")
    _check_invited_role(actor, project, role)
    if organisation is None:
        organisation = _organisation_for_invitation(actor, new_organisation_name)
    elif not organisations_here().filter(pk=organisation.pk).exists():
        raise ApplicationError("Choose one of the programme's organisations.", field="organisation")
    email = User.objects.normalize_email(email.strip()).lower()
    try:
        validate_email(email)
    except ValidationError:
        raise ApplicationError("Enter an email address in the correct format, like name@example.org.") from None
    if User.objects.filter(email__iexact=email).exists():
        raise ApplicationError("Someone with this email address already has an account.")
    # A new invitation replaces any open one for the same address.
    Invitation.objects.filter(email__iexact=email, accepted_at__isnull=True).update(expires_at=timezone.now())
    token = secrets.token_urlsafe(32)
    invitation = Invitation.objects.create(
        email=email,
        organisation=organisation,
        full_name=full_name.strip(),
        invited_by=actor,
        token_hash=token_hash(token),
        expires_at=timezone.now() + timedelta(days=INVITATION_DAYS),
        project=project,
        role=role if project is not None else "",
    )
    # The programme now works with the organisation: its staff see it before the person accepts.
    organisation.programmes.add(invitation.programme)
    audit.record(
        actor=actor,
        action="people.invitation_create",
        target=invitation,
        changes={
            "organisation_id": organisation.pk,
            "expires_in_days": INVITATION_DAYS,
            "project_id": getattr(project, "pk", None),
            "role": invitation.role,
        },
    )
    link = absolute_link(reverse("people:invitation_accept", kwargs={"token": token}), site_url)
    notify(
        Message(
            to=[email],
            subject=f"You are invited to {settings.INSIGHTS_BRANDING['service_name']}",
            template="people/email/invitation",
            context={
                "name": full_name.strip(),
                "organisation": organisation.name,
                "invited_by": actor.get_full_name(),
                "link": link,
                "days": INVITATION_DAYS,
            },
        )
    )
    return invitation, token


@transaction.atomic
def invitation_accept(*, token: str, full_name: str, password: str) -> User:
    """Turn an open invitation into an account with the password the person chose."""
    invitation = invitation_get_by_token(token=token)
    if invitation is None:
        raise ApplicationError("This invitation link has expired or has already been used. Ask for a new one.")
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.accepted_at is not None:
        raise ApplicationError("This invitation link has already been used.")
    if User.objects.filter(email__iexact=invitation.email).exists():
        raise ApplicationError("Someone with this email address already has an account. Sign in instead.")
    full_name = " ".join(full_name.split()) or invitation.full_name
    if not full_name:
        raise ApplicationError("Enter your full name.")
    user = User(email=invitation.email, full_name=full_name, organisation=invitation.organisation)
    password_validation.validate_password(password, user)  # raises ValidationError with the reasons
    user.set_password(password)
    user.save()
    ProgrammeMembership.objects.get_or_create(programme=invitation.programme, user=user)
    invitation.accepted_at = timezone.now()
    invitation.accepted_user = user
    invitation.save(update_fields=["accepted_at", "accepted_user", "updated_at"])
    audit.record(
        actor=user,
        action="people.invitation_accept",
        target=user,
        changes={"invitation_id": invitation.pk, "organisation_id": invitation.organisation_id},
    )
    invitation_place(invitation=invitation, user=user)
    return user


def _check_invited_role(actor: Any, project: Any, role: str) -> None:
    if project is None:
        if role:
            raise ApplicationError("Choose the project this role is on.", field="project")
        return
    from community_insights.portal.projects.permissions import can_manage_team

    if role not in role_definitions():
        raise ApplicationError("Choose the role they will have on the project.", field="role")
    if not can_manage_team(actor, project):
        raise NotPermitted("Only the project's facilitator, delivery lead or programme staff can add to its team.")


@transaction.atomic
def invitation_place(*, invitation: Invitation, user: User) -> None:
    """Give the new account the role on the project that it was invited to (audited as the team change it is).

    Recorded with the inviter as the actor, as if they had added the person
    themselves once the account existed; nothing happens for an invitation
    without a project, or when the project has gone.
    """
    if invitation.project_id is None or not invitation.role:
        return
    from community_insights.portal.projects.models import ProjectRole

    project_role, created = ProjectRole.objects.get_or_create(
        project_id=invitation.project_id, user=user, role=invitation.role
    )
    if created:
        audit.record(
            actor=invitation.invited_by or "invitation",
            action="projects.project_role_assign",
            target=project_role,
            project_id=invitation.project_id,
            changes={"user_id": user.pk, "role": invitation.role, "planned_days": None, "invitation_id": invitation.pk},
        )


@transaction.atomic
def invitation_revoke(*, actor: Any, invitation: Invitation) -> None:
    if not can_invite(actor):
        raise NotPermitted("Only programme staff can withdraw invitations.")
    if invitation.accepted_at is not None:
        raise ApplicationError("This invitation has already been accepted.")
    invitation.expires_at = timezone.now()
    invitation.save(update_fields=["expires_at", "updated_at"])
    audit.record(actor=actor, action="people.invitation_revoke", target=invitation)


@transaction.atomic
def user_deactivate(*, actor: Any, user: User, reason: str = "") -> User:
    """Stop an account signing in; its history (ticks, audit entries) stays."""
    if not can_deactivate(actor, user):
        raise NotPermitted("Only programme staff can deactivate accounts, and not their own.")
    if not user.is_active:
        return user
    user.is_active = False
    user.save(update_fields=["is_active"])
    audit.record(
        actor=actor, action="people.user_deactivate", target=user, changes={"reason_given": bool(reason.strip())}
    )
    return user


@transaction.atomic
def user_reactivate(*, actor: Any, user: User) -> User:
    if not can_deactivate(actor, user):
        raise NotPermitted("Only programme staff can reactivate accounts.")
    if user.is_active:
        return user
    user.is_active = True
    user.save(update_fields=["is_active"])
    audit.record(actor=actor, action="people.user_reactivate", target=user)
    return user


@transaction.atomic
def account_update(*, actor: Any, full_name: str, job_title: str) -> User:
    """A person changes their own name and job title."""
    if not getattr(actor, "is_authenticated", False):
        raise NotPermitted("Sign in to change your account.")
    user = User.objects.get(pk=actor.pk)
    full_name = " ".join(full_name.split())
    if not full_name:
        raise ApplicationError("Enter your full name.")
    changed = [f for f, v in (("full_name", full_name), ("job_title", job_title.strip())) if getattr(user, f) != v]
    if not changed:
        return user
    user.full_name, user.job_title = full_name, job_title.strip()
    user.save(update_fields=changed)
    audit.record(actor=user, action="people.account_update", target=user, changes={"fields": changed})
    return user


@transaction.atomic
def admin_create(*, email: str, password: str, full_name: str = "", organisation: Organisation | None = None) -> User:
    """Create (or promote) a programme administrator: used by ``insights createadmin``."""
    email = User.objects.normalize_email(email.strip()).lower()
    try:
        validate_email(email)
    except ValidationError:
        raise ApplicationError("Enter an email address in the correct format, like name@example.org.") from None
    user = User.objects.filter(email__iexact=email).first()
    created = user is None
    if user is None:
        user = User(email=email)
    user.full_name = full_name or user.full_name
    user.organisation = organisation or user.organisation
    user.is_staff = user.is_superuser = user.is_active = True
    password_validation.validate_password(password, user)
    user.set_password(password)
    user.save()
    ProgrammeMembership.objects.update_or_create(
        programme=programme_ensure(), user=user, defaults={"role": ProgrammeMembership.Role.STAFF}
    )
    audit.record(actor="insights createadmin", action="people.admin_create", target=user, changes={"created": created})
    return user
