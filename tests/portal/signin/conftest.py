"""Fixtures of the sign-in tests: a real OpenID Connect provider on a free port, and a council set up to use it."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest
import requests
from django.test import Client

from community_insights.portal.signin.models import SignInProvider
from community_insights.portal.signin.services import provider_create
from tests.portal.access import World
from tests.portal.signin.oidc_provider import LocalProvider

COUNCIL_DOMAIN = "northmoor.gov.uk"


@pytest.fixture
def oidc_provider() -> Iterator[LocalProvider]:
    provider = LocalProvider().start()
    yield provider
    provider.stop()


@pytest.fixture
def council_sign_in(world: World, oidc_provider: LocalProvider) -> SignInProvider:
    """Northmoor's tenant, registered with the provider as council IT would register it in Entra ID."""
    client = oidc_provider.register_client("http://testserver/accounts/oidc/northmoor/login/callback/")
    return provider_create(
        actor=world.user("staff"),
        name="Northmoor Borough Council",
        slug="northmoor",
        server_url=oidc_provider.issuer,
        client_id=client.client_id,
        client_secret=client.client_secret,
        email_domains=f"{COUNCIL_DOMAIN}\ncouncil.northmoor.example",
    )


def through_provider(client: Client, email: str, next_url: str = "") -> tuple[str, object]:
    """Sign in as a person would: the email first, then the provider (over HTTP), then back to the portal.

    Returns the provider's authorization address the portal sent the browser to,
    and the portal's answer to the provider's redirect back.
    """
    data = {"email": email, **({"next": next_url} if next_url else {})}
    start = client.post("/accounts/login/", data)
    assert start.status_code == 302, start.content[:500]
    authorize = start["Location"]
    at_provider = requests.get(authorize, allow_redirects=False, timeout=10)
    assert at_provider.status_code == 302, at_provider.text
    back = urlsplit(at_provider.headers["Location"])
    assert back.netloc == "testserver"
    return authorize, client.get(f"{back.path}?{back.query}")
