"""Editing a data source saves what changed; only staff may change its owner, as an audited action."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from community_insights.portal.core.exceptions import NotPermitted
from community_insights.portal.core.models import AuditEntry
from community_insights.portal.datasets import services
from community_insights.portal.datasets.models import DataSource
from tests.portal.access import World


def _form(source: DataSource, **changes: Any) -> dict[str, Any]:
    data = {
        "name": source.name,
        "category": source.category,
        "description": source.description,
        "owner_organisation": source.owner_organisation_id,
        "legal_basis": source.legal_basis,
        "retention_until_0": str(source.retention_until.day),
        "retention_until_1": str(source.retention_until.month),
        "retention_until_2": str(source.retention_until.year),
    }
    data.update(changes)
    return data


@pytest.mark.django_db
def test_an_edit_through_the_page_is_saved_and_audited(world: World, source: DataSource, client_for: Any) -> None:
    client = client_for("delivery_lead")
    url = reverse("datasets:source_edit", kwargs={"source_id": source.pk})
    response = client.post(url, _form(source, name="Food bank referrals 2025", legal_basis="legal_obligation"))
    assert response.status_code == 302, response.content.decode().split("govuk-error-summary__list", 1)[-1][:800]
    source.refresh_from_db()
    assert (source.name, source.legal_basis) == ("Food bank referrals 2025", "legal_obligation")
    entry = AuditEntry.objects.get(action="datasets.source_update")
    assert entry.changes == {"fields": ["name", "legal_basis"]}


@pytest.mark.django_db
def test_a_member_cannot_move_a_source_to_their_own_organisation(
    world: World, source: DataSource, client_for: Any
) -> None:
    council = world.organisations["council"]
    vcs = world.organisations["vcs"]
    client = client_for("facilitator")
    url = reverse("datasets:source_edit", kwargs={"source_id": source.pk})
    page = client.get(url).content.decode()
    assert "Only programme staff can change this." in page
    client.post(url, _form(source, owner_organisation=vcs.pk, name="Renamed"))
    source.refresh_from_db()
    assert source.owner_organisation == council, "the posted owner is ignored for non-staff"
    assert source.name == "Renamed", "the rest of the edit is saved"
    with pytest.raises(NotPermitted):
        services.data_source_update(actor=world.user("facilitator"), source=source, owner_organisation=vcs)
    source.refresh_from_db()
    assert source.owner_organisation == council
    assert not AuditEntry.objects.filter(action="datasets.source_owner_change").exists()


@pytest.mark.django_db
def test_staff_change_the_owner_as_an_audited_action(world: World, source: DataSource, client_for: Any) -> None:
    vcs = world.organisations["vcs"]
    client = client_for("staff")
    url = reverse("datasets:source_edit", kwargs={"source_id": source.pk})
    response = client.post(url, _form(source, owner_organisation=vcs.pk))
    assert response.status_code == 302, response.content.decode().split("govuk-error-summary__list", 1)[-1][:800]
    source.refresh_from_db()
    assert source.owner_organisation == vcs
    entry = AuditEntry.objects.get(action="datasets.source_owner_change")
    assert entry.changes == {
        "fields": ["owner_organisation"],
        "from": str(world.organisations["council"]),
        "to": str(vcs),
    }
