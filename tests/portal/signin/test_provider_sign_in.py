"""Council sign-in against a real OpenID Connect provider (Authlib, over HTTP): invitations, domains, refusals."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import jwt
import pytest
import requests
from allauth.socialaccount.models import SocialAccount
from django.test import Client

from community_insights.portal.core.models import AuditEntry
from community_insights.portal.people.models import User
from community_insights.portal.people.services import invitation_create
from community_insights.portal.projects.models import ProjectRole
from tests.portal.signin.conftest import COUNCIL_DOMAIN, through_provider
from tests.portal.signin.oidc_provider import Person

pytestmark = pytest.mark.django_db


def _actions() -> list[str]:
    return list(AuditEntry.objects.order_by("pk").values_list("action", flat=True))


def test_a_new_council_colleague_signs_in_through_the_provider_and_lands_in_their_invitation(
    world, oidc_provider, council_sign_in
):
    email = f"amina.khan@{COUNCIL_DOMAIN}"
    invitation, _ = invitation_create(
        actor=world.user("facilitator"),
        email=email,
        organisation=world.organisations["council"],
        full_name="Amina Khan",
        project=world.project,
        role="data_analyst",
    )
    oidc_provider.signed_in_as = Person(sub="entra-oid-0001", email=email, name="Amina Khan")
    client = Client()

    authorize, back = through_provider(client, email)

    query = parse_qs(urlsplit(authorize).query)
    assert authorize.startswith(oidc_provider.issuer + "/authorize?")
    assert query["login_hint"] == [email]
    assert query["code_challenge_method"] == ["S256"]
    assert set(query["scope"][0].split()) == {"openid", "email", "profile"}
    assert back.status_code == 302 and back["Location"] == "/projects/"
    assert oidc_provider.token_requests == 1  # the code was exchanged for a signed ID token
    (id_token,) = oidc_provider.id_tokens
    jwks = requests.get(f"{oidc_provider.issuer}/jwks", timeout=10).json()
    key = jwt.PyJWK(jwks["keys"][0])
    claims = jwt.decode(id_token, key, algorithms=["RS256"], audience=council_sign_in.client_id)
    assert claims["iss"] == oidc_provider.issuer and claims["email"] == email

    user = User.objects.get(email=email)
    assert user.organisation == world.organisations["council"]
    assert user.full_name == "Amina Khan"
    assert not user.has_usable_password()
    invitation.refresh_from_db()
    assert invitation.accepted_user == user and invitation.accepted_at is not None
    account = SocialAccount.objects.get(user=user)
    assert (account.provider, account.uid) == ("northmoor", "entra-oid-0001")
    assert ProjectRole.objects.filter(project=world.project, user=user, role="data_analyst").exists()
    page = client.get("/projects/")
    assert page.status_code == 200 and page.context["user"] == user
    assert world.project.title in page.content.decode()
    assert client.get(f"/projects/{world.project.slug}/").status_code == 200
    assert client.get(f"/projects/{world.other_project.slug}/").status_code == 404
    actions = _actions()
    assert {"signin.provider_join", "projects.project_role_assign", "core.login", "signin.provider_sign_in"} <= set(
        actions
    )
    join = AuditEntry.objects.get(action="signin.provider_join")
    assert join.changes == {
        "invitation_id": invitation.pk,
        "organisation_id": world.organisations["council"].pk,
        "provider": "northmoor",
    }


def test_someone_invited_to_the_second_programme_lands_in_it(world, oidc_provider, council_sign_in):
    """Riverdale invites a Northmoor council colleague: their first council sign-in makes them Riverdale's member."""
    from community_insights.portal.programme.current import using
    from community_insights.portal.programme.models import Programme, ProgrammeMembership

    riverdale = Programme.objects.create(name="Riverdale Community Insights", slug="riverdale")
    rita = User.objects.create_user("rita@riverdale.example", full_name="Rita Riverdale")
    ProgrammeMembership.objects.create(programme=riverdale, user=rita, role=ProgrammeMembership.Role.STAFF)
    email = f"joe.bloggs@{COUNCIL_DOMAIN}"
    with using(riverdale):
        # Typed by name, as Riverdale's staff would: the same organisation, now working with Riverdale too.
        invitation_create(
            actor=rita, email=email, new_organisation_name="Northmoor Borough Council", full_name="Joe Bloggs"
        )
    oidc_provider.signed_in_as = Person(sub="entra-oid-0002", email=email, name="Joe Bloggs")
    client = Client()

    _, back = through_provider(client, email)

    user = User.objects.get(email=email)
    assert back.status_code == 302 and user.organisation == world.organisations["council"]
    assert list(user.programme_memberships.values_list("programme__slug", "role")) == [("riverdale", "member")]
    page = client.get("/projects/")
    assert page.status_code == 200 and page.wsgi_request.programme == riverdale


def test_the_next_sign_in_finds_the_same_account(world, oidc_provider, council_sign_in):
    email = f"amina.khan@{COUNCIL_DOMAIN}"
    invitation_create(actor=world.user("staff"), email=email, organisation=world.organisations["council"])
    oidc_provider.signed_in_as = Person(sub="entra-oid-0001", email=email, name="Amina Khan")
    through_provider(Client(), email)

    _, back = through_provider(Client(), email, next_url="/people/account/")

    assert back.status_code == 302 and back["Location"] == "/people/account/"
    assert User.objects.filter(email=email).count() == 1
    assert AuditEntry.objects.filter(action="signin.provider_sign_in").count() == 2


