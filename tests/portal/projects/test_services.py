"""Project services: each checks permission, validates, saves, audits and notifies on commit."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from community_insights.portal.core.exceptions import ApplicationError, NotPermitted
from community_insights.portal.core.models import AuditEntry
from community_insights.portal.programme.models import ProgrammeMembership
from community_insights.portal.projects import phases as phase_data
from community_insights.portal.projects import services
from community_insights.portal.projects.models import ChecklistTick, ProjectRole
from tests.portal.access import World

pytestmark = pytest.mark.django_db


def test_a_council_colleague_starts_a_project_and_becomes_its_delivery_lead(world: World) -> None:
    analyst = world.user("data_analyst")
    project = services.project_create(actor=analyst, title="Warm spaces", question="Who needs a warm space?")
    assert project.phase == 1 and project.slug == "warm-spaces"
    assert ProjectRole.objects.filter(project=project, user=analyst, role="delivery_lead").exists()
    entry = AuditEntry.objects.get(action="projects.project_create")
    assert entry.project_id == project.pk and entry.actor == analyst
    again = services.project_create(actor=analyst, title="Warm spaces", question="Again?")
    assert again.slug == "warm-spaces-2"
    reserved = services.project_create(actor=analyst, title="New", question="A project called New?")
    assert reserved.slug != "new", "'new' is the address of the start-a-project page"


def test_vcs_members_and_outsiders_cannot_start_projects(world: World) -> None:
    for persona in ("vcs_member_lead", "outsider", "facilitator"):
        with pytest.raises(NotPermitted):
            services.project_create(actor=world.user(persona), title="X", question="Y?")


def test_staff_may_start_a_project_without_a_role_but_others_need_one(world: World) -> None:
    project = services.project_create(actor=world.user("staff"), title="X", question="Y?", creator_role=None)
    assert not project.roles.exists()
    with pytest.raises(ApplicationError):
        services.project_create(actor=world.user("data_analyst"), title="X", question="Y?", creator_role=None)


def test_moving_on_needs_the_checklist_or_a_confirmation(world: World, django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    lead, project = world.user("delivery_lead"), world.project
    with pytest.raises(ApplicationError, match="not ticked"):
        services.project_advance_phase(actor=lead, project=project)
    for item in phase_data.phase(1).items:
        services.checklist_item_tick(actor=lead, project=project, item_key=item.key)
    with django_capture_on_commit_callbacks(execute=True):
        project = services.project_advance_phase(actor=lead, project=project)
    assert project.phase == 2
    entry = AuditEntry.objects.get(action="projects.project_advance_phase")
    assert entry.changes == {"from": 1, "to": 2, "unticked_items": []}
    assert all(len(m.to) == 1 and "phase 2" in m.subject for m in mail.outbox), "one email per person"
    assert [world.user("facilitator").email] in [m.to for m in mail.outbox]
    with django_capture_on_commit_callbacks(execute=True):
        project = services.project_advance_phase(actor=lead, project=project, confirm_incomplete=True)
    latest = AuditEntry.objects.filter(action="projects.project_advance_phase").first()
    assert latest is not None and len(latest.changes["unticked_items"]) == len(phase_data.phase(2).items)
    with pytest.raises(ApplicationError, match="nothing to share"):  # Phase 3's gate: no confirmation moves it
        services.project_advance_phase(actor=lead, project=project, confirm_incomplete=True)
    project.phase = 4
    project.save(update_fields=["phase"])
    with pytest.raises(ApplicationError, match="last phase"):
        services.project_advance_phase(actor=lead, project=project, confirm_incomplete=True)


def test_looping_back_records_the_reason_and_tells_the_team(world: World, django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    lead, project = world.user("delivery_lead"), world.project
    with pytest.raises(ApplicationError, match="first phase"):
        services.project_loop_back(actor=lead, project=project, reason="x")
    project.phase = 3
    project.save(update_fields=["phase"])
    with pytest.raises(ApplicationError, match="Say why"):
        services.project_loop_back(actor=lead, project=project, reason=" ")
    with pytest.raises(NotPermitted):
        services.project_loop_back(actor=world.user("data_analyst"), project=project, reason="x")
    with django_capture_on_commit_callbacks(execute=True):
        project = services.project_loop_back(actor=lead, project=project, reason="The options do not answer it.")
    assert project.phase == 2
    entry = AuditEntry.objects.filter(action="projects.project_advance_phase").first()
    assert entry is not None and entry.changes == {
        "from": 3, "to": 2, "loop_back": True, "reason": "The options do not answer it."
    }  # fmt: skip
    assert any("gone back to phase 2" in m.subject and "The options do not answer it." in m.body for m in mail.outbox)
    client = Client()
    client.force_login(lead)
    page = client.get(reverse("projects:project_detail", args=[project.slug])).content.decode()
    assert "went back to this phase from phase 3" in page and "The options do not answer it." in page


@pytest.mark.parametrize("persona", ["data_analyst", "vcs_member_lead", "information_rights", "outsider"])
def test_only_runners_move_a_project_on(world: World, persona: str) -> None:
    with pytest.raises(NotPermitted):
        services.project_advance_phase(actor=world.user(persona), project=world.project, confirm_incomplete=True)


def test_assigning_a_role_notifies_the_person_and_rejects_duplicates(
    world: World, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    facilitator, outsider = world.user("facilitator"), world.user("outsider")
    with django_capture_on_commit_callbacks(execute=True):
        role = services.project_role_assign(
            actor=facilitator, project=world.project, user=outsider, role="advisory_panel", planned_days=Decimal(4)
        )
    assert role.planned_days == Decimal(4)
    assert mail.outbox[-1].to == [outsider.email] and "Advisory panel member" in mail.outbox[-1].body
    with pytest.raises(ApplicationError, match="already has"):
        services.project_role_assign(actor=facilitator, project=world.project, user=outsider, role="advisory_panel")
    with pytest.raises(ApplicationError, match="between 0 and 365"):
        services.project_role_assign(
            actor=facilitator, project=world.project, user=outsider, role="facilitator", planned_days=Decimal(400)
        )
    with pytest.raises(ApplicationError, match="guide's roles"):
        services.project_role_assign(actor=facilitator, project=world.project, user=outsider, role="wizard")
    with pytest.raises(NotPermitted):
        services.project_role_assign(
            actor=world.user("data_analyst"), project=world.project, user=outsider, role="facilitator"
        )


def test_deactivated_people_cannot_be_given_roles(world: World) -> None:
    outsider = world.user("outsider")
    outsider.is_active = False
    outsider.save()
    with pytest.raises(ApplicationError, match="deactivated"):
        services.project_role_assign(
            actor=world.user("staff"), project=world.project, user=outsider, role="facilitator"
        )


def test_changing_days_and_removing_a_role_are_audited(world: World) -> None:
    role = world.project.roles.get(role="data_analyst")
    services.project_role_update(actor=world.user("delivery_lead"), project_role=role, planned_days=Decimal("7.5"))
    role.refresh_from_db()
    assert role.planned_days == Decimal("7.5")
    services.project_role_remove(actor=world.user("delivery_lead"), project_role=role)
    assert not ProjectRole.objects.filter(pk=role.pk).exists()
    actions = list(AuditEntry.objects.filter(project_id=world.project.pk).values_list("action", flat=True))
    assert "projects.project_role_update" in actions and "projects.project_role_remove" in actions


def test_core_team_ticks_with_who_and_when_and_can_untick(world: World) -> None:
    panel = world.user("advisory_panel")
    tick = services.checklist_item_tick(actor=panel, project=world.project, item_key="core_team_identified", note="Met")
    assert tick.ticked_by == panel and tick.note == "Met"
    assert services.checklist_item_tick(actor=panel, project=world.project, item_key="core_team_identified") == tick
    entry = AuditEntry.objects.get(action="projects.checklist_item_tick")
    assert entry.changes == {"item": "core_team_identified", "phase": 1, "note_given": True}
    services.checklist_item_untick(
        actor=world.user("facilitator"), project=world.project, item_key="core_team_identified"
    )
    assert not ChecklistTick.objects.exists()
    assert AuditEntry.objects.filter(action="projects.checklist_item_untick").exists()


def test_complementary_team_and_outsiders_cannot_tick_and_later_phases_wait(world: World) -> None:
    for persona in ("information_rights", "contracts_legal", "outsider"):
        with pytest.raises(NotPermitted):
            services.checklist_item_tick(actor=world.user(persona), project=world.project, item_key="team_set")
    with pytest.raises(ApplicationError, match="later phase"):
        services.checklist_item_tick(actor=world.user("facilitator"), project=world.project, item_key="team_set")
    with pytest.raises(ApplicationError, match="no such"):
        services.checklist_item_tick(actor=world.user("facilitator"), project=world.project, item_key="nope")


def test_editing_a_project_records_only_the_fields_changed(world: World) -> None:
    p = world.project
    services.project_update(
        actor=world.user("staff"),
        project=p,
        title=p.title,
        question=p.question,
        summary="New summary",
        lead_organisation=p.lead_organisation,
        is_public=True,
        is_selected=True,
    )
    entry = AuditEntry.objects.get(action="projects.project_update")
    assert sorted(entry.changes["fields"]) == ["is_public", "is_selected", "summary"]
    with pytest.raises(NotPermitted):
        services.project_update(
            actor=world.user("data_analyst"),
            project=p,
            title="X",
            question="Y",
            summary="",
            lead_organisation=None,
            is_public=False,
            is_selected=False,
        )


def test_selection_is_recorded_by_programme_facilitators_with_an_audit_entry(world: World) -> None:
    project = world.project
    for persona in ("vcs_member_lead", "advisory_panel", "outsider"):
        with pytest.raises(NotPermitted):
            services.project_set_selection(actor=world.user(persona), project=project, selected=True, public=True)
    with pytest.raises(ApplicationError, match="Only a selected project"):
        services.project_set_selection(actor=world.user("facilitator"), project=project, selected=False, public=True)
    project.refresh_from_db()
    assert not project.is_selected and not project.is_public

    services.project_set_selection(
        actor=world.user("facilitator"), project=project, selected=True, public=True, reason="Clear question."
    )
    project.refresh_from_db()
    assert project.is_selected and project.is_public
    entry = AuditEntry.objects.get(action="projects.project_set_selection")
    assert entry.actor == world.user("facilitator") and entry.project_id == project.pk
    assert entry.changes == {
        "selected": True,
        "public": True,
        "reason_given": True,
        "fields": ["is_selected", "is_public"],
    }
    # Staff may take a project off the landing page again.
    services.project_set_selection(actor=world.user("staff"), project=project, selected=True, public=False)
    project.refresh_from_db()
    assert project.is_selected and not project.is_public


def test_role_ensure_adds_once_and_lets_programme_facilitators_staff_candidates_only(world: World) -> None:
    project = world.project
    newcomer = world.user("outsider")
    with pytest.raises(NotPermitted):
        services.project_role_ensure(
            actor=world.user("vcs_member_lead"), project=project, user=newcomer, role="subject_matter_expert"
        )
    mail.outbox.clear()
    first = services.project_role_ensure(
        actor=world.user("delivery_lead"), project=project, user=newcomer, role="subject_matter_expert"
    )
    again = services.project_role_ensure(
        actor=world.user("delivery_lead"), project=project, user=newcomer, role="subject_matter_expert"
    )
    assert first.pk == again.pk
    assert AuditEntry.objects.filter(action="projects.project_role_assign", target_id=str(first.pk)).count() == 1
    quiet = services.project_role_ensure(
        actor=world.user("delivery_lead"),
        project=project,
        user=newcomer,
        role="communities_representative",
        notify_user=False,
    )
    assert quiet.role == "communities_representative"

    # A facilitator of another project shapes a candidate (phase 1-2) project's team, not a running one's.
    other = services.project_create(actor=world.user("staff"), title="Warm spaces", question="Who?", creator_role=None)
    elsewhere = world.user("facilitator")
    # A member of the programme (as an invitation makes them), so still one of its people without the role.
    ProgrammeMembership.objects.get_or_create(programme=project.programme, user=elsewhere)
    ProjectRole.objects.filter(user=elsewhere, project=project).delete()
    services.project_role_assign(actor=world.user("staff"), project=other, user=elsewhere, role="facilitator")
    services.project_role_ensure(actor=elsewhere, project=project, user=newcomer, role="advisory_panel")
    project.phase = 3
    project.save(update_fields=["phase"])
    with pytest.raises(NotPermitted):
        services.project_role_ensure(actor=elsewhere, project=project, user=newcomer, role="data_analyst")


def _in_phase_four(project):  # type: ignore[no-untyped-def]
    project.phase = 4
    project.save(update_fields=["phase"])
    return project


def test_a_project_closes_only_when_phase_four_is_done(world: World, django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    lead, project = world.user("delivery_lead"), world.project
    with pytest.raises(ApplicationError, match="end of phase 4"):
        services.project_close(actor=lead, project=project)
    project = _in_phase_four(project)
    first, *rest = phase_data.phase(4).items
    services.checklist_item_tick(actor=lead, project=project, item_key=first.key)
    with pytest.raises(ApplicationError, match=f"{len(rest)} of phase 4's"):
        services.project_close(actor=lead, project=project)
    project.refresh_from_db()
    assert project.closed_at is None and not AuditEntry.objects.filter(action="projects.project_close").exists()
    for item in rest:
        services.checklist_item_tick(actor=lead, project=project, item_key=item.key)
    with django_capture_on_commit_callbacks(execute=True):
        closed = services.project_close(actor=lead, project=project)
    project.refresh_from_db()
    assert project.is_closed and project.closed_by == lead and closed.closed_at == project.closed_at
    entry = AuditEntry.objects.get(action="projects.project_close")
    assert entry.actor == lead and entry.project_id == project.pk and entry.changes == {"phase": 4}
    assert mail.outbox and all(len(m.to) == 1 and "is finished" in m.subject for m in mail.outbox)
    with pytest.raises(ApplicationError, match="already closed"):
        services.project_close(actor=lead, project=project)
    with pytest.raises(ApplicationError, match="is closed"):
        services.project_loop_back(actor=lead, project=project, reason="Reopen it.")
    with pytest.raises(ApplicationError, match="is closed"):
        services.checklist_item_untick(actor=lead, project=project, item_key=first.key)
    assert ChecklistTick.objects.filter(project=project, item_key=first.key).exists()


@pytest.mark.parametrize("persona", ["data_analyst", "vcs_member_lead", "information_rights", "outsider"])
def test_only_runners_close_a_project(world: World, persona: str) -> None:
    project = _in_phase_four(world.project)
    for item in phase_data.phase(4).items:
        services.checklist_item_tick(actor=world.user("delivery_lead"), project=project, item_key=item.key)
    with pytest.raises(NotPermitted):
        services.project_close(actor=world.user(persona), project=project)
    project.refresh_from_db()
    assert project.closed_at is None


def test_the_overview_shows_phase_four_and_the_close_action(world: World) -> None:
    lead, project = world.user("delivery_lead"), _in_phase_four(world.project)
    client = Client()
    client.force_login(lead)
    page = client.get(reverse("projects:project_detail", args=[project.slug])).content.decode()
    assert "Finishing the project" in page and "Not yet" in page
    assert reverse("projects:project_close", args=[project.slug]) not in page  # not while items are left
    close_page = client.get(reverse("projects:project_close", args=[project.slug])).content.decode()
    assert "Tick every" in close_page and 'value="Close the project"' not in close_page
    for item in phase_data.phase(4).items:
        services.checklist_item_tick(actor=lead, project=project, item_key=item.key)
    page = client.get(reverse("projects:project_detail", args=[project.slug])).content.decode()
    assert reverse("projects:project_close", args=[project.slug]) in page and "can be closed" in page
    close_page = client.get(reverse("projects:project_close", args=[project.slug])).content.decode()
    assert 'value="Close the project"' in close_page
    response = client.post(reverse("projects:project_close", args=[project.slug]))
    assert response.status_code == 302
    page = client.get(reverse("projects:project_detail", args=[project.slug])).content.decode()
    assert "Closed</strong>" in page and "by Delivery Lead" in page
    assert reverse("projects:project_close", args=[project.slug]) not in page
    assert reverse("projects:phase_loop_back", args=[project.slug]) not in page
    refused = client.post(reverse("projects:project_close", args=[project.slug]))
    assert refused.status_code == 200 and "already closed" in refused.content.decode()


def test_other_phases_show_no_finishing_panel(world: World) -> None:
    client = Client()
    client.force_login(world.user("delivery_lead"))
    page = client.get(reverse("projects:project_detail", args=[world.project.slug])).content.decode()
    assert "Finishing the project" not in page
