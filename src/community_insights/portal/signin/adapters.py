"""allauth's social account hooks: providers from the portal's own records, accounts only by invitation.

Why the domain check: a provider vouches for the addresses of its own tenant
only. The provider chosen for ``@council.gov.uk`` may sign in people whose address
is at one of its configured domains, and nobody else, so another council's tenant
cannot assert an address it does not own. Why the invitation check: the portal
has no open sign-up; a council colleague's first sign-in turns their open
invitation into an account in the organisation they were invited to.
"""

from __future__ import annotations

from typing import Any

from allauth.core.exceptions import ImmediateHttpResponse
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from allauth.socialaccount.models import SocialApp, SocialLogin
from allauth.socialaccount.providers.base import AuthProcess
from django.http import HttpRequest
from django.shortcuts import render

from community_insights.portal.core import audit
from community_insights.portal.people.models import Invitation, User
from community_insights.portal.signin import selectors, services


def _email_of(sociallogin: SocialLogin) -> str:
    addresses = [address.email for address in sociallogin.email_addresses if address.email]
    email = addresses[0] if addresses else (getattr(sociallogin.user, "email", "") or "")
    return User.objects.normalize_email(email.strip()).lower()


def _refuse(request: HttpRequest, *, reason: str, provider_slug: str) -> ImmediateHttpResponse:
    audit.record(
        actor="anonymous", action="signin.provider_refused", changes={"provider": provider_slug, "reason": reason}
    )
    response = render(request, "signin/refused.html", {"reason": reason}, status=403)
    return ImmediateHttpResponse(response)


class InvitedSocialAccountAdapter(DefaultSocialAccountAdapter):
    """Apps from :class:`~signin.models.SignInProvider`; sign-up only through an open invitation."""

    def list_apps(self, request: HttpRequest | None, provider: Any = None, client_id: Any = None) -> list[SocialApp]:
        return selectors.social_apps(slug=provider, client_id=client_id)

    def pre_social_login(self, request: HttpRequest, sociallogin: SocialLogin) -> None:
        """Refuse an address outside the provider's domains; link an existing account of that address."""
        slug = sociallogin.account.provider
        if sociallogin.state.get("process") == AuthProcess.CONNECT:
            # Linking happens only by email address, at sign-in; nobody adds a council identity by hand.
            raise _refuse(request, reason="connect", provider_slug=slug)
        provider = selectors.provider_get(slug=slug)
        email = _email_of(sociallogin)
        if provider is None or not email or selectors.email_domain(email) not in provider.domains:
            raise _refuse(request, reason="domain", provider_slug=slug)
        if sociallogin.is_existing:
            return
        user = User.objects.filter(email__iexact=email).first()
        if user is not None:
            if not user.is_active:
                raise _refuse(request, reason="inactive", provider_slug=slug)
            services.account_link_to_provider(user=user, provider=provider)
            sociallogin.connect(request, user)
            return
        if selectors.open_invitation_for(email) is None:
            raise _refuse(request, reason="no_invitation", provider_slug=slug)

    def on_authentication_error(
        self,
        request: HttpRequest,
        provider: Any,
        error: Any = None,
        exception: Any = None,
        extra_context: Any = None,
    ) -> None:
        """Record a council sign-in that failed on the way (cancelled, refused by the provider, a bad secret)."""
        audit.record(
            actor="anonymous",
            action="signin.provider_failed",
            changes={"provider": getattr(getattr(provider, "app", None), "provider_id", ""), "error": str(error or "")},
        )

    def is_open_for_signup(self, request: HttpRequest, sociallogin: SocialLogin) -> bool:
        return selectors.open_invitation_for(_email_of(sociallogin)) is not None

    def populate_user(self, request: HttpRequest, sociallogin: SocialLogin, data: dict[str, Any]) -> Any:
        user = super().populate_user(request, sociallogin, data)
        user.email = _email_of(sociallogin) or user.email
        name = " ".join(str(data.get("name") or "").split())
        if not name:
            name = " ".join(p for p in (data.get("first_name"), data.get("last_name")) if p)
        user.full_name = name
        return user

    def save_user(self, request: HttpRequest, sociallogin: SocialLogin, form: Any = None) -> Any:
        """The new account takes the organisation and name of the invitation it accepts."""
        invitation: Invitation | None = selectors.open_invitation_for(_email_of(sociallogin))
        if invitation is None:  # withdrawn between the check above and now
            raise _refuse(request, reason="no_invitation", provider_slug=sociallogin.account.provider)
        user = sociallogin.user
        user.organisation = invitation.organisation
        user.full_name = user.full_name or invitation.full_name
        saved = super().save_user(request, sociallogin, form)
        services.invitation_accept_through_provider(
            invitation=invitation, user=saved, provider_slug=sociallogin.account.provider
        )
        return saved
