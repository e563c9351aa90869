"""Sign-in lockout (django-axes) by email address and client address together, and who the client is."""

from __future__ import annotations

import pytest
from axes.models import AccessAttempt
from django.test import Client, RequestFactory, override_settings
from django.urls import reverse

from community_insights.portal.core.clients import client_address
from tests.portal.access import World
from tests.portal.conftest import PASSWORD

ATTACKER = "203.0.113.9"
LIMIT = 3


def _sign_in(email: str, password: str, address: str) -> int:
    client = Client(REMOTE_ADDR=address)
    response = client.post(reverse("account_login"), {"login": email, "password": password})
    return response.status_code


@pytest.fixture
def axes_on(settings):  # type: ignore[no-untyped-def]
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = LIMIT
    settings.AXES_RESET_ON_SUCCESS = True


def test_guessing_other_names_does_not_lock_out_a_real_user_at_the_same_address(world: World, axes_on: None) -> None:
    for n in range(LIMIT * 3):
        assert _sign_in(f"made.up.{n}@example.org", "wrong-password", ATTACKER) != 302
    # The real user, behind the same address (one office, one proxy), still signs in.
    assert _sign_in(world.user("facilitator").email, PASSWORD, ATTACKER) == 302
    # No attempt record holds a typed address.
    assert not AccessAttempt.objects.filter(username__contains="@").exists()


def test_guessing_one_persons_password_locks_that_name_from_that_address_only(world: World, axes_on: None) -> None:
    email = world.user("facilitator").email
    for _ in range(LIMIT):
        _sign_in(email, "wrong-password", ATTACKER)
    assert _sign_in(email, PASSWORD, ATTACKER) == 429, "locked: the right password no longer works from there"
    assert _sign_in(email.upper(), PASSWORD, ATTACKER) == 429, "the same person however the address is typed"
    assert _sign_in(email, PASSWORD, "198.51.100.7") == 302, "the real user elsewhere is not locked out"
    assert _sign_in(world.user("delivery_lead").email, PASSWORD, ATTACKER) == 302


@pytest.mark.parametrize(
    ("trusted", "remote", "forwarded", "expected"),
    [
        ([], "10.0.0.2", "198.51.100.7", "10.0.0.2"),  # no proxy configured: the header is ignored
        (["10.0.0.0/8"], "10.0.0.2", "198.51.100.7", "198.51.100.7"),
        (["10.0.0.0/8"], "10.0.0.2", "1.2.3.4, 198.51.100.7, 10.0.0.5", "198.51.100.7"),  # forged left part
        (["10.0.0.0/8"], "192.0.2.1", "198.51.100.7", "192.0.2.1"),  # not from the proxy: header ignored
        (["10.0.0.0/8"], "10.0.0.2", "not-an-address", "10.0.0.2"),
        (["10.0.0.0/8"], "10.0.0.2", "", "10.0.0.2"),
    ],
)
def test_forwarded_address_is_believed_only_from_a_configured_proxy(
    trusted: list[str], remote: str, forwarded: str, expected: str
) -> None:
    request = RequestFactory().get("/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded)
    with override_settings(INSIGHTS_TRUSTED_PROXIES=trusted):
        assert client_address(request) == expected


def test_rate_limits_are_shared_between_processes(settings) -> None:  # type: ignore[no-untyped-def]
    """allauth keeps its limits in the default cache: it must not be per-process memory."""

    from community_insights.portal.config.settings import base

    assert base.CACHES["default"]["BACKEND"] in (
        "django.core.cache.backends.db.DatabaseCache",
        "django.core.cache.backends.redis.RedisCache",
    )
