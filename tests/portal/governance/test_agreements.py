"""Sharing agreements: drafted from the data, signed by a named person of each organisation, and the gate."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from community_insights.portal.core.exceptions import ApplicationError, NotPermitted
from community_insights.portal.datasets import files
from community_insights.portal.datasets.models import Dataset, DataSource
from community_insights.portal.governance import selectors, services
from community_insights.portal.governance.models import SharingAgreement
from tests.portal.access import World
from tests.portal.datasets.conftest import dataset_folders  # noqa: F401 - private folders for deleting files
from tests.portal.governance.factories import approve_dpia, make_checked, make_source, plain_csv

pytestmark = pytest.mark.django_db


def _agreement(world: World, source: DataSource, **changes: Any) -> SharingAgreement:
    values = {k: v for k, v in selectors.agreement_initial(source).items() if k in services.AGREEMENT_FIELDS}
    values["article9_condition"] = "Article 9(2)(g) substantial public interest; DPA 2018 Schedule 1 paragraph 6."
    values.update(changes)
    return services.agreement_save(
        actor=world.user("contracts_legal"), source=source, recipients=[world.organisations["vcs"]], **values
    )


def _sign_all(world: World, agreement: SharingAgreement) -> None:
    services.agreement_sign(
        actor=world.user("information_rights"), agreement=agreement, signer_name="Asha Patel", job_title="DPO"
    )
    services.agreement_sign(
        actor=world.user("vcs_member_lead"), agreement=agreement, signer_name="Tom Reed", job_title="Director"
    )


def test_the_draft_comes_from_the_safe_copy_columns_and_retention(world: World, checked: Dataset) -> None:
    drafted = selectors.agreement_initial(checked.source)
    assert "ethnicity" in drafted["data_items"] and "health_condition" in drafted["data_items"]
    assert "Remedy plan version 1" in drafted["data_items"]
    assert f"{checked.source.retention_until:%d %B %Y}" in drafted["retention"]
    assert drafted["special_columns"] == ["ethnicity", "health_condition"]
    assert "Public task" in drafted["legal_basis"]


def test_special_category_data_needs_an_article_9_condition(world: World, checked: Dataset) -> None:
    with pytest.raises(ApplicationError, match="Article 9") as refused:
        _agreement(world, checked.source, article9_condition="")
    assert refused.value.field == "article9_condition"
    with pytest.raises(ApplicationError, match="review date"):
        _agreement(world, checked.source, review_date=dt.date.today())


def test_each_organisation_signs_and_the_status_follows(world: World, checked: Dataset) -> None:
    source = checked.source
    assert selectors.agreement_status_for_source(source) == DataSource.AgreementStatus.NEEDED
    agreement = _agreement(world, source)
    assert selectors.agreement_status_for_source(source) == DataSource.AgreementStatus.IN_PROGRESS
    assert [o.name for o in selectors.unsigned_parties(agreement)] == [
        "Northmoor Borough Council",
        "Northmoor Food Partnership",
    ]
    _sign_all(world, agreement)
    assert selectors.agreement_status_for_source(source) == DataSource.AgreementStatus.SIGNED
    signer = agreement.signatures.get(organisation=world.organisations["council"])
    assert (signer.signer_name, signer.signed_by) == ("Asha Patel", world.user("information_rights"))
    with pytest.raises(ApplicationError, match="already signed"):
        services.agreement_sign(
            actor=world.user("delivery_lead"), agreement=agreement, signer_name="Someone", job_title="Lead"
        )


def test_a_change_starts_a_new_version_that_everyone_signs_again(world: World, checked: Dataset) -> None:
    agreement = _agreement(world, checked.source)
    _sign_all(world, agreement)
    agreement = _agreement(world, checked.source, purpose="A narrower purpose.")
    assert agreement.version == 2
    assert selectors.agreement_status(agreement) == DataSource.AgreementStatus.IN_PROGRESS
    assert _agreement(world, checked.source, purpose="A narrower purpose.").version == 2  # nothing changed


def test_only_a_party_on_the_team_signs(world: World, checked: Dataset) -> None:
    agreement = _agreement(world, checked.source)
    for persona in ("outsider", "facilitator", "staff"):  # another project; an organisation not a party; no role
        with pytest.raises(NotPermitted):
            services.agreement_sign(actor=world.user(persona), agreement=agreement, signer_name="X", job_title="Y")


def test_an_expired_agreement_blocks_publication(world: World, checked: Dataset) -> None:
    agreement = _agreement(world, checked.source)
    _sign_all(world, agreement)
    approve_dpia(world)
    assert selectors.project_may_publish(world.project).allowed
    later = agreement.review_date + dt.timedelta(days=1)
    gate = selectors.project_may_publish(world.project, today=later)
    assert not gate.allowed
    assert gate.missing == ["The sharing agreement for Food bank visits is expired."]


def test_the_information_rights_page_lists_what_is_missing(world: World, checked: Dataset, client_for: Any) -> None:
    page = client_for("information_rights").get("/governance/")
    text = page.content.decode()
    assert page.status_code == 200
    assert "The DPIA has not been approved." in text
    assert "The sharing agreement for Food bank visits is needed." in text


def test_a_source_whose_datasets_were_all_deleted_no_longer_counts_as_used(world: World, checked: Dataset) -> None:
    _sign_all(world, _agreement(world, checked.source))
    other = make_checked(world, make_source(world, owner="vcs", name="Pantry visits"), plain_csv(), plan=False)
    approve_dpia(world)
    assert selectors.project_may_publish(world.project).missing == [
        "The sharing agreement for Pantry visits is needed."
    ]
    files.dataset_delete(actor=world.user("information_rights"), dataset=other)
    # Deleting the dataset changes the evidence, so the DPIA is sent and approved again; the flow has gone.
    approve_dpia(world)
    assert selectors.project_may_publish(world.project).allowed
    assert [s.name for s in selectors.sources_in_use(world.project)] == ["Food bank visits"]


def test_the_missing_page_links_each_item_to_where_it_is_put_right(
    world: World, checked: Dataset, client_for: Any
) -> None:
    agreement = _agreement(world, checked.source)
    gate = selectors.project_may_publish(world.project)
    assert gate.items == [
        ("The DPIA has not been approved.", f"/governance/projects/{world.project.slug}/dpia/"),
        ("The sharing agreement for Food bank visits is being drafted.", f"/governance/agreements/{agreement.pk}/"),
    ]
    text = client_for("information_rights").get("/governance/").content.decode()
    assert f'href="/governance/agreements/{agreement.pk}/">The sharing agreement for Food bank visits' in text
