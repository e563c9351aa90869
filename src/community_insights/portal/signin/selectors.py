"""Reads of the sign-in area: which provider serves an email address, and allauth's view of it."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from allauth.socialaccount.models import SocialApp
from django.db.models import QuerySet
from django.utils import timezone

from community_insights.portal.core.permissions import is_programme_staff
from community_insights.portal.datasets.encryption import open_bytes
from community_insights.portal.people.models import Invitation
from community_insights.portal.programme.current import current_programme_id
from community_insights.portal.signin.models import SignInProvider

OPENID_CONNECT = "openid_connect"


def email_domain(email: str) -> str:
    """The part after the last ``@``, lower case; empty for something that is not an address."""
    _, at, domain = email.strip().rpartition("@")
    return domain.lower().rstrip(".") if at else ""


def provider_for_email(email: str) -> SignInProvider | None:
    """The active provider whose domains include this address's domain, or None (local password)."""
    domain = email_domain(email)
    if not domain:
        return None
    for provider in SignInProvider.objects.filter(is_active=True).select_related("programme"):
        if domain in provider.domains:
            return provider
    return None


def provider_origins() -> list[str]:
    """Where the sign-in page's form may lead (scheme and host of each active provider's issuer).

    A browser checks a form's redirects against the page's ``form-action``, so
    the page that sends people on to their council must name the councils.
    """
    origins = set()
    for server_url in SignInProvider.objects.filter(is_active=True).values_list("server_url", flat=True):
        parts = urlsplit(server_url)
        origins.add(f"{parts.scheme}://{parts.netloc}")
    return sorted(origins)


def provider_get(*, slug: str) -> SignInProvider | None:
    return SignInProvider.objects.filter(slug=slug).select_related("programme").first()


def provider_list(*, actor: Any) -> QuerySet[SignInProvider]:
    """The current programme's providers, for its staff (they set them up); none for anyone else."""
    if not is_programme_staff(actor):
        return SignInProvider.objects.none()
    return (
        SignInProvider.objects.filter(programme_id=current_programme_id()).select_related("programme").order_by("name")
    )


def social_app_for(provider: SignInProvider) -> SocialApp:
    """allauth's app for a provider, never saved: the secret is opened only for the request that needs it."""
    return SocialApp(
        provider=OPENID_CONNECT,
        provider_id=provider.slug,
        name=provider.name,
        client_id=provider.client_id,
        secret=open_bytes(bytes(provider.client_secret_sealed)).decode("utf-8"),
        settings={"server_url": provider.server_url, "scope": ["openid", "email", "profile"]},
    )


def social_apps(*, slug: str | None = None, client_id: str | None = None) -> list[SocialApp]:
    """allauth's apps for the active providers, narrowed as allauth asks (by provider id or client id)."""
    providers = SignInProvider.objects.filter(is_active=True)
    if slug and slug != OPENID_CONNECT:
        providers = providers.filter(slug=slug)
    if client_id:
        providers = providers.filter(client_id=client_id)
    return [social_app_for(provider) for provider in providers]


def open_invitation_for(email: str) -> Invitation | None:
    """The newest invitation to this address that is neither used nor expired (what a first sign-in accepts)."""
    if not email:
        return None
    return (
        Invitation.objects.filter(email__iexact=email, accepted_at__isnull=True, expires_at__gt=timezone.now())
        .select_related("organisation")
        .order_by("-created_at")
        .first()
    )
