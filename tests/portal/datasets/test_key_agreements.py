"""Matching pseudonyms across programmes only by a recorded agreement (issue 22, point 2).

The same person's identifier is pseudonymised by each programme with the key a
safe copy would use (``key_in_use``) and the engine's own ``Pseudonymiser``:
the tokens differ without an agreement, match while one is in force, and
differ again once it has ended.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from community_insights.portal.core.exceptions import ApplicationError, NotPermitted
from community_insights.portal.core.models import AuditEntry
from community_insights.portal.datasets.encryption import open_bytes
from community_insights.portal.datasets.key_agreements import (
    key_agreement_approve,
    key_agreement_propose,
    key_in_use,
)
from community_insights.portal.people.models import User
from community_insights.portal.programme.current import current_programme
from community_insights.portal.programme.models import Programme
from community_insights.portal.projects.models import Project, ProjectRole
from community_insights.safety import Pseudonymiser
from tests.portal.access import World

pytestmark = pytest.mark.django_db

NHS_NUMBER = "943 476 5919"


def _token(programme: Programme, actor: User, on: date | None = None) -> str:
    sealed, _ = key_in_use(programme=programme, actor=actor, on=on)
    return Pseudonymiser(open_bytes(sealed), domain="pseudonym:NHS_NUMBER", normaliser=str.strip).token(NHS_NUMBER)


@pytest.fixture
def second(world: World) -> tuple[Programme, User]:
    """A second programme with its own information rights officer (on its own project)."""
    riverdale = Programme.objects.create(name="Riverdale Community Insights", slug="riverdale")
    project = Project.objects.create(programme=riverdale, title="Carers' breaks", slug="carers-breaks", question="?")
    officer = User.objects.create_user(email="iro@riverdale.example", password="x-long-password-1")
    ProjectRole.objects.create(project=project, user=officer, role="information_rights")
    return riverdale, officer


def _agreement(world: World, second: tuple[Programme, User], ends_on: date):  # type: ignore[no-untyped-def]
    return key_agreement_propose(
        actor=world.user("information_rights"),
        programme=current_programme(),
        partner=second[0],
        purpose="Families known to both partnerships' food and carers' services.",
        ends_on=ends_on,
    )


def test_without_an_agreement_the_two_programmes_pseudonyms_never_match(
    world: World, second: tuple[Programme, User]
) -> None:
    northmoor = current_programme()
    assert _token(northmoor, world.user("information_rights")) != _token(second[0], second[1])
    # Each programme keeps to its own key, used again for its next copy.
    assert _token(northmoor, world.user("information_rights")) == _token(northmoor, world.user("data_analyst"))


def test_a_proposal_approved_by_one_side_only_shares_nothing(world: World, second: tuple[Programme, User]) -> None:
    agreement = _agreement(world, second, timezone.localdate() + timedelta(days=90))
    key_agreement_approve(actor=world.user("information_rights"), agreement=agreement, programme=current_programme())
    assert _token(current_programme(), world.user("information_rights")) != _token(second[0], second[1])


def test_with_an_agreement_approved_by_both_they_match_until_it_ends(
    world: World, second: tuple[Programme, User]
) -> None:
    today = timezone.localdate()
    agreement = _agreement(world, second, today + timedelta(days=30))
    key_agreement_approve(actor=world.user("information_rights"), agreement=agreement, programme=current_programme())
    agreement = key_agreement_approve(actor=second[1], agreement=agreement, programme=second[0])
    assert agreement.is_approved and agreement.key_id
    northmoor = current_programme()
    assert _token(northmoor, world.user("information_rights")) == _token(second[0], second[1])
    # The last day still matches; the day after, each is back on its own key.
    last_day, after = today + timedelta(days=30), today + timedelta(days=31)
    assert _token(northmoor, world.user("information_rights"), last_day) == _token(second[0], second[1], last_day)
    assert _token(northmoor, world.user("information_rights"), after) != _token(second[0], second[1], after)
    approvals = AuditEntry.objects.filter(action="datasets.key_agreement_approve")
    assert approvals.count() == 2 and approvals.first().changes["in_force"] is True  # type: ignore[union-attr]


def test_only_an_information_rights_officer_of_each_programme_approves(
    world: World, second: tuple[Programme, User]
) -> None:
    agreement = _agreement(world, second, timezone.localdate() + timedelta(days=30))
    with pytest.raises(NotPermitted):  # Northmoor's officer cannot approve for Riverdale
        key_agreement_approve(actor=world.user("information_rights"), agreement=agreement, programme=second[0])
    with pytest.raises(NotPermitted):  # nor can programme staff or an analyst for their own
        key_agreement_approve(actor=world.user("staff"), agreement=agreement, programme=current_programme())
    with pytest.raises(NotPermitted):
        key_agreement_propose(
            actor=world.user("data_analyst"),
            programme=current_programme(),
            partner=second[0],
            purpose="Because.",
            ends_on=timezone.localdate(),
        )


def test_a_proposal_says_why_and_ends_in_the_future(world: World, second: tuple[Programme, User]) -> None:
    with pytest.raises(ApplicationError):
        key_agreement_propose(
            actor=world.user("information_rights"),
            programme=current_programme(),
            partner=second[0],
            purpose=" ",
            ends_on=timezone.localdate(),
        )
    with pytest.raises(ApplicationError):
        _agreement(world, second, timezone.localdate() - timedelta(days=1))
