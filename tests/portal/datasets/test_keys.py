"""The programme's pseudonymisation key: one active, sealed, never shown; rotation is recorded."""

from __future__ import annotations

from typing import Any

import pytest

from community_insights.portal.core.exceptions import ApplicationError, NotPermitted
from community_insights.portal.core.models import AuditEntry
from community_insights.portal.datasets import services
from community_insights.portal.datasets.encryption import open_bytes
from community_insights.portal.datasets.models import PseudonymisationKey
from tests.portal.access import World


@pytest.mark.django_db
def test_rotation_retires_the_old_key_and_is_recorded(world: World, client_for: Any) -> None:
    rights = world.user("information_rights")
    first = services.key_rotate(actor=rights, reason="First key for the programme.")
    second = services.key_rotate(actor=rights, reason="A laptop holding an export was lost.")
    first.refresh_from_db()
    assert not first.is_active and first.retired_at is not None
    assert second.is_active and PseudonymisationKey.objects.filter(is_active=True).count() == 1
    assert open_bytes(bytes(second.sealed_key)) != open_bytes(bytes(first.sealed_key))
    entry = AuditEntry.objects.filter(action="datasets.key_rotate").first()
    assert entry is not None and entry.changes["retired_key_id"] == first.key_id
    page = client_for("information_rights").get("/datasets/keys/").content.decode()
    assert second.key_id in page
    assert open_bytes(bytes(second.sealed_key)).hex() not in page


@pytest.mark.django_db
def test_only_information_rights_rotate_and_must_say_why(world: World) -> None:
    with pytest.raises(NotPermitted):
        services.key_rotate(actor=world.user("data_analyst"), reason="Because.")
    with pytest.raises(ApplicationError):
        services.key_rotate(actor=world.user("information_rights"), reason=" ")


@pytest.mark.django_db
def test_safe_copies_of_two_uploads_share_the_programme_key(
    world: World, upload: Any, django_capture_on_commit_callbacks: Any
) -> None:
    analyst = world.user("data_analyst")
    copies = []
    for name in ("council.csv", "vcs.csv"):
        dataset = upload(name=name)
        plan = services.plan_create(actor=analyst, dataset=dataset)
        with django_capture_on_commit_callbacks(execute=True):
            services.plan_apply(actor=analyst, plan=plan)
        plan.refresh_from_db()
        copies.append(plan.safe_copy)
    key = PseudonymisationKey.objects.get(is_active=True)
    assert {c.key_id for c in copies} == {key.key_id}
    assert AuditEntry.objects.filter(action="datasets.key_create").count() == 1
