"""The programme's single row: made by migration or by a write, never by reading it."""

from __future__ import annotations

import pytest
from django.test import Client

from community_insights.portal.programme import services
from community_insights.portal.programme.models import Programme
from community_insights.portal.programme.selectors import programme_get
from tests.portal.access import STAFF, World

pytestmark = pytest.mark.django_db


def test_the_migration_creates_the_programme_row() -> None:
    assert Programme.objects.count() == 1


def _empty_installation() -> None:
    """No programme at all (and so no guide: each version belongs to a programme)."""
    from community_insights.portal.guide.models import GuideVersion

    GuideVersion.objects.all().delete()
    Programme.objects.all().delete()


def test_reading_the_programme_never_writes(client: Client) -> None:
    _empty_installation()
    programme = programme_get()
    assert programme.pk is None
    assert programme.name == "Community Insights Projects"
    assert "Community Insights Projects" in client.get("/").content.decode()
    assert Programme.objects.count() == 0


def test_programme_ensure_creates_the_row_once() -> None:
    _empty_installation()
    first = services.programme_ensure()
    assert first.pk is not None
    assert services.programme_ensure() == first
    assert Programme.objects.count() == 1


def test_an_edit_changes_the_programme_the_staff_member_works_in(world: World) -> None:
    other = Programme.objects.create(name="Riverside Insights", slug="riverside")
    services.programme_update(actor=world.user(STAFF), name="Northmoor Insights")
    assert programme_get().name == "Northmoor Insights"
    other.refresh_from_db()
    assert other.name == "Riverside Insights"
