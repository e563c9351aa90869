"""Shared portal fixtures: the ``world`` of organisations, personas and projects.

Every area's tests (and the URL permission matrix) use the same world, so a
rule like "another organisation's member cannot see this project" is tested
with the same people everywhere.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from community_insights.portal.people.models import Organisation, User
from community_insights.portal.programme.models import ProgrammeMembership
from community_insights.portal.programme.services import programme_ensure
from community_insights.portal.projects.models import Project, ProjectRole
from tests.portal.access import OUTSIDER, ROLE_PERSONAS, STAFF, World

# Which organisation each persona works for: the guide's roles come from both
# the council and the VCS; the facilitator is independent.
PERSONA_ORGANISATION = {
    "facilitator": "partner",
    "delivery_lead": "council",
    "data_analyst": "council",
    "vcs_member_lead": "vcs",
    "communities_representative": "council",
    "advisory_panel": "vcs",
    "contracts_legal": "council",
    "information_rights": "council",
    "external_data_specialist": "partner",
    "subject_matter_expert": "vcs",
    OUTSIDER: "other_vcs",
    STAFF: "council",
}

PASSWORD = "correct-horse-battery-staple"


def make_world() -> World:
    organisations = {
        "council": Organisation.objects.create(name="Northmoor Borough Council", kind=Organisation.Kind.COUNCIL),
        "vcs": Organisation.objects.create(name="Northmoor Food Partnership", kind=Organisation.Kind.VCS),
        "other_vcs": Organisation.objects.create(name="Riverside Carers Network", kind=Organisation.Kind.VCS),
        "partner": Organisation.objects.create(name="Open Data Co-operative", kind=Organisation.Kind.PARTNER),
    }
    users: dict[str, Any] = {}
    for persona, org_key in PERSONA_ORGANISATION.items():
        users[persona] = User.objects.create_user(
            email=f"{persona.replace('_', '.')}@example.org",
            password=PASSWORD,
            full_name=persona.replace("_", " ").title(),
            organisation=organisations[org_key],
            is_staff=persona == STAFF,
        )
    ProgrammeMembership.objects.create(
        programme=programme_ensure(), user=users[STAFF], role=ProgrammeMembership.Role.STAFF
    )
    project = Project.objects.create(
        title="Food insecurity in Northmoor",
        slug="food-insecurity",
        question="Where are families struggling to afford food, and who is not reaching support?",
        lead_organisation=organisations["vcs"],
        created_by=users["delivery_lead"],
    )
    other_project = Project.objects.create(
        title="Young carers",
        slug="young-carers",
        question="How many young carers are not known to services?",
        lead_organisation=organisations["other_vcs"],
    )
    for role in ROLE_PERSONAS:
        ProjectRole.objects.create(project=project, user=users[role], role=role)
    ProjectRole.objects.create(project=other_project, user=users[OUTSIDER], role="vcs_member_lead")
    return World(organisations=organisations, users=users, project=project, other_project=other_project)


@pytest.fixture
def world(db: None) -> World:
    return make_world()


@pytest.fixture
def client_for(world: World):  # type: ignore[no-untyped-def]
    """``client_for("facilitator")`` is a test client signed in as that persona."""

    def _client(persona: str) -> Client:
        c = Client()
        if persona != "anonymous":
            c.force_login(world.user(persona))
        return c

    return _client
