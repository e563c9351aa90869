"""The shared membership rules: who is on a project, and the scoped look-ups every area uses."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from community_insights.portal.datasets import permissions as dataset_permissions
from community_insights.portal.projects import membership
from community_insights.portal.projects.models import Project, ProjectRole
from community_insights.portal.selection import selectors as selection_selectors
from tests.portal.access import OUTSIDER, ROLE_PERSONAS, STAFF, World

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("persona", ROLE_PERSONAS)
def test_each_role_holder_is_a_member_and_sees_the_project(world: World, persona: str) -> None:
    user = world.user(persona)
    assert membership.roles_of(user, world.project) == frozenset({persona})
    assert membership.is_project_member(user, world.project)
    assert membership.project_get_for_user(user=user, slug=world.project.slug) == world.project
    assert list(membership.project_list_for_user(user=user)) == [world.project]


def test_staff_see_every_project_but_are_not_members(world: World) -> None:
    staff = world.user(STAFF)
    assert not membership.is_project_member(staff, world.project)
    assert membership.can_view_project(staff, world.project)
    assert set(membership.project_list_for_user(user=staff)) == {world.project, world.other_project}
    assert membership.project_get_for_user(user=staff, slug=world.other_project.slug) == world.other_project


def test_outsiders_and_the_signed_out_get_404(world: World) -> None:
    for user in (world.user(OUTSIDER), AnonymousUser()):
        assert membership.roles_of(user, world.project) == frozenset()
        with pytest.raises(Http404):
            membership.project_get_for_user(user=user, slug=world.project.slug)
    assert list(membership.project_list_for_user(user=AnonymousUser())) == []
    with pytest.raises(Http404):
        membership.project_get_for_user(user=world.user(STAFF), slug="no-such-project")


def test_a_deactivated_role_holder_holds_no_role(world: World) -> None:
    analyst = world.user("data_analyst")
    analyst.is_active = False
    analyst.save()
    assert membership.roles_of(analyst, world.project) == frozenset()
    assert not membership.can_view_project(analyst, world.project)


def test_membership_follows_anything_that_belongs_to_a_project(world: World) -> None:
    source = world.project.data_sources.create(name="Case records", owner_organisation=world.project.lead_organisation)
    analyst = world.user("data_analyst")
    assert membership.project_of(source) == world.project
    assert membership.holds_role("data_analyst")(analyst, source)
    assert not membership.holds_role("information_rights")(analyst, source)
    assert membership.project_of(None) is None


def test_the_list_order_is_the_callers_choice(world: World) -> None:
    staff = world.user(STAFF)
    Project.objects.filter(pk=world.other_project.pk).update(phase=world.project.phase + 1)
    by_phase = list(membership.project_list_for_user(user=staff))
    by_title = list(membership.project_list_for_user(user=staff, order_by=membership.BY_TITLE))
    assert by_phase == [world.project, world.other_project]
    assert by_title == sorted(by_phase, key=lambda p: p.title)


def test_each_area_passes_its_own_rule(world: World) -> None:
    """Selection lets the advisory panel see a candidate project they hold no role on; the data area does not."""
    panel = world.user("advisory_panel")
    ProjectRole.objects.filter(user=panel, project=world.project).delete()
    ProjectRole.objects.create(user=panel, project=world.other_project, role="advisory_panel")
    assert selection_selectors.project_get_for_user(user=panel, slug=world.project.slug) == world.project
    with pytest.raises(Http404):
        membership.project_get_for_user(user=panel, slug=world.project.slug, rule=dataset_permissions.can_view_datasets)


def test_a_programme_wide_duty_is_a_role_held_on_any_project(world: World) -> None:
    facilitator = world.user("facilitator")
    assert membership.holds_role_anywhere(facilitator, "facilitator")
    assert not membership.holds_role_anywhere(world.user(OUTSIDER), "facilitator")
    assert not membership.holds_role_anywhere(world.user(STAFF), "facilitator")
    facilitator.is_active = False
    facilitator.save()
    assert not membership.holds_role_anywhere(facilitator, "facilitator")
