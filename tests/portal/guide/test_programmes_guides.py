"""Each programme's own guide (issue 22): started from the national guide, changed and read in that programme only."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from community_insights.portal import guide
from community_insights.portal.core.exceptions import NotPermitted
from community_insights.portal.guide import selectors, services
from community_insights.portal.guide.models import GuideVersion
from community_insights.portal.people.models import User
from community_insights.portal.programme.current import SESSION_KEY, current_programme, using
from community_insights.portal.programme.models import Programme
from community_insights.portal.programme.services import programme_create
from community_insights.portal.projects.services import project_create
from tests.portal.access import World

pytestmark = pytest.mark.django_db

NATIONAL_TITLE = "Purpose around a common goal"


def _publish(actor: User, title: str) -> GuideVersion:
    """The current programme's guide with its first way of working renamed, proposed and published."""
    content = copy.deepcopy(selectors.published_version().content)  # type: ignore[union-attr]
    content["principles"]["principles"][0]["title"] = title
    proposal = services.guide_change_propose(
        actor=actor, section="principles", text=selectors.section_text(content, "principles"), change_note=title
    )
    return services.guide_version_publish(actor=actor, proposal=proposal, change_note=title)


def _first_principle() -> str:
    return str(guide.read("principles")["principles"][0]["title"])


@pytest.fixture
def riverdale(world: World) -> Programme:
    """A second programme set up by Northmoor's staff member, who is then staff of both."""
    return programme_create(actor=world.user("staff"), name="Riverdale Community Insights", slug="riverdale")


def _client_in(user: User, programme: Programme) -> Client:
    client = Client()
    client.force_login(user)
    session = client.session
    session[SESSION_KEY] = programme.pk
    session.save()
    return client


def test_a_new_programme_starts_from_the_national_guide(world: World, riverdale: Programme) -> None:
    northmoor = current_programme()
    _publish(world.user("staff"), "Purpose around a shared goal")  # Northmoor's change, before or after: no matter
    seed = GuideVersion.objects.get(programme=riverdale)
    assert (seed.number, seed.status, seed.content) == (1, "published", guide.national_content())
    with using(riverdale):
        assert _first_principle() == NATIONAL_TITLE
    with using(northmoor):
        assert _first_principle() == "Purpose around a shared goal"


def test_two_programmes_publish_their_own_versions_and_read_their_own_words(world: World, riverdale: Programme) -> None:
    staff, northmoor = world.user("staff"), current_programme()
    with using(riverdale):
        first = _publish(staff, "Purpose the boroughs share")
    with using(northmoor):
        second = _publish(staff, "Purpose around a shared goal")
    assert (first.programme, first.number) == (riverdale, 2)  # each counts its own versions
    assert (second.programme, second.number) == (northmoor, 2)
    with using(riverdale):
        assert _first_principle() == "Purpose the boroughs share"
        assert [v.number for v in selectors.version_list()] == [2, 1]
        riverdale_project = project_create(actor=staff, title="Carers' breaks", question="Who is missed?")
    with using(northmoor):
        assert _first_principle() == "Purpose around a shared goal"
        northmoor_project = project_create(actor=staff, title="Food banks", question="Who is missed?")
    # Each project records the version of its own programme's guide that it started under.
    assert riverdale_project.guide_version == first and northmoor_project.guide_version == second

    # The public pages read the guide of the programme the visitor is working in.
    river_page = _client_in(staff, riverdale).get(reverse("guide:principles")).content.decode()
    north_page = _client_in(staff, northmoor).get(reverse("guide:principles")).content.decode()
    assert "Purpose the boroughs share" in river_page and "Purpose around a shared goal" not in river_page
    assert "Purpose around a shared goal" in north_page and "Purpose the boroughs share" not in north_page


def test_a_visitor_reads_each_programmes_guide_at_its_own_path(world: World, riverdale: Programme) -> None:
    with using(riverdale):
        _publish(world.user("staff"), "Purpose the boroughs share")
    visitor = Client()
    theirs = visitor.get(reverse("guide:programme_principles", kwargs={"programme": "riverdale"})).content.decode()
    ours = visitor.get(reverse("guide:principles")).content.decode()  # a visitor is in the first programme
    assert "Purpose the boroughs share" in theirs and "Riverdale Community Insights keeps it: version 2" in theirs
    assert "Purpose the boroughs share" not in ours and NATIONAL_TITLE in ours
    assert 'href="/guide/programmes/riverdale/versions/"' in theirs  # its side list stays in that programme
    history = visitor.get(reverse("guide:programme_history", kwargs={"programme": "riverdale"})).content.decode()
    assert "Purpose the boroughs share" in history
    assert visitor.get(reverse("guide:programme_index", kwargs={"programme": "nowhere"})).status_code == 404


def test_staff_change_only_the_guide_of_the_programme_they_work_in(world: World, riverdale: Programme) -> None:
    staff = world.user("staff")
    content = copy.deepcopy(selectors.published_version().content)  # type: ignore[union-attr]
    content["principles"]["principles"][0]["title"] = "Purpose around a shared goal"
    proposal = services.guide_change_propose(
        actor=staff, section="principles", text=selectors.section_text(content, "principles"), change_note="x"
    )
    with using(riverdale):  # working in Riverdale, Northmoor's proposal is not theirs to publish or discard
        with pytest.raises(NotPermitted):
            services.guide_version_publish(actor=staff, proposal=proposal, change_note="x")
        with pytest.raises(NotPermitted):
            services.guide_change_discard(actor=staff, proposal=proposal)
        assert list(selectors.proposal_list()) == []
    in_riverdale = _client_in(staff, riverdale)
    for name in ("guide:proposal", "guide:discard"):
        url = reverse(name, kwargs={"pk": proposal.pk})
        assert in_riverdale.post(url, {"change_note": "x"}).status_code == 404
    assert "Purpose around a shared goal" not in in_riverdale.get(reverse("guide:propose_start")).content.decode()
    proposal.refresh_from_db()
    assert proposal.status == "draft"


def test_a_reflection_card_of_another_programme_does_not_prompt_a_change(world: World, riverdale: Programme) -> None:
    from community_insights.portal.reflections.models import RetroCard

    card = RetroCard.objects.create(
        project=world.project, column=RetroCard.Column.GUIDE, text="Say shared.", given_on="2026-12-01"
    )
    with using(riverdale):
        assert selectors.prompting_card(card_id=str(card.pk)) is None
    assert selectors.prompting_card(card_id=str(card.pk)) == card


def test_the_loader_keeps_one_pointer_per_programme(
    world: World, riverdale: Programme, django_assert_max_num_queries: Any
) -> None:
    with using(riverdale):
        guide.read("roles")
        with django_assert_max_num_queries(0):  # read again in the same programme: nothing asked
            guide.read("principles")
