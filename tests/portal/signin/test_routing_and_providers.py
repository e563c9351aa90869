"""The email domain chooses where a person signs in; programme staff set providers up (sealed, audited)."""

from __future__ import annotations

import pytest
from django.test import Client

from community_insights.portal.core.exceptions import ApplicationError, NotPermitted
from community_insights.portal.core.models import AuditEntry
from community_insights.portal.datasets.encryption import open_bytes
from community_insights.portal.signin.selectors import provider_for_email, social_apps
from community_insights.portal.signin.services import provider_create, provider_update
from tests.portal.conftest import PASSWORD
from tests.portal.signin.conftest import COUNCIL_DOMAIN

pytestmark = pytest.mark.django_db

ENTRA = "https://login.microsoftonline.com/7f1c2a4e-0000-4000-8000-000000000000/v2.0"


def _provider(world, **overrides):
    values = {
        "actor": world.user("staff"),
        "name": "Northmoor Borough Council",
        "server_url": ENTRA,
        "client_id": "b9f3c1d2-app",
        "client_secret": "the-client-secret-value",
        "email_domains": COUNCIL_DOMAIN,
    }
    return provider_create(**{**values, **overrides})


def test_the_email_page_comes_first(world):
    page = Client().get("/accounts/login/")
    assert page.status_code == 200
    assert page.context["step"] == "email"
    assert b'name="email"' in page.content and b'name="password"' not in page.content


def test_an_address_at_a_council_domain_goes_to_that_council(world, oidc_provider, council_sign_in):
    for email in (
        f"someone@{COUNCIL_DOMAIN}",
        f"Someone@{COUNCIL_DOMAIN.upper()}",
        "a.person@council.northmoor.example",
    ):
        assert provider_for_email(email) == council_sign_in
    response = Client().post("/accounts/login/", {"email": f"someone@{COUNCIL_DOMAIN}"})
    assert response.status_code == 302
    assert response["Location"].startswith(f"{oidc_provider.issuer}/authorize?")


def test_a_council_whose_provider_cannot_be_reached_is_told_so(world):
    _provider(world, server_url="http://127.0.0.1:9")  # the discard port: nothing answers
    response = Client().post("/accounts/login/", {"email": f"someone@{COUNCIL_DOMAIN}"})
    assert response.status_code == 200
    assert "sign-in cannot be reached just now" in response.content.decode()


def test_other_addresses_get_the_password_form(world):
    _provider(world)
    response = Client().post("/accounts/login/", {"email": "volunteer@foodpartnership.example"})
    assert response.status_code == 200
    assert response.context["step"] == "password"
    assert b'name="password"' in response.content
    assert b'value="volunteer@foodpartnership.example"' in response.content


def test_a_subdomain_or_lookalike_is_not_the_council(world):
    _provider(world)
    assert provider_for_email(f"someone@mail.{COUNCIL_DOMAIN}") is None
    assert provider_for_email(f"someone@{COUNCIL_DOMAIN}.example") is None
    assert provider_for_email("not-an-address") is None


def test_a_council_address_cannot_use_a_password_here(world):
    from community_insights.portal.people.models import User

    _provider(world)
    User.objects.create_user(email=f"old@{COUNCIL_DOMAIN}", password=PASSWORD)
    client = Client()
    response = client.post("/accounts/login/", {"login": f"old@{COUNCIL_DOMAIN}", "password": PASSWORD})
    assert response.status_code == 200
    assert "sign in through Northmoor Borough Council" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_vcs_colleague_still_signs_in_with_a_password(world):
    _provider(world)
    client = Client()
    response = client.post("/accounts/login/", {"login": world.user("vcs_member_lead").email, "password": PASSWORD})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(world.user("vcs_member_lead").pk)
    assert AuditEntry.objects.filter(action="core.login", actor=world.user("vcs_member_lead")).exists()


def test_a_bad_email_is_asked_again(world):
    response = Client().post("/accounts/login/", {"email": "not an address"})
    assert response.status_code == 200
    assert "Enter an email address in the correct format" in response.content.decode()
    assert response.content.decode().count("govuk-error-summary") >= 1