def test_nobody_signs_up_without_an_invitation(world, oidc_provider, council_sign_in):
    email = f"stranger@{COUNCIL_DOMAIN}"
    oidc_provider.signed_in_as = Person(sub="entra-oid-0002", email=email, name="Stranger")
    client = Client()

    _, back = through_provider(client, email)

    assert back.status_code == 403
    assert b"nobody has invited you" in back.content
    assert not User.objects.filter(email=email).exists()
    assert not SocialAccount.objects.exists()
    refused = AuditEntry.objects.get(action="signin.provider_refused")
    assert refused.changes == {"provider": "northmoor", "reason": "no_invitation"}
    assert "_auth_user_id" not in client.session


def test_an_expired_or_withdrawn_invitation_lets_nobody_in(world, oidc_provider, council_sign_in):
    from community_insights.portal.people.services import invitation_revoke

    email = f"late@{COUNCIL_DOMAIN}"
    invitation, _ = invitation_create(
        actor=world.user("staff"), email=email, organisation=world.organisations["council"]
    )
    invitation_revoke(actor=world.user("staff"), invitation=invitation)
    oidc_provider.signed_in_as = Person(sub="entra-oid-0003", email=email, name="Late")

    _, back = through_provider(Client(), email)

    assert back.status_code == 403
    assert not User.objects.filter(email=email).exists()


def test_a_provider_cannot_vouch_for_an_address_outside_its_domains(world, oidc_provider, council_sign_in):
    """The council's tenant says the person is someone at a VCS organisation: refused, even with an invitation."""
    invitation_create(
        actor=world.user("staff"), email="volunteer@foodpartnership.example", organisation=world.organisations["vcs"]
    )
    oidc_provider.signed_in_as = Person(sub="entra-oid-0004", email="volunteer@foodpartnership.example", name="V")

    _, back = through_provider(Client(), f"someone@{COUNCIL_DOMAIN}")

    assert back.status_code == 403
    assert not User.objects.filter(email="volunteer@foodpartnership.example").exists()
    assert AuditEntry.objects.get(action="signin.provider_refused").changes["reason"] == "domain"


def test_an_existing_local_account_is_linked_and_loses_its_password(world, oidc_provider, council_sign_in):
    email = f"priya.shah@{COUNCIL_DOMAIN}"
    user = User.objects.create_user(email=email, password="an-old-local-password", full_name="Priya Shah")
    oidc_provider.signed_in_as = Person(sub="entra-oid-0005", email=email, name="Priya Shah")

    _, back = through_provider(Client(), email)

    assert back.status_code == 302
    user.refresh_from_db()
    assert not user.has_usable_password()
    assert SocialAccount.objects.get(user=user).uid == "entra-oid-0005"
    assert AuditEntry.objects.filter(action="signin.provider_link", target_id=str(user.pk)).exists()


def test_a_deactivated_account_is_refused(world, oidc_provider, council_sign_in):
    email = f"left@{COUNCIL_DOMAIN}"
    User.objects.create_user(email=email, password="an-old-local-password", is_active=False)
    oidc_provider.signed_in_as = Person(sub="entra-oid-0006", email=email, name="Left")

    _, back = through_provider(Client(), email)

    assert back.status_code == 403
    assert not SocialAccount.objects.exists()


def test_nobody_links_a_council_identity_to_their_account_by_hand(world, oidc_provider, council_sign_in):
    """allauth's "connect" would let a signed-in person attach any identity they can sign in as: refused."""
    email = f"amina.khan@{COUNCIL_DOMAIN}"
    oidc_provider.signed_in_as = Person(sub="entra-oid-0007", email=email, name="Amina Khan")
    client = Client()
    client.force_login(world.user("vcs_member_lead"))

    start = client.post("/accounts/oidc/northmoor/login/?process=connect")
    assert start.status_code == 302 and start["Location"].startswith(oidc_provider.issuer)
    back = urlsplit(requests.get(start["Location"], allow_redirects=False, timeout=10).headers["Location"])
    response = client.get(f"{back.path}?{back.query}")

    assert response.status_code == 403
    assert not SocialAccount.objects.exists()
    assert AuditEntry.objects.get(action="signin.provider_refused").changes["reason"] == "connect"


def test_a_wrong_client_secret_fails_at_the_provider_and_is_recorded(world, oidc_provider, council_sign_in):
    from community_insights.portal.signin.services import provider_update

    email = f"amina.khan@{COUNCIL_DOMAIN}"
    invitation_create(actor=world.user("staff"), email=email, organisation=world.organisations["council"])
    provider_update(
        actor=world.user("staff"),
        provider=council_sign_in,
        name=council_sign_in.name,
        server_url=council_sign_in.server_url,
        client_id=council_sign_in.client_id,
        email_domains=council_sign_in.email_domains,
        is_active=True,
        client_secret="a-secret-the-provider-never-issued",
    )
    oidc_provider.signed_in_as = Person(sub="entra-oid-0008", email=email, name="Amina Khan")

    _, back = through_provider(Client(), email)

    assert back.status_code == 401
    assert "Sign-in did not finish" in back.content.decode()
    assert oidc_provider.token_requests == 1 and not oidc_provider.tokens  # the provider refused the exchange
    assert not User.objects.filter(email=email).exists()
    assert AuditEntry.objects.get(action="signin.provider_failed").changes["provider"] == "northmoor"
