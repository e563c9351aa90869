"""People services: invitations, accepting them, deactivating accounts, each audited."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from community_insights.portal.core.exceptions import ApplicationError, NotPermitted
from community_insights.portal.core.models import AuditEntry
from community_insights.portal.people import services
from community_insights.portal.people.models import Invitation, User
from tests.portal.access import World
from tests.portal.conftest import PASSWORD

pytestmark = pytest.mark.django_db
NEW_PASSWORD = "a-long-and-unusual-passphrase"


def _invite(world: World, email: str = "amina@example.org") -> str:
    _, token = services.invitation_create(
        actor=world.user("staff"),
        email=email,
        organisation=world.organisations["vcs"],
        full_name="Amina Hussain",
        site_url="https://insights.example",
    )
    return token


def test_an_invitation_emails_a_one_off_link_and_stores_only_a_hash(
    world: World, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    with django_capture_on_commit_callbacks(execute=True):
        token = _invite(world, "Amina@Example.org")
    invitation = Invitation.objects.get()
    assert invitation.email == "amina@example.org"
    assert token not in invitation.token_hash
    assert len(mail.outbox) == 1
    link = re.search(r"https://insights\.example/people/invitations/(\S+)/", mail.outbox[0].body)
    assert link and link.group(1) == token
    assert AuditEntry.objects.filter(action="people.invitation_create").exists()


def test_only_staff_and_facilitators_invite_and_existing_accounts_cannot_be_invited(world: World) -> None:
    with pytest.raises(NotPermitted):
        services.invitation_create(
            actor=world.user("data_analyst"), email="x@example.org", organisation=world.organisations["vcs"]
        )
    services.invitation_create(
        actor=world.user("facilitator"), email="x@example.org", organisation=world.organisations["vcs"]
    )
    with pytest.raises(ApplicationError, match="already has an account"):
        services.invitation_create(
            actor=world.user("staff"),
            email=world.user("facilitator").email.upper(),
            organisation=world.organisations["vcs"],
        )
    with pytest.raises(ApplicationError, match="correct format"):
        services.invitation_create(
            actor=world.user("staff"), email="not an email", organisation=world.organisations["vcs"]
        )


def test_accepting_creates_the_account_in_the_organisation_once(world: World) -> None:
    token = _invite(world)
    user = services.invitation_accept(token=token, full_name="Amina  Hussain", password=NEW_PASSWORD)
    assert user.organisation == world.organisations["vcs"] and user.full_name == "Amina Hussain"
    assert user.check_password(NEW_PASSWORD) and not user.is_staff
    assert AuditEntry.objects.get(action="people.invitation_accept").actor == user
    with pytest.raises(ApplicationError, match="expired or has already been used"):
        services.invitation_accept(token=token, full_name="Someone", password=NEW_PASSWORD)


def test_weak_passwords_expired_and_replaced_invitations_are_refused(world: World) -> None:
    token = _invite(world)
    with pytest.raises(ValidationError):
        services.invitation_accept(token=token, full_name="Amina", password="password")
    newer = _invite(world)
    with pytest.raises(ApplicationError):
        services.invitation_accept(token=token, full_name="Amina", password=NEW_PASSWORD)
    Invitation.objects.filter(accepted_at__isnull=True).update(expires_at=timezone.now() - timedelta(seconds=1))
    with pytest.raises(ApplicationError):
        services.invitation_accept(token=newer, full_name="Amina", password=NEW_PASSWORD)
    assert not User.objects.filter(email="amina@example.org").exists()


def test_the_invitation_page_sets_the_password_and_signs_in(world: World, client: Client) -> None:
    token = _invite(world)
    url = reverse("people:invitation_accept", kwargs={"token": token})
    bad = client.post(url, {"full_name": "Amina", "password": NEW_PASSWORD, "password_again": "different"})
    assert bad.status_code == 200 and "govuk-error-summary" in bad.content.decode()
    response = client.post(url, {"full_name": "Amina", "password": NEW_PASSWORD, "password_again": NEW_PASSWORD})
    assert response.status_code == 302 and response["Location"] == reverse("projects:project_list")
    assert client.get(reverse("people:account")).status_code == 200
    assert client.get(url).status_code == 404, "the link works once"


def test_staff_deactivate_an_account_which_then_cannot_sign_in(world: World) -> None:
    analyst = world.user("data_analyst")
    signed_in = Client()
    signed_in.force_login(analyst)
    with pytest.raises(NotPermitted):
        services.user_deactivate(actor=world.user("facilitator"), user=analyst)
    with pytest.raises(NotPermitted):
        services.user_deactivate(actor=world.user("staff"), user=world.user("staff"))
    services.user_deactivate(actor=world.user("staff"), user=analyst, reason="Left the council")
    entry = AuditEntry.objects.get(action="people.user_deactivate")
    assert entry.changes == {"reason_given": True}, "the reason itself is not kept in the audit log"
    assert not Client().login(email=analyst.email, password=PASSWORD)
    assert signed_in.get(reverse("people:account")).status_code == 302, "an open session ends too"
    services.user_reactivate(actor=world.user("staff"), user=analyst)
    assert Client().login(email=analyst.email, password=PASSWORD)


def test_people_change_their_own_details(world: World) -> None:
    user = services.account_update(
        actor=world.user("facilitator"), full_name=" Sam  Whitfield ", job_title="Facilitator"
    )
    assert user.full_name == "Sam Whitfield"
    assert AuditEntry.objects.get(action="people.account_update").changes == {"fields": ["full_name", "job_title"]}
    with pytest.raises(ApplicationError):
        services.account_update(actor=world.user("facilitator"), full_name="  ", job_title="")


def test_sign_in_and_failed_sign_in_are_audited_without_the_typed_address(world: World, client: Client) -> None:
    response = client.post(reverse("account_login"), {"login": world.user("facilitator").email, "password": PASSWORD})
    assert response.status_code == 302
    assert AuditEntry.objects.filter(action="core.login", actor=world.user("facilitator")).exists()
    Client().post(reverse("account_login"), {"login": "someone.else@example.org", "password": "wrong-password"})
    failed = AuditEntry.objects.get(action="core.login_failed")
    assert "someone.else" not in str(failed.changes) + failed.actor_label + failed.target_label


def test_staff_add_organisations_with_unique_names(world: World) -> None:
    org = services.organisation_create(actor=world.user("staff"), name="Age  Well Northmoor", kind="vcs")
    assert org.name == "Age Well Northmoor"
    with pytest.raises(ApplicationError, match="already"):
        services.organisation_create(actor=world.user("staff"), name="age well northmoor", kind="vcs")
    with pytest.raises(NotPermitted):
        services.organisation_create(actor=world.user("delivery_lead"), name="Another", kind="vcs")


def test_a_facilitator_invites_someone_from_an_organisation_the_portal_did_not_know(world: World) -> None:
    invitation, _ = services.invitation_create(
        actor=world.user("facilitator"), email="tom@scouts.example", new_organisation_name=" Northmoor  Scouts "
    )
    assert invitation.organisation.name == "Northmoor Scouts" and invitation.organisation.kind == "vcs"
    again, _ = services.invitation_create(
        actor=world.user("facilitator"), email="ann@scouts.example", new_organisation_name="northmoor scouts"
    )
    assert again.organisation == invitation.organisation, "a known name is reused, not added twice"
    with pytest.raises(ApplicationError, match="Choose an organisation"):
        services.invitation_create(actor=world.user("facilitator"), email="z@example.org")


def test_the_invitation_form_is_filled_in_from_an_office_hours_booking(world: World) -> None:
    from django.test import Client

    client = Client()
    client.force_login(world.user("facilitator"))
    query = "full_name=Tom+Reid&email=tom%40scouts.example&organisation_name=Northmoor+Food+Partnership&next=/ideas/"
    html = client.get(f"/people/invite/?{query}").content.decode()
    assert 'value="Tom Reid"' in html and 'value="tom@scouts.example"' in html
    assert f'<option value="{world.organisations["vcs"].pk}" selected>' in html
    response = client.post(
        f"/people/invite/?{query}",
        {"full_name": "Tom Reid", "email": "tom@scouts.example", "organisation": world.organisations["vcs"].pk},
    )
    assert response.status_code == 302 and response["Location"] == "/ideas/"
    evil = client.post(
        "/people/invite/?next=https://evil.example/",
        {"full_name": "Ann", "email": "ann@scouts.example", "organisation": world.organisations["vcs"].pk},
    )
    assert evil["Location"] == "/projects/", "never sent to another site"


def test_an_invitation_to_a_project_lands_the_person_on_its_team_in_that_role(world: World) -> None:
    from community_insights.portal.projects.models import ProjectRole

    _, token = services.invitation_create(
        actor=world.user("facilitator"),
        email="amina@example.org",
        organisation=world.organisations["vcs"],
        project=world.project,
        role="subject_matter_expert",
    )
    user = services.invitation_accept(token=token, full_name="Amina Hussain", password=NEW_PASSWORD)
    assert list(ProjectRole.objects.filter(user=user).values_list("project", "role")) == [
        (world.project.pk, "subject_matter_expert")
    ]
    entry = AuditEntry.objects.get(
        action="projects.project_role_assign", target_id__isnull=False, changes__user_id=user.pk
    )
    assert entry.actor == world.user("facilitator") and entry.project_id == world.project.pk


def test_only_someone_who_staffs_the_project_invites_to_it_and_the_role_is_the_guides(world: World) -> None:
    with pytest.raises(NotPermitted):
        services.invitation_create(
            actor=world.user("facilitator"),
            email="amina@example.org",
            organisation=world.organisations["vcs"],
            project=world.other_project,
            role="data_analyst",
        )
    with pytest.raises(ApplicationError, match="Choose the role"):
        services.invitation_create(
            actor=world.user("staff"),
            email="amina@example.org",
            organisation=world.organisations["vcs"],
            project=world.project,
            role="chief_executive",
        )
    with pytest.raises(ApplicationError, match="Choose the project"):
        services.invitation_create(
            actor=world.user("staff"),
            email="amina@example.org",
            organisation=world.organisations["vcs"],
            role="data_analyst",
        )


def test_the_invitation_form_names_the_project_and_role(world: World, client_for) -> None:  # type: ignore[no-untyped-def]
    response = client_for("staff").post(
        reverse("people:invitation_create"),
        {
            "full_name": "Amina Hussain",
            "email": "amina@example.org",
            "organisation": world.organisations["vcs"].pk,
            "project": world.project.pk,
            "role": "communities_representative",
        },
    )
    assert response.status_code == 302
    invitation = Invitation.objects.get(email="amina@example.org")
    assert (invitation.project, invitation.role) == (world.project, "communities_representative")