def test_a_stopped_provider_routes_nobody(world):
    provider = _provider(world)
    provider_update(
        actor=world.user("staff"),
        provider=provider,
        name=provider.name,
        server_url=provider.server_url,
        client_id=provider.client_id,
        email_domains=provider.email_domains,
        is_active=False,
    )
    assert provider_for_email(f"someone@{COUNCIL_DOMAIN}") is None
    assert social_apps() == []


def test_only_programme_staff_set_up_providers(world):
    with pytest.raises(NotPermitted):
        _provider(world, actor=world.user("information_rights"))


def test_the_client_secret_is_kept_sealed_and_kept_when_left_empty(world):
    provider = _provider(world)
    stored = bytes(provider.client_secret_sealed)
    assert b"the-client-secret-value" not in stored
    assert open_bytes(stored) == b"the-client-secret-value"
    provider_update(
        actor=world.user("staff"),
        provider=provider,
        name="Northmoor Council",
        server_url=ENTRA,
        client_id="b9f3c1d2-app",
        email_domains=COUNCIL_DOMAIN,
        is_active=True,
        client_secret="",
    )
    provider.refresh_from_db()
    assert open_bytes(bytes(provider.client_secret_sealed)) == b"the-client-secret-value"
    assert social_apps()[0].secret == "the-client-secret-value"
    update = AuditEntry.objects.get(action="signin.provider_update")
    assert update.changes == {"fields": ["name"]}
    assert "secret" not in str(AuditEntry.objects.get(action="signin.provider_create").changes)


def test_a_domain_belongs_to_one_provider(world):
    _provider(world)
    with pytest.raises(ApplicationError, match="already signs in through"):
        _provider(world, name="Another tenant", email_domains=f"@{COUNCIL_DOMAIN.upper()}")


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("server_url", "http://login.example.org/tenant", "starts with https://"),
        ("email_domains", "council", "is not an email domain"),
        ("email_domains", "  ", "Enter the email domains"),
    ],
)
def test_provider_details_are_checked(world, field, value, message):
    with pytest.raises(ApplicationError, match=message):
        _provider(world, **{field: value})


def test_staff_set_up_a_provider_in_the_portal(world, client_for):
    client = client_for("staff")
    response = client.post(
        "/sign-in/providers/new/",
        {
            "name": "Northmoor Borough Council",
            "slug": "",
            "server_url": ENTRA,
            "client_id": "b9f3c1d2-app",
            "client_secret": "the-client-secret-value",
            "email_domains": f"{COUNCIL_DOMAIN}\ncouncil.northmoor.example",
        },
    )
    assert response.status_code == 302
    listing = client.get("/sign-in/providers/").content.decode()
    assert "/accounts/oidc/northmoor-borough-council/login/callback/" in listing
    assert "the-client-secret-value" not in listing
    edit = client.get("/sign-in/providers/northmoor-borough-council/").content.decode()
    assert "the-client-secret-value" not in edit


def test_staff_change_a_provider_and_stop_using_it(world, client_for):
    provider = _provider(world)
    client = client_for("staff")
    response = client.post(
        f"/sign-in/providers/{provider.slug}/",
        {
            "name": "Northmoor Council",
            "server_url": ENTRA,
            "client_id": "b9f3c1d2-app",
            "client_secret": "",
            "email_domains": COUNCIL_DOMAIN,
        },
    )
    assert response.status_code == 302
    provider.refresh_from_db()
    assert provider.name == "Northmoor Council" and not provider.is_active
    assert open_bytes(bytes(provider.client_secret_sealed)) == b"the-client-secret-value"
    assert provider_for_email(f"someone@{COUNCIL_DOMAIN}") is None
    taken = client.post(
        "/sign-in/providers/new/",
        {
            "name": "Second tenant",
            "server_url": ENTRA,
            "client_id": "x",
            "client_secret": "y",
            "email_domains": COUNCIL_DOMAIN,
        },
    )
    assert taken.status_code == 200
    assert "already signs in through Northmoor Council" in taken.content.decode()
