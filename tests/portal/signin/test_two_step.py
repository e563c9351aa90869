"""Two-step sign-in: required for local accounts of staff and information rights officers, optional for others."""

from __future__ import annotations

import base64
import hashlib
import hmac
import struct
import time

import pytest
from allauth.mfa.models import Authenticator
from django.test import Client

from community_insights.portal.core.models import AuditEntry
from community_insights.portal.signin.two_step import two_step_required
from tests.portal.conftest import PASSWORD

pytestmark = pytest.mark.django_db

SET_UP = "/accounts/2fa/totp/activate/"


@pytest.fixture(autouse=True)
def _two_step_on(settings):
    """The setting that a real install has on (the other areas' tests run with it off)."""
    settings.INSIGHTS_REQUIRE_TWO_STEP = True


def totp(secret: str, at: float | None = None) -> str:
    """RFC 6238 (SHA-1, 30 seconds, 6 digits), as an authenticator app computes it.

    The portal accepts only the current 30-second window (no tolerance), so a code made in the
    window's last seconds can be refused by the time a browser posts it: like a person who waits
    for the app's next code, the helper waits for a fresh window first.
    """
    key = base64.b32decode(secret + "=" * (-len(secret) % 8), casefold=True)
    if at is None and 30 - time.time() % 30 < 5:
        time.sleep(30 - time.time() % 30 + 0.1)
    counter = int((time.time() if at is None else at) // 30)
    digest = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{value % 1_000_000:06d}"


def sign_in(client: Client, email: str) -> None:
    response = client.post("/accounts/login/", {"login": email, "password": PASSWORD})
    assert response.status_code == 302, response.content[:400]


def confirm_password(client: Client) -> None:
    """allauth asks for the password again before two-step sign-in changes (a left-open session is not enough)."""
    asked = client.get(SET_UP)
    assert asked.status_code == 302 and asked["Location"].startswith("/accounts/reauthenticate/")
    assert client.post("/accounts/reauthenticate/", {"password": PASSWORD}).status_code == 302


def set_up_authenticator(client: Client) -> list[str]:
    """Turn on two-step sign-in as a person does; returns the recovery codes shown afterwards."""
    confirm_password(client)
    page = client.get(SET_UP)
    assert page.status_code == 200
    secret = page.context["form"].secret
    done = client.post(SET_UP, {"code": totp(secret)})
    assert done.status_code == 302, done.content[:600]
    codes_page = client.get("/accounts/2fa/recovery-codes/")
    return list(codes_page.context["unused_codes"])


@pytest.mark.parametrize("persona", ["staff", "information_rights"])
def test_staff_and_information_rights_are_sent_to_set_it_up_before_anything_else(world, persona):
    client = Client()
    sign_in(client, world.user(persona).email)
    for path in ("/projects/", "/people/account/", f"/projects/{world.project.slug}/"):
        response = client.get(path)
        assert response.status_code == 302 and response["Location"] == SET_UP, path
    confirm_password(client)
    assert client.get(SET_UP).status_code == 200


def test_staff_of_a_second_programme_only_are_sent_to_set_it_up_too(world):
    """Staff of Riverdale alone (not of the first programme) run its accounts: their password needs a second step."""
    from community_insights.portal.people.models import User
    from community_insights.portal.programme.models import Programme, ProgrammeMembership

    riverdale = Programme.objects.create(name="Riverdale Community Insights", slug="riverdale")
    rita = User.objects.create_user("rita@riverdale.example", PASSWORD, full_name="Rita Riverdale")
    ProgrammeMembership.objects.create(programme=riverdale, user=rita, role=ProgrammeMembership.Role.STAFF)
    client = Client()
    sign_in(client, rita.email)
    response = client.get("/projects/")
    assert response.status_code == 302 and response["Location"] == SET_UP
    assert two_step_required(rita)


@pytest.mark.parametrize("persona", ["vcs_member_lead", "data_analyst", "facilitator"])
def test_others_may_choose(world, persona):
    client = Client()
    sign_in(client, world.user(persona).email)
    assert client.get("/projects/").status_code == 200
    assert not two_step_required(world.user(persona))


def test_an_account_without_a_local_password_is_left_to_its_council(world):
    staff = world.user("staff")
    staff.set_unusable_password()
    staff.save()
    assert not two_step_required(staff)


def test_once_set_up_a_code_is_asked_at_every_sign_in_and_a_recovery_code_works(
    world, django_capture_on_commit_callbacks
):
    staff = world.user("staff")
    client = Client()
    sign_in(client, staff.email)
    with django_capture_on_commit_callbacks(execute=True):  # allauth announces the new authenticator on commit
        codes = set_up_authenticator(client)
    assert len(codes) >= 10
    assert client.get("/projects/").status_code == 200
    assert Authenticator.objects.filter(user=staff, type=Authenticator.Type.TOTP).exists()
    assert AuditEntry.objects.filter(action="signin.two_step_added", actor=staff).exists()

    again = Client()
    start = again.post("/accounts/login/", {"login": staff.email, "password": PASSWORD})
    assert start.status_code == 302 and start["Location"] == "/accounts/2fa/authenticate/"
    assert "_auth_user_id" not in again.session
    wrong = again.post("/accounts/2fa/authenticate/", {"code": "not-a-code"})
    assert wrong.status_code == 200 and "_auth_user_id" not in again.session
    right = again.post("/accounts/2fa/authenticate/", {"code": codes[0]})
    assert right.status_code == 302
    assert again.session["_auth_user_id"] == str(staff.pk)
    assert again.get("/projects/").status_code == 200


def test_a_code_from_the_app_signs_in(world):
    staff = world.user("information_rights")
    client = Client()
    sign_in(client, staff.email)
    confirm_password(client)
    page = client.get(SET_UP)
    secret = page.context["form"].secret
    assert client.post(SET_UP, {"code": totp(secret)}).status_code == 302

    again = Client()
    again.post("/accounts/login/", {"login": staff.email, "password": PASSWORD})
    assert again.post("/accounts/2fa/authenticate/", {"code": totp(secret, time.time() - 30)}).status_code == 200
    assert "_auth_user_id" not in again.session  # last window's code: refused (no tolerance)
    assert again.post("/accounts/2fa/authenticate/", {"code": totp(secret)}).status_code == 302
    assert again.session["_auth_user_id"] == str(staff.pk)


def test_turning_it_off_sends_them_back_to_set_it_up(world, django_capture_on_commit_callbacks):
    staff = world.user("staff")
    client = Client()
    sign_in(client, staff.email)
    set_up_authenticator(client)
    with django_capture_on_commit_callbacks(execute=True):
        off = client.post("/accounts/2fa/totp/deactivate/")
    assert off.status_code == 302
    assert not Authenticator.objects.filter(user=staff, type=Authenticator.Type.TOTP).exists()
    assert AuditEntry.objects.filter(action="signin.two_step_removed", actor=staff).exists()
    response = client.get("/projects/")
    assert response.status_code == 302 and response["Location"] == SET_UP


def test_the_deploy_check_refuses_a_server_with_two_step_sign_in_off(settings):
    from community_insights.portal.signin.checks import check_two_step_required

    assert check_two_step_required() == []
    settings.INSIGHTS_REQUIRE_TWO_STEP = False
    assert [message.id for message in check_two_step_required()] == ["insights.E020"]
