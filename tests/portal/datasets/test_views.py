"""The dataset pages, clicked through as the guide's people, and the audit trail they leave."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.urls import reverse

from community_insights.portal.core.audit import ACTIONS
from community_insights.portal.core.models import AuditEntry
from community_insights.portal.datasets.models import Dataset, DataSource, RemedyPlanVersion
from tests.portal.access import World
from tests.portal.datasets.journey import run_journey


@pytest.mark.django_db
def test_journey_from_upload_to_download(
    world: World, source: DataSource, messy_csv: bytes, django_capture_on_commit_callbacks: Any
) -> None:
    journey = run_journey(world, source, messy_csv, django_capture_on_commit_callbacks)
    dataset = journey.dataset
    assert dataset.status == Dataset.Status.APPROVED
    plan2 = dataset.plans.get(number=2)
    assert plan2.status == RemedyPlanVersion.Status.APPROVED
    assert dataset.plans.get(number=1).status == RemedyPlanVersion.Status.SUPERSEDED
    safe = journey.downloads["safe_copy"].decode()
    header = safe.splitlines()[0].split(",")
    assert "full_name" not in header and "nhs_number" not in header and "phone" not in header
    assert "Download the safe copy" in journey.pages["detail_member"]
    assert "The analyst overrode the check&#x27;s finding: Residents&#x27; mobile numbers." in journey.pages["plan"]


@pytest.mark.django_db
def test_every_action_of_the_journey_is_audited(
    world: World, source: DataSource, messy_csv: bytes, django_capture_on_commit_callbacks: Any
) -> None:
    journey = run_journey(world, source, messy_csv, django_capture_on_commit_callbacks)
    entries = AuditEntry.objects.filter(project_id=world.project.pk)
    actions = set(entries.values_list("action", flat=True))
    expected = {
        "datasets.dataset_upload",
        "datasets.check_queue",
        "datasets.check_finish",
        "datasets.inventory_view",
        "datasets.dataset_view",
        "datasets.findings_view",
        "datasets.column_review",
        "datasets.plan_create",
        "datasets.plan_view",
        "datasets.plan_update",
        "datasets.plan_apply",
        "datasets.safe_copy_create",
        "datasets.safe_copy_report_view",
        "datasets.plan_approve",
        "datasets.safe_copy_download",
        "datasets.audit_view",
        "datasets.audit_export",
        "datasets.key_create",
    } - {"datasets.key_create"}  # the key is programme-wide (no project)
    assert expected <= actions, expected - actions
    assert AuditEntry.objects.filter(action="datasets.key_create").count() == 1
    assert all(a in ACTIONS for a in actions)
    download = entries.get(action="datasets.safe_copy_download")
    assert download.actor == world.user("vcs_member_lead")
    assert download.ip_address == "127.0.0.1"
    csv_text = journey.downloads["audit_csv"].decode()
    assert csv_text.startswith("when,who,action,what happened")
    assert "datasets.plan_approve" in csv_text
    edit = entries.get(action="datasets.plan_update")
    assert edit.changes["columns"] == [{"column": "postcode", "from": "generalise", "to": "generalise"}]


@pytest.mark.django_db
def test_raw_download_by_owning_analyst_only_and_audited(
    world: World, upload: Any, messy_csv: bytes, client_for: Any
) -> None:
    dataset = upload()
    url = reverse("datasets:raw_download", kwargs={"dataset_id": dataset.pk})
    response = client_for("data_analyst").get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == messy_csv
    assert response["Cache-Control"] == "no-store, private"
    assert AuditEntry.objects.filter(action="datasets.raw_download", actor=world.user("data_analyst")).exists()
    for persona, status in (("information_rights", 403), ("vcs_member_lead", 403), ("outsider", 404), ("staff", 403)):
        assert client_for(persona).get(url).status_code == status, persona


@pytest.mark.django_db
def test_safe_copy_is_not_downloadable_before_approval(
    world: World, upload: Any, client_for: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from community_insights.portal.datasets import services

    dataset = upload()
    plan = services.plan_create(actor=world.user("data_analyst"), dataset=dataset)
    with django_capture_on_commit_callbacks(execute=True):
        services.plan_apply(actor=world.user("data_analyst"), plan=plan)
    plan.refresh_from_db()
    url = reverse("datasets:safe_copy_download", kwargs={"copy_id": plan.safe_copy.pk})
    assert client_for("vcs_member_lead").get(url).status_code == 403
    assert client_for("data_analyst").get(url).status_code == 403
    # Rejected: still not downloadable, and the plan can be edited again.
    with django_capture_on_commit_callbacks(execute=True):
        services.plan_sign_off(
            actor=world.user("information_rights"), plan=plan, approve=False, comment="Drop the ward."
        )
    assert client_for("vcs_member_lead").get(url).status_code == 403
    assert AuditEntry.objects.filter(action="datasets.plan_reject").exists()
    assert (
        client_for("data_analyst")
        .get(reverse("datasets:plan_edit", kwargs={"dataset_id": dataset.pk, "number": 1}))
        .status_code
        == 200
    )


@pytest.mark.django_db
def test_plan_author_cannot_sign_off_their_own_plan(
    world: World, upload: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from community_insights.portal.core.exceptions import NotPermitted
    from community_insights.portal.datasets import services
    from community_insights.portal.projects.models import ProjectRole

    rights = world.user("information_rights")
    ProjectRole.objects.create(project=world.project, user=rights, role="data_analyst")
    dataset = upload()
    plan = services.plan_create(actor=rights, dataset=dataset)
    with django_capture_on_commit_callbacks(execute=True):
        services.plan_apply(actor=rights, plan=plan)
    plan.refresh_from_db()
    with pytest.raises(NotPermitted):
        services.plan_sign_off(actor=rights, plan=plan, approve=True, comment="Fine by me.")


@pytest.mark.django_db
def test_invalid_plan_edit_shows_the_engines_sentence(world: World, upload: Any, client_for: Any) -> None:
    from community_insights.portal.datasets import engine, services
    from community_insights.portal.datasets.forms import params_to_text

    dataset = upload()
    plan = services.plan_create(actor=world.user("data_analyst"), dataset=dataset)
    data = engine.plan_to_dict(engine.load_plan_text(plan.plan_yaml))
    post: dict[str, Any] = {
        "min_group_size": 10,
        "small_groups": "generalise",
        "quasi_identifiers": [],
        "change_note": "x",
    }
    for i, entry in enumerate(data["columns"]):
        post[f"action_{i}"] = entry["action"]
        post[f"params_{i}"] = params_to_text(entry.get("params"))
        post[f"reason_{i}"] = ""
        if entry["column"] == "postcode":
            post[f"params_{i}"] = "to: galaxy"
    url = reverse("datasets:plan_edit", kwargs={"dataset_id": dataset.pk, "number": 1})
    response = client_for("data_analyst").post(url, post)
    assert response.status_code == 200
    html = response.content.decode()
    assert "There is a problem" in html and "generalise needs" in html
    assert dataset.plans.count() == 1


@pytest.mark.django_db
def test_inventory_records_the_guides_categories(world: World, client_for: Any) -> None:
    client = client_for("facilitator")
    url = reverse("datasets:source_create", kwargs={"slug": world.project.slug})
    response = client.post(
        url,
        {
            "name": "Advice line spreadsheet",
            "category": "shadow_it",
            "description": "Calls logged by volunteers.",
            "owner_organisation": world.organisations["vcs"].pk,
            "legal_basis": "legitimate_interests",
            "retention_until_0": "31",
            "retention_until_1": "3",
            "retention_until_2": "2027",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    source = DataSource.objects.get(name="Advice line spreadsheet")
    assert source.retention_until.isoformat() == "2027-03-31"
    page = client.get(reverse("datasets:inventory", kwargs={"slug": world.project.slug})).content.decode()
    assert "Shadow IT spreadsheets" in page and "31 March 2027" in page
    # The agreement's status is read from the governance area, with a link to draft it there.
    assert "Needed" in page and f'href="/governance/projects/{world.project.slug}/"' in page
    assert AuditEntry.objects.filter(action="datasets.source_create").exists()


@pytest.mark.django_db
def test_inventory_offers_the_scoping_sessions_data_needs_prefilled(world: World, client_for: Any) -> None:
    from urllib.parse import urlsplit

    from community_insights.portal.ideas import services as ideas_services
    from tests.portal.ideas.factories import make_session

    session = make_session(world)  # an idea on world.project
    facilitator = world.user("facilitator")
    ideas_services.data_need_add(
        actor=facilitator,
        session=session,
        source_category="systems",
        description="Food bank referral spreadsheet",
        held_by=world.organisations["vcs"].name,
    )
    ideas_services.data_need_add(
        actor=facilitator,
        session=session,
        source_category="public",
        description="ONS population estimates",
        catalogue_key="ons",
    )
    inventory_url = reverse("datasets:inventory", kwargs={"slug": world.project.slug})
    page = client_for("facilitator").get(inventory_url).content.decode()
    section = page.split('id="data-we-might-need"', 1)[1]
    assert "Food bank referral spreadsheet" in section and "ONS population estimates" in section
    assert "Data held in VCS and council systems" in section and "https://www.ons.gov.uk/" in section

    create_url = reverse("datasets:source_create", kwargs={"slug": world.project.slug})
    links = [
        link.replace("&amp;", "&")
        for link in (part.split('"', 1)[0] for part in section.split('href="')[1:])
        if link.startswith(create_url)
    ]
    assert len(links) == 2
    spreadsheet = next(link for link in links if "Food+bank" in link)
    form = client_for("facilitator").get(spreadsheet).content.decode()
    assert 'value="Food bank referral spreadsheet"' in form
    assert f'<option value="{world.organisations["vcs"].pk}" selected>' in form, "held by a known organisation"
    ons = next(link for link in links if "ONS" in link)
    assert "category=open_public" in urlsplit(ons).query
    form = client_for("facilitator").get(ons).content.decode()
    assert re.search(r'value="open_public"\s+checked', form)

    # Once added, the need shows as in the inventory and its link goes.
    client_for("facilitator").post(
        create_url,
        {
            "name": "ONS population estimates",
            "category": "open_public",
            "owner_organisation": world.organisations["council"].pk,
            "legal_basis": "not_personal",
        },
    )
    section = client_for("facilitator").get(inventory_url).content.decode().split('id="data-we-might-need"', 1)[1]
    assert "In the inventory" in section and "category=open_public" not in section
    # People who may not change the inventory see the list but no links.
    viewer = client_for("vcs_member_lead").get(inventory_url).content.decode()
    assert "Food bank referral spreadsheet" in viewer and create_url + "?" not in viewer
