"""The permission matrix across two programmes (issue 22): another programme's objects answer 404.

Every case of every area's ``url_access.py`` that names an object builds it in
the world's programme (Northmoor). Each persona then works in a second
programme (Riverdale): a membership there (staff of it for the staff persona,
the same role on a Riverdale project for each role persona), chosen with the
switcher. Two ways of belonging are checked:

- ``only_riverdale``: the persona's Northmoor roles are taken away, so they are
  a person of Riverdale alone;
- ``in_both``: they keep their Northmoor roles too, and are working in Riverdale.

Either way Northmoor's objects answer 404 (or 403, where the page refuses the
persona before it looks anything up, as it would anywhere), so nothing of one
programme is reachable from the other. The last test shows a person in both
seeing each programme's project in its own context.
"""

from __future__ import annotations

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse

from community_insights.portal.programme.current import SESSION_KEY
from community_insights.portal.programme.models import Programme, ProgrammeMembership
from community_insights.portal.projects.models import Project, ProjectRole
from tests.portal.access import ANONYMOUS, PERSONAS, ROLE_PERSONAS, STAFF, Case, World
from tests.portal.test_url_permissions import CASES

#: URLs whose object is not any one programme's, so another programme may reach it by design.
NOT_A_PROGRAMMES_OBJECT = {
    # Organisations are shared: a VCS organisation works with several councils' programmes.
    "people:organisation_detail": "organisations belong to the installation",
    # The person asked about is a persona, and every persona belongs to Riverdale here: a person of both.
    "people:person_detail": "the person is one of Riverdale's too",
    "people:person_deactivate": "the person is one of Riverdale's too",
    "people:person_reactivate": "the person is one of Riverdale's too",
    # Every programme's landing page and logo are public at their own path.
    "programme:programme_landing": "a programme's public page",
    "programme:logo": "a programme's public logo",
    # A one-off link is the visitor's own key (an invitation, an office hours booking).
    "people:invitation_accept": "a one-off invitation link",
    "ideas:booking_manage": "a visitor's signed booking link",
    "ideas:booking_calendar": "a visitor's signed booking link",
    "ideas:booking_cancel": "a visitor's signed booking link",
    # Published is public (issue 22: "unless it is published"): the hub links to these from anywhere.
    "sharing:insight_detail": "a published insight",
    "sharing:insight_download": "a published insight's file",
    "sharing:insight_figure_download": "a published insight's figures",
    "sharing:plenary_public": "the public page of a published project's plenary",
    "sharing:plenary_calendar": "the public page of a published project's plenary",
    "sharing:interest_register": "the public form of a published project",
    "sharing:project_public": "a published project's public page",
    "selection:project_about": "a public selected project's page",
    # A section's name is the same in every programme's guide: it opens the current programme's own guide.
    "guide:propose": "a section of the guide, which every programme's guide has",
    # Every programme's guide is public at its own path, like its landing page.
    "guide:programme_index": "a programme's public guide",
    "guide:programme_roles": "a programme's public guide",
    "guide:programme_principles": "a programme's public guide",
    "guide:programme_history": "a programme's public guide",
    # Signing in comes before any programme: the email address's domain chooses the provider.
    "openid_connect_login": "signing in, before any programme",
    "openid_connect_callback": "signing in, before any programme",
    # "Remove if there": the same redirect for any number; test_removing_another_programmes_panel_member...
    "selection:panel_remove": "answers alike for any number; shown to change nothing below",
}


def _names_an_object(case: Case) -> bool:
    return case.kwargs.__name__ != "_no_kwargs" and case.url_name not in NOT_A_PROGRAMMES_OBJECT


OBJECT_CASES = [c for c in CASES if _names_an_object(c)]
SIGNED_IN_PERSONAS = [p for p in PERSONAS if p != ANONYMOUS]


def _move_personas_to(world: World, riverdale: Programme, *, keep_northmoor_roles: bool) -> None:
    """Each persona belongs to Riverdale (same role there), and works in it."""
    mirror = Project.objects.create(
        programme=riverdale, title="Riverdale mirror", slug="riverdale-mirror", question="?"
    )
    if not keep_northmoor_roles:
        ProjectRole.objects.filter(project__programme__in=Programme.objects.exclude(pk=riverdale.pk)).delete()
        ProgrammeMembership.objects.exclude(programme=riverdale).delete()
    for persona in SIGNED_IN_PERSONAS:
        role = ProgrammeMembership.Role.STAFF if persona == STAFF else ProgrammeMembership.Role.MEMBER
        ProgrammeMembership.objects.create(programme=riverdale, user=world.user(persona), role=role)
        if persona in ROLE_PERSONAS:
            ProjectRole.objects.create(project=mirror, user=world.user(persona), role=persona)


