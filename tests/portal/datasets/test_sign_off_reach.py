"""Sign-off always reaches someone, says what waits and links to it; unresolved paperwork is named."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.core import mail
from django.urls import reverse

from community_insights.portal.datasets import permissions, services, sign_off
from community_insights.portal.datasets.models import Dataset, DataSource
from community_insights.portal.governance.models import SharingAgreement
from community_insights.portal.people.models import User
from community_insights.portal.projects.models import ProjectRole
from tests.portal.access import World
from tests.portal.governance.factories import signed_agreement

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(world: World, upload: Callable[..., Dataset]) -> Any:
    dataset = upload()
    return services.plan_create(actor=world.user("data_analyst"), dataset=dataset)


@pytest.fixture
def officer(world: World) -> User:
    person = User.objects.create_user(
        "ir.officer@council.example", "a-long-passphrase", full_name="Ines Officer",
        organisation=world.organisations["council"],
    )  # fmt: skip
    # An information rights officer of the programme: holds the role on another project.
    ProjectRole.objects.create(project=world.other_project, user=person, role="information_rights")
    return person


def test_the_projects_information_rights_member_is_asked_first(world: World, plan: Any, officer: User) -> None:
    assert sign_off.sign_off_recipients(plan) == [world.user("information_rights")]


def test_without_one_the_programmes_officers_are_asked_with_a_link_to_what_waits(
    world: World, plan: Any, officer: User, django_capture_on_commit_callbacks: Any
) -> None:
    ProjectRole.objects.filter(project=world.project, role="information_rights").delete()
    assert sign_off.sign_off_recipients(plan) == [officer]
    assert permissions.can_sign_off_plan(officer, plan), "an officer can sign off a project with nobody in the role"
    ProjectRole.objects.create(project=world.project, user=world.user("contracts_legal"), role="information_rights")
    assert not permissions.can_sign_off_plan(officer, plan), "a project with its own member stays theirs"
    ProjectRole.objects.filter(project=world.project, role="information_rights").delete()
    assert not permissions.can_sign_off_plan(world.user("facilitator"), plan)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        sign_off.notify_sign_off_needed(plan.dataset, plan)
    (message,) = mail.outbox
    assert message.to == [officer.email]
    url = reverse("datasets:plan_sign_off", kwargs={"dataset_id": plan.dataset.pk, "number": plan.number})
    assert url in message.body and "waiting for you to sign it off" in message.body
    assert "programme's information rights officers" in message.body


def test_another_programmes_officers_are_never_asked(world: World, plan: Any, officer: User) -> None:
    """Riverdale's information rights officer holds the role there, so never hears of Northmoor's data."""
    from community_insights.portal.programme.models import Programme
    from community_insights.portal.projects.models import Project

    riverdale = Programme.objects.create(name="Riverdale Community Insights", slug="riverdale")
    theirs = Project.objects.create(
        programme=riverdale, title="Riverdale carers", slug="riverdale-carers", question="?"
    )
    elsewhere = User.objects.create_user("ir@riverdale.example", full_name="Riverdale Officer")
    ProjectRole.objects.create(project=theirs, user=elsewhere, role="information_rights")
    ProjectRole.objects.filter(project=world.project, role="information_rights").delete()
    assert sign_off.sign_off_recipients(plan) == [officer]


def test_the_author_of_the_plan_is_never_asked_to_sign_off_their_own_plan(world: World, plan: Any) -> None:
    plan.created_by = world.user("information_rights")
    plan.save(update_fields=["created_by"])
    assert world.user("information_rights") not in sign_off.sign_off_recipients(plan)


def test_unresolved_paperwork_is_named_in_plain_words(world: World, source: DataSource) -> None:
    assert sign_off.paperwork_problems(source) == []  # the agreement in governance is signed by both
    source.legal_basis = DataSource.LegalBasis.TO_BE_AGREED
    source.sharing_agreement.delete()
    assert sign_off.paperwork_problems(source) == [
        "The legal basis for sharing Food bank referrals is still to be agreed.",
        "The data-sharing agreement for Food bank referrals is not signed (it is: needed).",
    ]
    source.legal_basis = DataSource.LegalBasis.NOT_PERSONAL
    assert sign_off.paperwork_problems(source) == []


def test_the_sign_off_gate_reads_the_agreement_from_governance(world: World, source: DataSource) -> None:
    """Half-signed or past its review date, the agreement is not settled: approving needs a reason."""
    agreement = source.sharing_agreement
    agreement.signatures.filter(organisation=world.organisations["vcs"]).delete()
    assert sign_off.paperwork_problems(source) == [
        "The data-sharing agreement for Food bank referrals is not signed (it is: being drafted)."
    ]
    expired = DataSource.objects.create(
        project=world.project,
        name="Pantry visits",
        category=DataSource.Category.VCS,
        owner_organisation=world.organisations["vcs"],
        legal_basis=DataSource.LegalBasis.CONSENT,
    )
    signed_agreement(world, expired)
    assert sign_off.paperwork_problems(expired) == []
    SharingAgreement.objects.filter(source=expired).update(review_date=dt.date.today() - dt.timedelta(days=1))
    assert sign_off.paperwork_problems(expired) == [
        "The data-sharing agreement for Pantry visits is not signed (it is: expired)."
    ]


def test_the_approver_reads_a_sample_of_redacted_rows_first_and_the_reading_is_audited(
    world: World, plan: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from django.test import Client

    from community_insights.portal.core.models import AuditEntry
    from tests.portal.datasets.conftest import RAW_NAMES, RAW_NHS

    with django_capture_on_commit_callbacks(execute=True):
        services.plan_apply(actor=world.user("data_analyst"), plan=plan)
    plan.refresh_from_db()
    url = reverse("datasets:plan_sample", kwargs={"dataset_id": plan.dataset.pk, "number": plan.number})
    analyst = Client()
    analyst.force_login(world.user("data_analyst"))
    assert analyst.get(url).status_code == 403, "only the person signing off reads the sample"
    rights = Client()
    rights.force_login(world.user("information_rights"))
    html = rights.get(url).content.decode()
    rows = html.split('id="sample-rows"', 1)[1].split("<tbody", 1)[1].split("</tr>")
    assert "[NAME]" in rows[0], "a row where something was redacted comes first"
    assert not [v for v in [*RAW_NAMES, *RAW_NHS] if v in html]
    entry = AuditEntry.objects.get(action="datasets.safe_copy_sample_view")
    assert entry.actor == world.user("information_rights") and entry.changes["rows_shown"] == 20


def test_making_the_safe_copy_on_a_project_without_information_rights_tells_the_programmes_officers(
    world: World, plan: Any, officer: User, django_capture_on_commit_callbacks: Any
) -> None:
    from django.test import Client

    ProjectRole.objects.filter(project=world.project, role="information_rights").delete()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.plan_apply(actor=world.user("data_analyst"), plan=plan)
    (message,) = [m for m in mail.outbox if "Sign-off waiting" in m.subject]
    assert message.to == [officer.email]
    url = reverse("datasets:plan_sign_off", kwargs={"dataset_id": plan.dataset.pk, "number": plan.number})
    assert url in message.body
    client = Client()
    client.force_login(officer)
    assert client.get(url).status_code == 200, "the officer reaches the page, not 'Page not found'"
