"""The format every area uses to say who may open each of its URLs.

Each area lists its URLs in ``tests/portal/<area>/url_access.py`` as::

    from tests.portal.access import LOGIN, MEMBERS, PUBLIC, Case, expect

    CASES = [
        Case("projects:project_list", expect=SIGNED_IN),
        Case("projects:project_detail", kwargs=lambda w: {"slug": w.project.slug}, expect=MEMBERS),
        Case(
            "projects:phase_advance",
            kwargs=lambda w: {"slug": w.project.slug},
            expect=expect(LOGIN, outsider=404, staff=200, facilitator=200, delivery_lead=200, default=403),
        ),
    ]

``tests/portal/test_url_permissions.py`` visits every case as every persona of
the shared :class:`World` (anonymous, one person per role of the guide on
``world.project``, a member of another organisation, programme staff) and
fails for any named URL of the portal that no case lists.

- ``kwargs(world)`` builds the URL's arguments. It runs once per persona,
  inside a savepoint that is rolled back afterwards, so it may create objects
  (a dataset, an idea) on the world, and a POST case may change them freely.
- ``expect`` maps each persona to an HTTP status, or to :data:`LOGIN` (a
  redirect to the sign-in page). Build it with :func:`expect` or use the
  ready-made :data:`PUBLIC`, :data:`SIGNED_IN`, :data:`MEMBERS`, :data:`STAFF_ONLY`.
- ``method`` is ``"get"`` (default) or ``"post"``; ``data(world)`` builds the
  POST body. A successful POST usually answers 302, so say so in ``expect``.

Personas (keys of ``expect``): ``anonymous``, ``outsider`` (signed in, member of
another VCS organisation, on ``world.other_project`` only), ``staff`` (programme
staff, on no project), and each role key of the guide (``people.roles.ROLE_KEYS``)
(``facilitator``, ``delivery_lead``, ``data_analyst``, ``vcs_member_lead``,
``communities_representative``, ``advisory_panel``, ``contracts_legal``,
``information_rights``, ``external_data_specialist``, ``subject_matter_expert``),
each holding just that one role on ``world.project``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from community_insights.portal.people.roles import CORE_ROLE_KEYS, ROLE_KEYS

LOGIN = "login"
"""Expected outcome: a 302 redirect to the sign-in page (with ``?next=``)."""

ANONYMOUS = "anonymous"
OUTSIDER = "outsider"
STAFF = "staff"
ROLE_PERSONAS: tuple[str, ...] = ROLE_KEYS  # the roles' keys are structure, the same in every version of the guide
CORE_ROLES: tuple[str, ...] = CORE_ROLE_KEYS
PERSONAS: tuple[str, ...] = (ANONYMOUS, *ROLE_PERSONAS, OUTSIDER, STAFF)

Outcome = int | str


def expect(anonymous: Outcome = LOGIN, *, default: Outcome = 200, **persona: Outcome) -> dict[str, Outcome]:
    """Expected outcome for every persona: ``default`` unless named; ``anonymous`` first.

    ``roles=`` sets every role persona at once (before single roles are applied).
    """
    result: dict[str, Outcome] = {p: default for p in PERSONAS}
    result[ANONYMOUS] = anonymous
    if "roles" in persona:
        value = persona.pop("roles")
        for role in ROLE_PERSONAS:
            result[role] = value
    unknown = set(persona) - set(PERSONAS)
    if unknown:
        raise ValueError(f"Unknown persona(s): {sorted(unknown)}; known: {PERSONAS}")
    result.update(persona)
    return result


PUBLIC = expect(200)
"""Everyone, signed in or not, gets the page."""
SIGNED_IN = expect(LOGIN)
"""Anyone signed in gets the page; visitors are sent to sign in."""
MEMBERS = expect(LOGIN, outsider=404)
"""People on ``world.project`` and staff; another organisation's member gets 404 (the project is not revealed)."""
STAFF_ONLY = expect(LOGIN, default=403, staff=200)
"""Programme staff only."""


@dataclass(frozen=True)
class World:
    """The shared fixture: organisations, one person per persona, two projects."""

    organisations: Mapping[str, Any]
    users: Mapping[str, Any]
    project: Any
    other_project: Any
    extra: dict[str, Any] = field(default_factory=dict)

    def user(self, persona: str) -> Any:
        return self.users[persona]


def _no_kwargs(world: World) -> dict[str, Any]:
    return {}


@dataclass(frozen=True)
class Case:
    url_name: str
    kwargs: Callable[[World], dict[str, Any]] = _no_kwargs
    expect: Mapping[str, Outcome] = field(default_factory=lambda: dict(SIGNED_IN))
    method: str = "get"
    data: Callable[[World], dict[str, Any]] | None = None
    note: str = ""

    @property
    def id(self) -> str:
        return f"{self.url_name}[{self.method}]" + (f"-{self.note}" if self.note else "")


# URL names covered by pattern rather than case by case: third-party pages whose
# access rules belong to their library. Each is still opened once by a visitor
# (when it needs no arguments) and must not fail with a server error.
COVERED_BY_PATTERN: tuple[str, ...] = ("admin:", "account_", "mfa_", "socialaccount_")
