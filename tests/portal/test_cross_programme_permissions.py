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

from community_insights.portal.core.exceptions import ApplicationError
from community_insights.portal.people.models import Organisation, User
from community_insights.portal.people.selectors import organisation_members
from community_insights.portal.people.services import organisation_create
from community_insights.portal.programme.current import SESSION_KEY, using
from community_insights.portal.programme.models import Programme, ProgrammeMembership
from community_insights.portal.projects.models import Project, ProjectRole
from community_insights.portal.projects.services import project_role_assign
from community_insights.portal.signin.models import SignInProvider
from community_insights.portal.signin.services import provider_create
from tests.portal.access import ANONYMOUS, PERSONAS, ROLE_PERSONAS, STAFF, Case, World
from tests.portal.test_url_permissions import CASES

#: URLs whose object is not any one programme's, so another programme may reach it by design.
NOT_A_PROGRAMMES_OBJECT = {
    # The organisation and the person asked about are the personas' own, and every persona belongs to
    # Riverdale here: they are of both programmes. Northmoor's alone answer 404 (the tests at the end).
    "people:organisation_detail": "the personas' organisation works with Riverdale too",
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


# --------------------------------------------------------------------------- people, organisations, sign-in


def _riverdale_staff(riverdale: Programme) -> User:
    """Staff of Riverdale alone, from an organisation of their own (nothing of Northmoor's)."""
    own = Organisation.objects.create(name="Riverdale Council", kind=Organisation.Kind.COUNCIL)
    own.programmes.add(riverdale)
    person = User.objects.create_user("rita@riverdale.example", full_name="Rita Riverdale", organisation=own)
    ProgrammeMembership.objects.create(programme=riverdale, user=person, role=ProgrammeMembership.Role.STAFF)
    return person


def _northmoor_provider(world: World) -> SignInProvider:
    return provider_create(
        actor=world.user(STAFF),
        name="Northmoor Council Entra ID",
        server_url="https://login.microsoftonline.com/00000000-0000-0000-0000-000000000000/v2.0",
        client_id="client-id",
        client_secret="client-secret",
        email_domains="northmoor.gov.uk",
    )


@pytest.mark.django_db
def test_another_programmes_people_organisations_and_providers_answer_404(world: World) -> None:
    """The objects the matrix leaves out (its personas are in both programmes) when they are Northmoor's alone."""
    riverdale = Programme.objects.create(name="Riverdale Community Insights", slug="riverdale")
    client = Client()
    client.force_login(_riverdale_staff(riverdale))
    analyst = world.user("data_analyst")
    urls = [
        reverse("people:organisation_detail", kwargs={"organisation_id": world.organisations["vcs"].pk}),
        reverse("people:person_deactivate", kwargs={"user_id": analyst.pk}),
        reverse("people:person_reactivate", kwargs={"user_id": analyst.pk}),
        reverse("signin:provider_edit", kwargs={"slug": _northmoor_provider(world).slug}),
    ]
    answers = {url: client.get(url).status_code for url in urls} | {
        f"POST {url}": client.post(url, {}).status_code
        for url in urls[1:]  # the organisation's page is GET only
    }
    assert set(answers.values()) == {404}, answers
    analyst.refresh_from_db()
    assert analyst.is_active, "nothing changed"


@pytest.mark.django_db
def test_the_lists_and_choices_of_one_programme_show_nothing_of_another(world: World) -> None:
    riverdale = Programme.objects.create(name="Riverdale Community Insights", slug="riverdale")
    rita = _riverdale_staff(riverdale)
    _northmoor_provider(world)
    theirs = Project.objects.create(
        programme=riverdale, title="Riverdale carers", slug="riverdale-carers", question="?"
    )
    ProjectRole.objects.create(project=theirs, user=rita, role="facilitator")
    client = Client()
    client.force_login(rita)
    pages = {
        name: client.get(reverse(name, kwargs=kwargs)).content.decode()
        for name, kwargs in [
            ("people:person_list", {}),
            ("people:organisation_list", {}),
            ("people:invitation_create", {}),
            ("signin:provider_list", {}),
            ("projects:project_create", {}),
            ("projects:role_assign", {"slug": theirs.slug}),
        ]
    }
    # Not the council's name: with no header name of its own, Riverdale shows the installation's.
    northmoor = [world.organisations[k].name for k in ("vcs", "other_vcs", "partner")]
    northmoor += [world.project.title, "Northmoor Council Entra ID"]
    for persona in ("data_analyst", "facilitator", STAFF):
        world.user(persona).full_name = f"{persona.title()} Of Northmoor"
        world.user(persona).save(update_fields=["full_name"])
        northmoor.append(world.user(persona).full_name)
    seen = {name: [n for n in northmoor if n in page] for name, page in pages.items()}
    assert seen == {name: [] for name in pages}
    assert (
        "Rita Riverdale" in pages["projects:role_assign"] and "Riverdale Council" in pages["people:organisation_list"]
    )


@pytest.mark.django_db
def test_an_organisation_of_both_programmes_shows_only_each_programmes_people(world: World) -> None:
    riverdale = Programme.objects.create(name="Riverdale Community Insights", slug="riverdale")
    rita = _riverdale_staff(riverdale)
    shared = world.organisations["vcs"]  # Northmoor Food Partnership works with both councils
    ProgrammeMembership.objects.create(programme=riverdale, user=world.user("vcs_member_lead"))
    client = Client()
    client.force_login(rita)
    page = client.get(reverse("people:organisation_detail", kwargs={"organisation_id": shared.pk})).content.decode()
    assert "Vcs Member Lead" in page
    assert "Advisory Panel" not in page and "Subject Matter Expert" not in page, "its Northmoor people stay there"
    listing = client.get(reverse("people:organisation_list")).content.decode()
    assert shared.name in listing and "1 member" in listing


@pytest.mark.django_db
def test_staff_of_another_programme_add_an_organisation_of_the_same_name_as_that_one(world: World) -> None:
    """The same organisation is linked, not refused by a name Riverdale cannot see; Northmoor's people stay hidden."""
    riverdale = Programme.objects.create(name="Riverdale Community Insights", slug="riverdale")
    rita = _riverdale_staff(riverdale)
    with using(riverdale):
        linked = organisation_create(actor=rita, name="northmoor food partnership", kind="vcs")
        assert linked == world.organisations["vcs"]
        assert list(organisation_members(organisation=linked)) == []
        with pytest.raises(ApplicationError, match="already"):
            organisation_create(actor=rita, name="Northmoor Food Partnership", kind="vcs")


@pytest.mark.django_db
def test_a_council_domain_taken_in_another_programme_is_refused_without_naming_its_provider(world: World) -> None:
    riverdale = Programme.objects.create(name="Riverdale Community Insights", slug="riverdale")
    _northmoor_provider(world)
    with using(riverdale), pytest.raises(ApplicationError) as refused:
        provider_create(
            actor=_riverdale_staff(riverdale),
            name="Riverdale Council",
            server_url="https://login.microsoftonline.com/11111111-1111-1111-1111-111111111111/v2.0",
            client_id="riverdale",
            client_secret="secret",
            email_domains="riverdale.gov.uk\nnorthmoor.gov.uk",
        )
    assert refused.value.message == "northmoor.gov.uk already signs in through another programme's provider."


@pytest.mark.django_db
def test_the_team_is_chosen_from_the_programmes_people_only(world: World) -> None:
    riverdale = Programme.objects.create(name="Riverdale Community Insights", slug="riverdale")
    rita = _riverdale_staff(riverdale)
    theirs = Project.objects.create(
        programme=riverdale, title="Riverdale carers", slug="riverdale-carers", question="?"
    )
    nobodys = User.objects.create_user("new.person@example.org", full_name="In No Programme")
    with using(riverdale):
        for person in (world.user("data_analyst"), nobodys):
            with pytest.raises(ApplicationError, match="belongs to the programme"):
                project_role_assign(actor=rita, project=theirs, user=person, role="data_analyst")
        ProgrammeMembership.objects.create(programme=riverdale, user=nobodys)
        assert project_role_assign(actor=rita, project=theirs, user=nobodys, role="data_analyst").user == nobodys
