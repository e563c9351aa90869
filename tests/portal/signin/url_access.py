"""Who may open each page of the sign-in area (see tests/portal/access.py)."""

from __future__ import annotations

from typing import Any

from tests.portal.access import LOGIN, STAFF_ONLY, Case, World, expect


def provider(w: World) -> dict[str, Any]:
    from community_insights.portal.signin.services import provider_create

    made = provider_create(
        actor=w.user("staff"),
        name="Northmoor Borough Council",
        server_url="https://login.microsoftonline.com/00000000-0000-0000-0000-000000000000/v2.0",
        client_id="client-id",
        client_secret="client-secret",
        email_domains="northmoor.gov.uk",
    )
    return {"slug": made.slug}


CASES = [
    Case("signin:provider_list", expect=STAFF_ONLY),
    Case("signin:provider_create", expect=STAFF_ONLY),
    Case("signin:provider_edit", kwargs=provider, expect=STAFF_ONLY),
    Case(
        "signin:provider_create",
        method="post",
        data=lambda w: {"name": "", "server_url": "", "client_id": "", "client_secret": "", "email_domains": ""},
        expect=expect(LOGIN, default=403, staff=200),
        note="an empty form comes back with its errors, for staff only",
    ),
]

# allauth's own pages for one provider: the "continue to your council" page (a GET never leaves
# by itself) and the return address.
CASES += [
    Case("openid_connect_login", kwargs=lambda w: {"provider_id": provider(w)["slug"]}, expect=expect(200)),
    Case(
        "openid_connect_callback",
        kwargs=lambda w: {"provider_id": provider(w)["slug"]},
        expect=expect(401, default=401),
        note="no answer from the provider: the sign-in problem page, for anyone",
    ),
]
