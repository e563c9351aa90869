"""The plenary session and the registrations of interest it gathers.

The guide: "Schedule a plenary session where the core team ... can share their
findings across our borough/region. We will use this as an opportunity to gauge
which VCS or council members are interested in using these insights". Each
person invited gets their own calendar invitation (.ics) for the one event;
anyone may register interest on a public form (no account), which feeds the
guide's Step 3, "Insights to actions".
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import transaction
from django.urls import reverse

from community_insights.portal.core import audit
from community_insights.portal.core.exceptions import ApplicationError, require
from community_insights.portal.core.notifications import Attachment, Message, notify
from community_insights.portal.ideas.calendar import meeting_calendar
from community_insights.portal.ideas.services.common import absolute_url, facilitator_emails, submission_admit
from community_insights.portal.projects.models import Project
from community_insights.portal.sharing import permissions
from community_insights.portal.sharing.models import InterestRegistration, Plenary, PlenaryInvitation

#: The throttle's name for the public registration form (counted like the take-part form).
REGISTRATION_FORM = "interest_registration"


@transaction.atomic
def plenary_create(
    *, actor: Any, project: Project, title: str, starts_at: datetime, ends_at: datetime, place: str, link: str,
    agenda: str,
) -> Plenary:  # fmt: skip
    """Plan the plenary: when, where (a place, a link or both) and its agenda."""
    require(permissions.can_plan_plenary(actor, project), "Only the people who run the project can plan its plenary.")
    if ends_at <= starts_at:
        raise ApplicationError("The end time must be after the start time.", field="ends_at")
    if not place.strip() and not link.strip():
        raise ApplicationError("Give a place, a link to join, or both.", field="place")
    plenary = Plenary(
        project=project, title=title.strip(), starts_at=starts_at, ends_at=ends_at, place=place.strip(),
        link=link.strip(), agenda=agenda.strip(), created_by=actor,
    )  # fmt: skip
    plenary.full_clean()
    plenary.save()
    audit.record(actor=actor, action="sharing.plenary_create", target=plenary, project_id=project.pk)
    return plenary


@transaction.atomic
def plenary_update(
    *, actor: Any, plenary: Plenary, title: str, starts_at: datetime, ends_at: datetime, place: str, link: str,
    agenda: str, base_url: str | None = None,
) -> Plenary:  # fmt: skip
    """Change the plenary; everyone invited gets the new details and a calendar file that replaces the old one."""
    require(permissions.can_plan_plenary(actor, plenary.project), "Only the people who run the project can change it.")
    if ends_at <= starts_at:
        raise ApplicationError("The end time must be after the start time.", field="ends_at")
    if not place.strip() and not link.strip():
        raise ApplicationError("Give a place, a link to join, or both.", field="place")
    new = {
        "title": title.strip(), "starts_at": starts_at, "ends_at": ends_at, "place": place.strip(),
        "link": link.strip(), "agenda": agenda.strip(),
    }  # fmt: skip
    changed = sorted(name for name, value in new.items() if getattr(plenary, name) != value)
    if not changed:
        return plenary
    for name, value in new.items():
        setattr(plenary, name, value)
    plenary.revision += 1
    plenary.full_clean()
    plenary.save(update_fields=[*changed, "revision", "updated_at"])
    audit.record(
        actor=actor, action="sharing.plenary_update", target=plenary, project_id=plenary.project_id,
        changes={"fields": changed, "revision": plenary.revision},
    )  # fmt: skip
    url = absolute_url(reverse("sharing:plenary_public", args=[plenary.pk]), base_url)
    for invitation in plenary.invitations.all():
        _send_invitation(plenary, invitation, url, changed=True)
    return plenary


def plenary_invitation_ics(plenary: Plenary, *, name: str, email: str, url: str) -> str:
    """One person's invitation: the same event for everyone, with them as the attendee."""
    organiser = plenary.created_by
    return meeting_calendar(
        uid=f"plenary-{plenary.pk}",
        starts_at=plenary.starts_at,
        ends_at=plenary.ends_at,
        summary=f"Plenary: {plenary.title}",
        location=plenary.location,
        description=f"{plenary.agenda}\n\nJoin online: {plenary.link}" if plenary.link else plenary.agenda,
        url=url,
        organiser=(organiser.email, organiser.get_full_name()) if organiser else None,
        attendee=(email, name),
        sequence=plenary.revision,
    )


@transaction.atomic
def plenary_invite(
    *, actor: Any, plenary: Plenary, name: str, email: str, base_url: str | None = None
) -> PlenaryInvitation:
    """Invite one person: a row for the list, and an email with their own calendar invitation."""
    require(permissions.can_plan_plenary(actor, plenary.project), "Only the people who run the project can invite.")
    email = email.strip().lower()
    if plenary.invitations.filter(email=email).exists():
        raise ApplicationError("This person has already been invited.", field="email")
    invitation = PlenaryInvitation(plenary=plenary, name=name.strip(), email=email, invited_by=actor)
    invitation.full_clean()
    invitation.save()
    audit.record(actor=actor, action="sharing.plenary_invite", target=plenary, project_id=plenary.project_id)
    url = absolute_url(reverse("sharing:plenary_public", args=[plenary.pk]), base_url)
    _send_invitation(plenary, invitation, url, changed=False)
    return invitation


def _send_invitation(plenary: Plenary, invitation: PlenaryInvitation, url: str, *, changed: bool) -> None:
    """One person's email with their own calendar file (on commit)."""
    notify(
        Message(
            to=[invitation.email],
            subject=f"{'Changed' if changed else 'Invitation'}: {plenary.title}",
            template="sharing/emails/plenary_invitation",
            context={"plenary": plenary, "name": invitation.name, "url": url, "changed": changed},
            attachments=[
                Attachment(
                    "plenary.ics",
                    plenary_invitation_ics(plenary, name=invitation.name, email=invitation.email, url=url),
                    "text/calendar; method=REQUEST",
                )
            ],
        )
    )


@transaction.atomic
def interest_register(
    *, project: Project, name: str, email: str, organisation: str, intended_use: str,
    plenary: Plenary | None = None, base_url: str | None = None, sender: str | None = None,
) -> InterestRegistration:  # fmt: skip
    """An organisation wants to use a project's insights: recorded for "Insights to actions", the team told.

    ``sender`` (the form's keyed hash of the address) counts against the public form's hourly limit.
    """
    submission_admit(
        form_name=REGISTRATION_FORM,
        sender=sender,
        refusal="You have sent this form several times in the last hour. Try again later.",
    )
    registration = InterestRegistration(
        project=project, plenary=plenary, name=name.strip(), email=email.strip().lower(),
        organisation=organisation.strip(), intended_use=intended_use.strip(),
    )  # fmt: skip
    registration.full_clean()
    registration.save()
    audit.record(
        actor="visitor (registration of interest)", action="sharing.interest_register", target=registration,
        project_id=project.pk,
    )  # fmt: skip
    team = [
        r.user.email for r in project.roles.filter(role__in=("facilitator", "delivery_lead")).select_related("user")
    ]
    notify(
        Message(
            to=team or facilitator_emails(),
            subject=f"{registration.organisation} wants to use the insights of {project.title}",
            template="sharing/emails/interest_for_team",
            context={
                "registration": registration,
                "url": absolute_url(reverse("sharing:project_sharing", args=[project.slug]), base_url),
            },
        )
    )
    return registration