def _client_in(world: World, persona: str, riverdale: Programme) -> Client:
    client = Client()
    client.force_login(world.user(persona))
    session = client.session
    session[SESSION_KEY] = riverdale.pk
    session.save()
    return client


@pytest.mark.parametrize("belonging", ["only_riverdale", "in_both"])
@pytest.mark.parametrize("case", OBJECT_CASES, ids=[c.id for c in OBJECT_CASES])
@pytest.mark.django_db
def test_another_programmes_objects_answer_404(case: Case, belonging: str, world: World) -> None:
    riverdale = Programme.objects.create(name="Riverdale Community Insights", slug="riverdale")
    wrong: list[str] = []
    for persona in SIGNED_IN_PERSONAS:
        with transaction.atomic():
            url = reverse(case.url_name, kwargs=case.kwargs(world))  # made in Northmoor, the world's programme
            _move_personas_to(world, riverdale, keep_northmoor_roles=belonging == "in_both")
            client = _client_in(world, persona, riverdale)
            if case.method == "post":
                response = client.post(url, case.data(world) if case.data else {})
            else:
                response = client.get(url)
            transaction.set_rollback(True)
        refused_first = case.expect[persona] == 403  # refused before any look-up, as in its own programme
        allowed = {404, 403} if refused_first else {404}
        if response.status_code not in allowed:
            wrong.append(f"{persona}: expected {sorted(allowed)}, got {response.status_code}")
    assert not wrong, f"{case.method.upper()} {url} ({belonging}):\n  " + "\n  ".join(wrong)


@pytest.mark.django_db
def test_a_person_in_both_programmes_sees_each_in_its_own_context(world: World) -> None:
    riverdale = Programme.objects.create(name="Riverdale Community Insights", slug="riverdale")
    theirs = Project.objects.create(
        programme=riverdale, title="Riverdale carers", slug="riverdale-carers", question="?"
    )
    person = world.user("facilitator")
    ProjectRole.objects.create(project=theirs, user=person, role="facilitator")
    client = Client()
    client.force_login(person)
    northmoor_page = reverse("projects:project_detail", kwargs={"slug": world.project.slug})
    riverdale_page = reverse("projects:project_detail", kwargs={"slug": theirs.slug})
    assert client.get(northmoor_page).status_code == 200  # first programme of the person: Northmoor
    assert client.get(riverdale_page).status_code == 404
    listing = client.get(reverse("projects:project_list")).content.decode()
    assert world.project.title in listing and theirs.title not in listing
    assert client.post(reverse("programme:switch"), {"programme": "riverdale"}).status_code == 302
    assert client.get(riverdale_page).status_code == 200
    assert client.get(northmoor_page).status_code == 404
    listing = client.get(reverse("projects:project_list")).content.decode()
    assert theirs.title in listing and world.project.title not in listing


@pytest.mark.django_db
def test_nobody_switches_to_a_programme_they_are_not_in(world: World) -> None:
    Programme.objects.create(name="Riverdale Community Insights", slug="riverdale")
    client = Client()
    client.force_login(world.user("facilitator"))
    assert client.post(reverse("programme:switch"), {"programme": "riverdale"}).status_code == 404
    client.force_login(world.user(STAFF))  # staff of Northmoor are nobody in Riverdale either
    assert client.post(reverse("programme:switch"), {"programme": "riverdale"}).status_code == 404


@pytest.mark.django_db
def test_removing_another_programmes_panel_member_changes_nothing(world: World) -> None:
    from community_insights.portal.selection.models import PanelMember

    member = PanelMember.objects.create(user=world.user("subject_matter_expert"))  # on Northmoor's panel
    riverdale = Programme.objects.create(name="Riverdale Community Insights", slug="riverdale")
    _move_personas_to(world, riverdale, keep_northmoor_roles=True)
    client = _client_in(world, STAFF, riverdale)
    client.post(reverse("selection:panel_remove", kwargs={"pk": member.pk}))
    assert PanelMember.objects.filter(pk=member.pk).exists()
