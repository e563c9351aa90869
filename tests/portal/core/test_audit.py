"""The audit log: append-only, one declared vocabulary, readable by staff and information rights."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

import community_insights.portal as portal_package
from community_insights.portal.core import audit
from community_insights.portal.core.audit import ACTIONS
from community_insights.portal.core.models import AuditEntry
from community_insights.portal.projects import services as project_services
from tests.portal.access import World

pytestmark = pytest.mark.django_db


def test_entries_cannot_be_changed_or_deleted(world: World) -> None:
    entry = audit.record(actor=world.user("staff"), action="core.login")
    entry.actor_label = "someone else"
    with pytest.raises(PermissionError):
        entry.save()
    with pytest.raises(PermissionError):
        entry.delete()
    with pytest.raises(PermissionError):
        AuditEntry.objects.filter(pk=entry.pk).update(actor_label="x")
    with pytest.raises(PermissionError):
        AuditEntry.objects.all().delete()


def test_undeclared_actions_are_refused(world: World) -> None:
    with pytest.raises(ValueError, match="not declared"):
        audit.record(actor=world.user("staff"), action="core.made_up")


def test_every_action_the_portal_records_is_declared() -> None:
    used: set[str] = set()
    for path in Path(portal_package.__file__).parent.rglob("*.py"):
        used |= set(re.findall(r'action="([a-z_]+\.[a-z_]+)"', path.read_text(encoding="utf-8")))
    assert used, "the search found the services"
    assert not sorted(used - set(ACTIONS)), "declare these actions in the area's audit_actions.py"


def _entries_for_both_projects(world: World) -> None:
    project_services.checklist_item_tick(
        actor=world.user("facilitator"), project=world.project, item_key="core_team_identified"
    )
    project_services.checklist_item_tick(
        actor=world.user("outsider"), project=world.other_project, item_key="core_team_identified"
    )


def test_information_rights_read_only_their_projects_entries(world: World, client_for) -> None:  # type: ignore[no-untyped-def]
    _entries_for_both_projects(world)
    page = client_for("information_rights").get(reverse("core:audit_log")).content.decode()
    assert world.project.title in page or "checklist" in page.lower()
    assert "outsider@example.org" not in page, "another project's entries stay hidden"
    staff_page = client_for("staff").get(reverse("core:audit_log")).content.decode()
    assert "outsider@example.org" in staff_page


def test_the_audit_log_filters_by_action_and_project(world: World, client_for) -> None:  # type: ignore[no-untyped-def]
    _entries_for_both_projects(world)
    c: Client = client_for("staff")
    page = c.get(reverse("core:audit_log"), {"project": world.other_project.pk}).content.decode()
    assert "outsider@example.org" in page and "facilitator@example.org" not in page
    page = c.get(reverse("core:audit_log"), {"action": "people.user_deactivate"}).content.decode()
    assert "0 entries" in page
    assert "<title>Audit log – " in page


def test_the_csv_export_is_scoped_safe_for_spreadsheets_and_audited(world: World, client_for) -> None:  # type: ignore[no-untyped-def]
    _entries_for_both_projects(world)
    world.user("facilitator").full_name = "=HYPERLINK(1)"
    audit.record(actor="=cmd|' /C calc'!A0", action="core.login_failed", project_id=world.project.pk)
    response = client_for("information_rights").get(reverse("core:audit_export"))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))  # type: ignore[attr-defined]
    assert rows[0][:3] == ["when", "who", "action"]
    body = rows[1:]
    assert all(r[7] == str(world.project.pk) for r in body), "only the officer's project"
    assert any(r[1].startswith("'=") for r in body), "formulas are neutralised"
    export = AuditEntry.objects.filter(action="core.audit_export").first()
    assert export is not None and export.actor == world.user("information_rights")


def test_the_menu_shows_the_audit_log_only_to_those_who_may_read_it(world: World, client_for) -> None:  # type: ignore[no-untyped-def]
    assert "Audit log" in client_for("staff").get("/").content.decode()
    assert "Audit log" in client_for("information_rights").get("/").content.decode()
    assert "Audit log" not in client_for("facilitator").get("/").content.decode()
    assert "Audit log" not in client_for("anonymous").get("/").content.decode()
