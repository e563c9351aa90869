"""A list of people: only the approved safe copy itself, only to organisations with a signed, unexpired agreement."""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any

import pytest
from django.urls import reverse

from community_insights.portal.core.exceptions import ApplicationError
from community_insights.portal.governance.models import AgreementSignature, SharingAgreement
from community_insights.portal.outputs import selectors, services
from community_insights.portal.outputs.models import Output, OutputVersion
from tests.portal.access import World
from tests.portal.outputs.conftest import visits_csv

pytestmark = pytest.mark.django_db


def _agreement(world: World, copy: Any, *, recipients: tuple[str, ...] = ("vcs",), signed: bool = True) -> Any:
    """The visits flow's agreement: the council owns the data, ``recipients`` receive it."""
    agreement = SharingAgreement.objects.create(
        source=copy.dataset.source, project=world.project, purpose="To answer the question.",
        legal_basis="Public task.", security="Encrypted.", retention="One year.",
        review_date=dt.date.today() + dt.timedelta(days=365),
    )  # fmt: skip
    agreement.recipients.set([world.organisations[r] for r in recipients])
    if signed:
        for key in ("council", *recipients):
            AgreementSignature.objects.create(
                agreement=agreement, version=1, organisation=world.organisations[key],
                signed_by=world.user("information_rights"), signer_name="A Signer", job_title="Data protection officer",
            )  # fmt: skip
    return agreement


def _list(world: World, copy: Any, build: Any, *recipients: str, title: str = "Visits, one row each") -> OutputVersion:
    analyst = world.user("data_analyst")
    output = services.output_create(actor=analyst, safe_copy=copy, kind="person_level", title=title)
    ids = [world.organisations[r].pk for r in recipients]
    return build(actor=analyst, output=output, settings={"recipients": ids})


def test_a_list_for_a_recipient_with_a_signed_agreement_is_the_safe_copy_itself(
    world: World, approved_copy: Any, build: Any
) -> None:
    _agreement(world, approved_copy)
    version = _list(world, approved_copy, build, "vcs")
    assert version.status == OutputVersion.Status.AWAITING_SIGN_OFF, version.refusal
    assert sorted(f.format for f in version.files.all()) == ["csv", "xlsx"]
    people = next(row for row in version.safety_check if row["check"] == "A list of people")
    assert people["outcome"] == "attention" and "Northmoor Food Partnership" in people["words"]
    services.version_sign_off(actor=world.user("information_rights"), version=version, approve=True, comment="Fine.")
    approved = OutputVersion.objects.get()
    data, _ = services.version_download(actor=world.user("data_analyst"), version=approved, fmt="csv")
    assert list(csv.reader(io.StringIO(data.decode()))) == list(csv.reader(io.StringIO(visits_csv().decode())))


def test_a_list_is_refused_naming_each_recipient_without_an_agreement(
    world: World, approved_copy: Any, build: Any
) -> None:
    _agreement(world, approved_copy)
    version = _list(world, approved_copy, build, "vcs", "partner", "other_vcs")
    assert version.status == OutputVersion.Status.REFUSED and not version.files.exists()
    assert version.refusal == (
        "A list of people can only go to organisations with a signed, unexpired sharing agreement covering this "
        "data, and these have none: Open Data Co-operative (the sharing agreement does not name it); "
        "Riverside Carers Network (the sharing agreement does not name it)."
    )


@pytest.mark.parametrize(
    ("setup", "why"),
    [
        ("none", "there is no sharing agreement for this data"),
        ("unsigned", "the sharing agreement is not yet signed by every party"),
        ("expired", "the sharing agreement passed its review date"),
    ],
)
def test_no_agreement_an_unsigned_one_or_an_expired_one_refuses_the_list(
    world: World, approved_copy: Any, build: Any, setup: str, why: str
) -> None:
    if setup != "none":
        agreement = _agreement(world, approved_copy, signed=setup != "unsigned")
        if setup == "expired":
            agreement.review_date = dt.date.today() - dt.timedelta(days=1)
            agreement.save()
    version = _list(world, approved_copy, build, "vcs")
    assert version.status == OutputVersion.Status.REFUSED
    assert f"Northmoor Food Partnership ({why}" in version.refusal


def test_a_list_that_ranks_people_is_refused_with_article_22(world: World, approved_copy: Any, build: Any) -> None:
    _agreement(world, approved_copy)
    version = _list(world, approved_copy, build, "vcs", title="Top 50 households at risk, for priority")
    assert version.status == OutputVersion.Status.REFUSED and "Article 22" in version.refusal


def test_an_approved_list_stops_downloading_when_its_agreement_lapses(
    world: World, approved_copy: Any, build: Any
) -> None:
    agreement = _agreement(world, approved_copy)
    version = _list(world, approved_copy, build, "vcs")
    services.version_sign_off(actor=world.user("information_rights"), version=version, approve=True, comment="Fine.")
    agreement.version = 2  # changed since it was signed: the parties must sign again
    agreement.save()
    with pytest.raises(ApplicationError, match=r"Northmoor Food Partnership \(the sharing agreement is not yet signed"):
        services.version_download(actor=world.user("data_analyst"), version=OutputVersion.objects.get(), fmt="csv")


def test_a_list_never_goes_on_a_dashboard_page(world: World, approved_copy: Any, build: Any) -> None:
    _agreement(world, approved_copy)
    version = _list(world, approved_copy, build, "vcs")
    services.version_sign_off(actor=world.user("information_rights"), version=version, approve=True, comment="Fine.")
    assert selectors.approved_outputs(project=world.project) == []


def test_the_form_asks_for_recipients(world: World, approved_copy: Any, client_for: Any) -> None:
    analyst = client_for("data_analyst")
    url = reverse("outputs:output_new", kwargs={"slug": world.project.slug, "copy_id": approved_copy.pk})
    assert "Northmoor Food Partnership" in analyst.get(url).content.decode()
    page = analyst.post(url, {"title": "Visits", "kind": "person_level", "first": "ward", "measure": "count"})
    assert "Choose the organisations the list of people will go to" in page.content.decode()
    assert not Output.objects.exists()


def test_the_pages_of_a_list_name_its_recipients(world: World, approved_copy: Any, build: Any, client_for: Any) -> None:
    _agreement(world, approved_copy)
    version = _list(world, approved_copy, build, "vcs")
    officer = client_for("information_rights")
    detail = officer.get(reverse("outputs:output_detail", args=[version.output_id])).content.decode()
    assert "A list of people (person-level)" in detail and "Northmoor Food Partnership" in detail
    sign_off = officer.get(reverse("outputs:version_sign_off", args=[version.pk])).content.decode()
    assert "Northmoor Food Partnership" in sign_off and "A list of" in sign_off
