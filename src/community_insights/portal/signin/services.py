"""Every change of the sign-in area: programme staff set up their councils' providers (audited).

The client secret is sealed with the portal's key before it is saved and is never
shown again: staff type a new one to replace it. A domain belongs to one provider
only, because the domain is what chooses where a person signs in.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from community_insights.portal.core import audit
from community_insights.portal.core.exceptions import ApplicationError, NotPermitted
from community_insights.portal.core.permissions import is_programme_staff
from community_insights.portal.datasets.encryption import seal_bytes
from community_insights.portal.people.models import Invitation, User
from community_insights.portal.people.services import invitation_place
from community_insights.portal.programme.current import current_programme_id
from community_insights.portal.programme.models import ProgrammeMembership
from community_insights.portal.programme.services import programme_ensure
from community_insights.portal.signin.models import SignInProvider

_DOMAIN = re.compile(r"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")
_LOCAL_HOSTS = {"localhost", "127.0.0.1", "::1"}


def _clean_domains(text: str, *, provider: SignInProvider | None) -> list[str]:
    domains = sorted({d.strip().lower().lstrip("@").rstrip(".") for d in re.split(r"[\s,;]+", text) if d.strip()})
    if not domains:
        raise ApplicationError(
            "Enter the email domains this provider serves, like council.gov.uk.", field="email_domains"
        )
    for domain in domains:
        if not _DOMAIN.match(domain):
            raise ApplicationError(f"“{domain}” is not an email domain, like council.gov.uk.", field="email_domains")
    # Across the installation: the address chooses the provider before anyone is in a programme.
    others = SignInProvider.objects.all() if provider is None else SignInProvider.objects.exclude(pk=provider.pk)
    for other in others:
        taken = sorted(set(domains) & set(other.domains))
        if taken:
            # Another programme's provider is not named: nothing of one programme shows in another.
            where = other.name if other.programme_id == current_programme_id() else "another programme's provider"
            raise ApplicationError(f"{', '.join(taken)} already signs in through {where}.", field="email_domains")
    return domains


def _clean_server_url(url: str) -> str:
    """The issuer address: https, except a provider on this machine (a test or a local proxy)."""
    url = url.strip().rstrip("/")
    parts = urlsplit(url)
    if parts.scheme != "https" and not (parts.scheme == "http" and parts.hostname in _LOCAL_HOSTS):
        raise ApplicationError("Enter an issuer address that starts with https://", field="server_url")
    if not parts.hostname:
        raise ApplicationError(
            "Enter the issuer address, like https://login.microsoftonline.com/…/v2.0.", field="server_url"
        )
    return url


@transaction.atomic
def provider_create(
    *,
    actor: Any,
    name: str,
    server_url: str,
    client_id: str,
    client_secret: str,
    email_domains: str,
    slug: str = "",
) -> SignInProvider:
    """Set up a council's provider for the programme; its slug is fixed in the redirect address."""
    if not is_programme_staff(actor):
        raise NotPermitted("Only programme staff can set up sign-in providers.")
    name = " ".join(name.split())
    slug = slugify(slug or name)[:60]
    if not name or not slug:
        raise ApplicationError("Enter the name people know the provider by.", field="name")
    if SignInProvider.objects.filter(slug=slug).exists():
        raise ApplicationError(f"There is already a provider with the short name {slug}.", field="slug")
    if not client_id.strip() or not client_secret.strip():
        raise ApplicationError("Enter the client ID and the client secret from the provider.", field="client_id")
    provider = SignInProvider(
        programme=programme_ensure(),
        name=name,
        slug=slug,
        server_url=_clean_server_url(server_url),
        client_id=client_id.strip(),
        client_secret_sealed=seal_bytes(client_secret.strip().encode("utf-8")),
        email_domains="\n".join(_clean_domains(email_domains, provider=None)),
    )
    provider.full_clean()
    provider.save()
    audit.record(actor=actor, action="signin.provider_create", target=provider, changes={"domains": provider.domains})
    return provider


@transaction.atomic
def provider_update(
    *,
    actor: Any,
    provider: SignInProvider,
    name: str,
    server_url: str,
    client_id: str,
    email_domains: str,
    is_active: bool,
    client_secret: str = "",
) -> SignInProvider:
    """Change a provider; an empty ``client_secret`` keeps the sealed one."""
    if not is_programme_staff(actor, provider):
        raise NotPermitted("Only programme staff can change sign-in providers.")
    provider = SignInProvider.objects.select_for_update().get(pk=provider.pk)
    values = {
        "name": " ".join(name.split()),
        "server_url": _clean_server_url(server_url),
        "client_id": client_id.strip(),
        "email_domains": "\n".join(_clean_domains(email_domains, provider=provider)),
        "is_active": bool(is_active),
    }
    if not values["name"] or not values["client_id"]:
        raise ApplicationError("Enter the provider's name and client ID.", field="name")
    changed = [field for field, value in values.items() if getattr(provider, field) != value]
    for field, value in values.items():
        setattr(provider, field, value)
    if client_secret.strip():
        provider.client_secret_sealed = seal_bytes(client_secret.strip().encode("utf-8"))
        changed.append("client_secret")
    if not changed:
        return provider
    provider.full_clean()
    provider.save()
    audit.record(actor=actor, action="signin.provider_update", target=provider, changes={"fields": changed})
    return provider


@transaction.atomic
def account_link_to_provider(*, user: User, provider: SignInProvider) -> User:
    """An existing account signs in through its council's provider from now on: its own password goes.

    Why remove the password: the council's provider (with its own two-step rules)
    now vouches for this address, and a forgotten local password left behind
    would be a second way in that nobody watches.
    """
    if user.has_usable_password():
        user.set_unusable_password()
        user.save(update_fields=["password"])
    audit.record(actor=user, action="signin.provider_link", target=user, changes={"provider": provider.slug})
    return user


@transaction.atomic
def invitation_accept_through_provider(*, invitation: Invitation, user: User, provider_slug: str) -> Invitation:
    """Mark the invitation used by the account its first sign-in through a council's provider made.

    The person becomes a member of the invitation's programme, as accepting with a
    password makes them, so they land in it (not in whichever programme is first).
    """
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    invitation.accepted_at = timezone.now()
    invitation.accepted_user = user
    invitation.save(update_fields=["accepted_at", "accepted_user", "updated_at"])
    ProgrammeMembership.objects.get_or_create(programme=invitation.programme, user=user)
    audit.record(
        actor=user,
        action="signin.provider_join",
        target=user,
        changes={
            "invitation_id": invitation.pk,
            "organisation_id": invitation.organisation_id,
            "provider": provider_slug,
        },
    )
    invitation_place(invitation=invitation, user=user)
    return invitation
