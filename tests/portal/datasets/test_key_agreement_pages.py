"""The key sharing agreement pages: proposed in one programme, approved by an officer of each in their own.

Each officer works in their own programme (chosen with the switcher, as a person
does); the pages show only that programme's agreements, and only the second
approval makes the shared key. The permission matrix covers who else is refused.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from community_insights.portal.core.models import AuditEntry
from community_insights.portal.datasets.models import KeySharingAgreement
from community_insights.portal.people.models import User
from community_insights.portal.programme.current import SESSION_KEY, current_programme
from community_insights.portal.programme.models import Programme
from community_insights.portal.projects.models import Project, ProjectRole
from tests.portal.access import World

pytestmark = pytest.mark.django_db


def _officer_of(slug: str, name: str, email: str) -> tuple[Programme, User]:
    programme = Programme.objects.create(name=name, slug=slug)
    project = Project.objects.create(programme=programme, title=f"{name} project", slug=f"{slug}-project", question="?")
    officer = User.objects.create_user(email=email, password="a-long-password-9", full_name=f"Officer of {name}")
    ProjectRole.objects.create(project=project, user=officer, role="information_rights")
    return programme, officer


def _client(user: User, programme: Programme | None = None) -> Client:
    client = Client()
    client.force_login(user)
    if programme is not None:
        session = client.session
        session[SESSION_KEY] = programme.pk
        session.save()
    return client


def _propose(client: Client, partner: Programme, **changes: str) -> Any:
    last_day = timezone.localdate() + timedelta(days=90)
    data = {
        "partner": str(partner.pk),
        "purpose": "Families known to both programmes' food and carers' services.",
        "ends_on_0": str(last_day.day),
        "ends_on_1": str(last_day.month),
        "ends_on_2": str(last_day.year),
        **changes,
    }
    return client.post(reverse("datasets:key_agreement_propose"), data)


def test_a_proposal_is_approved_by_each_side_in_its_own_programme(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    riverdale, theirs = _officer_of("riverdale", "Riverdale Community Insights", "iro@riverdale.example")
    ours = _client(world.user("information_rights"))
    with django_capture_on_commit_callbacks(execute=True):
        response = _propose(ours, riverdale)
    agreement = KeySharingAgreement.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/keys/agreements/{agreement.pk}/")
    assert (agreement.programme, agreement.partner, agreement.proposed_by) == (
        current_programme(),
        riverdale,
        world.user("information_rights"),
    )
    assert [m.to for m in mail.outbox] == [[theirs.email]]  # the other side's officers are told
    assert "Riverdale" in mail.outbox[0].subject and f"/keys/agreements/{agreement.pk}/" in mail.outbox[0].body

    page = ours.get(reverse("datasets:key_agreement_detail", kwargs={"agreement_id": agreement.pk})).content.decode()
    assert "Proposed" in page and "Waiting for an information rights officer of Riverdale" in page
    ours.post(reverse("datasets:key_agreement_detail", kwargs={"agreement_id": agreement.pk}))
    agreement.refresh_from_db()
    assert agreement.approved_by == world.user("information_rights") and not agreement.key_id  # nothing shared yet

    partner = _client(theirs, riverdale)
    listing = partner.get(reverse("datasets:key_agreements")).content.decode()
    assert "Families known to both programmes" in listing and "Proposed" in listing
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        partner.post(reverse("datasets:key_agreement_detail", kwargs={"agreement_id": agreement.pk}))
    agreement.refresh_from_db()
    assert agreement.is_approved and agreement.partner_approved_by == theirs and len(agreement.key_id) > 0
    assert sorted(m.to[0] for m in mail.outbox) == sorted([theirs.email, world.user("information_rights").email])
    page = partner.get(reverse("datasets:key_agreement_detail", kwargs={"agreement_id": agreement.pk})).content.decode()
    assert "In force" in page and agreement.key_id in page and "Approve for" not in page
    assert AuditEntry.objects.filter(action__startswith="datasets.key_agreement_").count() == 3


def test_a_proposal_with_mistakes_is_explained_in_the_error_summary(world: World) -> None:
    riverdale, _ = _officer_of("riverdale", "Riverdale Community Insights", "iro@riverdale.example")
    ours = _client(world.user("information_rights"))
    yesterday = timezone.localdate() - timedelta(days=1)
    response = _propose(
        ours,
        riverdale,
        purpose="",
        ends_on_0=str(yesterday.day),
        ends_on_1=str(yesterday.month),
        ends_on_2=str(yesterday.year),
    )
    page = response.content.decode()
    assert response.status_code == 200 and "govuk-error-summary" in page
    assert "Say why the two programmes need to match pseudonyms" in page
    response = _propose(ours, riverdale)  # the date rule is the service's: reached once the form is whole
    assert response.status_code == 302
    response = _propose(
        ours, riverdale, ends_on_0=str(yesterday.day), ends_on_1=str(yesterday.month), ends_on_2=str(yesterday.year)
    )
    assert "The end date must be today or later" in response.content.decode()
    assert 'href="#id_ends_on' in response.content.decode()  # the summary links to the field
    assert KeySharingAgreement.objects.count() == 1


def test_a_third_programmes_officer_never_sees_the_agreement(world: World) -> None:
    riverdale, _ = _officer_of("riverdale", "Riverdale Community Insights", "iro@riverdale.example")
    eastdale, outsider = _officer_of("eastdale", "Eastdale Community Insights", "iro@eastdale.example")
    _propose(_client(world.user("information_rights")), riverdale)
    agreement = KeySharingAgreement.objects.get()
    third = _client(outsider, eastdale)
    assert third.get(reverse("datasets:key_agreement_detail", kwargs={"agreement_id": agreement.pk})).status_code == 404
    assert (
        third.post(reverse("datasets:key_agreement_detail", kwargs={"agreement_id": agreement.pk})).status_code == 404
    )
    assert "Families known" not in third.get(reverse("datasets:key_agreements")).content.decode()
    agreement.refresh_from_db()
    assert agreement.partner_approved_at is None and agreement.approved_at is None
