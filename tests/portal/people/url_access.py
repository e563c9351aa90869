"""Who may open each page of the people area (see tests/portal/access.py)."""

from __future__ import annotations

from typing import Any

from tests.portal.access import LOGIN, PUBLIC, SIGNED_IN, STAFF_ONLY, Case, World, expect


def invitation_token(w: World) -> dict[str, Any]:
    from community_insights.portal.people.services import invitation_create

    _, token = invitation_create(
        actor=w.user("staff"), email="new.colleague@example.org", organisation=w.organisations["vcs"]
    )
    return {"token": token}


def analyst(w: World) -> dict[str, Any]:
    return {"user_id": w.user("data_analyst").pk}


STAFF_POST = expect(LOGIN, default=403, staff=302)

CASES = [
    Case("people:person_list", expect=STAFF_ONLY),
    Case("people:account", expect=SIGNED_IN),
    Case("people:account_edit", expect=SIGNED_IN),
    Case(
        "people:account_edit",
        method="post",
        data=lambda w: {"full_name": "A New Name", "job_title": ""},
        expect=expect(LOGIN, default=302),
    ),
    Case("people:organisation_list", expect=SIGNED_IN),
    Case(
        "people:organisation_detail", kwargs=lambda w: {"organisation_id": w.organisations["vcs"].pk}, expect=SIGNED_IN
    ),
    Case("people:organisation_create", expect=STAFF_ONLY),
    Case("people:invitation_create", expect=expect(LOGIN, default=403, staff=200, facilitator=200)),
    Case(
        "people:invitation_create",
        method="post",
        data=lambda w: {
            "full_name": "Amina Hussain",
            "email": "amina@example.org",
            "organisation": w.organisations["vcs"].pk,
        },
        expect=expect(LOGIN, default=403, staff=302, facilitator=302),
    ),
    Case("people:invitation_accept", kwargs=invitation_token, expect=PUBLIC),
    Case(
        "people:invitation_accept",
        kwargs=lambda w: {"token": "not-a-real-token"},
        note="bad-token",
        expect=expect(404, default=404),
    ),
    Case("people:person_deactivate", kwargs=analyst, expect=STAFF_ONLY),
    Case("people:person_deactivate", kwargs=analyst, method="post", expect=STAFF_POST),
    Case("people:person_reactivate", kwargs=analyst, expect=STAFF_ONLY),
]
