"""The complete export: every model and audit row as CSV, documents and published outputs, no secrets."""

from __future__ import annotations

import csv
import io
import zipfile
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from community_insights.portal.core.exceptions import ApplicationError, NotPermitted
from community_insights.portal.core.models import AuditEntry
from community_insights.portal.datasets.models import Dataset
from community_insights.portal.datasets.permissions import can_download_raw
from community_insights.portal.export import records, services
from community_insights.portal.export.models import ProgrammeExport
from community_insights.portal.people.models import Invitation, Organisation
from community_insights.portal.people.services import invitation_create, organisation_create
from community_insights.portal.programme.models import Programme, ProgrammeMembership
from community_insights.portal.programme.services import programme_ensure
from community_insights.portal.sharing import services as sharing
from tests.portal.access import World
from tests.portal.datasets.conftest import RAW_VALUES
from tests.portal.sharing.conftest import pass_final_checks

pytestmark = pytest.mark.django_db

FORMULA = '=HYPERLINK("http://evil.example","click")'


@pytest.fixture
def record(world: World, upload: Any, publishable: Any, django_capture_on_commit_callbacks: Any) -> dict[str, Any]:
    """A programme with a raw dataset, a published chart, a DPIA, an agreement, an invitation and a bad name."""
    pass_final_checks(world, publishable, django_capture_on_commit_callbacks)
    insight = sharing.insight_publish(
        actor=world.user("facilitator"), version=publishable, title="Small households use the food bank most",
        findings="Most visits come from small households.", caveats="Counts of visits.",
        method="A chart.", data_sources="Food bank visits.",
    )  # fmt: skip
    dataset = upload()  # after publishing: a new dataset changes the DPIA, which would hold publishing back
    _, token = invitation_create(
        actor=world.user("staff"), email="new.person@example.org", organisation=world.organisations["vcs"]
    )
    organisation_create(actor=world.user("staff"), name=FORMULA, kind=Organisation.Kind.VCS)
    programme_ensure()
    return {"dataset": dataset, "insight": insight, "token": token}


def _export(
    world: World, capture: Any, persona: str = "staff", **kwargs: Any
) -> tuple[ProgrammeExport, zipfile.ZipFile]:
    with capture(execute=True):
        export = services.export_request(actor=world.user(persona), **kwargs)
    export.refresh_from_db()
    assert export.status == "succeeded", export.error_message
    data = b"".join(services.export_download(actor=world.user(persona), export=export))
    return export, zipfile.ZipFile(io.BytesIO(data))


def _csv(archive: zipfile.ZipFile, name: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(archive.read(name).decode("utf-8-sig"), newline="")))


def test_every_model_and_every_audit_row_is_in_the_zip_and_read_by_a_csv_reader(
    world: World, record: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    export, archive = _export(world, django_capture_on_commit_callbacks)
    names = set(archive.namelist())
    for model_records in records.model_records():
        rows = _csv(archive, model_records.path)
        expected = records.rows_for(model_records.model, export.programme)
        if model_records.model is AuditEntry:
            expected = expected.exclude(action__in=("export.export_finished", "export.export_download"))
        assert sorted(int(r["id"]) for r in rows) == sorted(expected.values_list("pk", flat=True)), model_records.path
    assert "records/core/auditentry.csv" in names and "records/export/programmeexport.csv" in names
    audit_actions = {r["action"] for r in _csv(archive, "records/core/auditentry.csv")}
    assert {"export.export_request", "sharing.insight_publish", "datasets.dataset_upload"} <= audit_actions
    dictionary = _csv(archive, "data-dictionary.csv")
    described = {(r["model"], r["field"]) for r in dictionary}
    for model_records in records.model_records():
        for field in model_records.fields:
            assert (model_records.model._meta.label, field.attname) in described
    title = next(r for r in dictionary if r["model"] == "sharing.PublishedInsight" and r["field"] == "findings")
    assert title["type"] == "TextField" and title["description"] == "What was found, in plain words."
    assert (
        export.rows_total
        == export.rows_done
        == len(records.model_records()) + len([n for n in names if n.startswith("files/")])
    ), "progress counts the real steps"


def test_documents_and_published_outputs_are_in_but_raw_data_is_not_unless_asked(
    world: World, record: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    export, archive = _export(world, django_capture_on_commit_callbacks)
    names = archive.namelist()
    slug = world.project.slug
    assert f"files/documents/{slug}/dpia-version-1.docx" in names
    assert any(n.startswith(f"files/documents/{slug}/sharing-agreement-") for n in names)
    published = [n for n in names if n.startswith(f"files/published-outputs/{slug}/{record['insight'].slug}.")]
    stored = record["insight"].version.files.all()
    assert len(published) == stored.count() > 0
    svg = next(n for n in published if n.endswith(".svg"))
    assert archive.read(svg).startswith(b"<") and b"<svg" in archive.read(svg)
    assert archive.read(f"files/documents/{slug}/dpia-version-1.docx")[:2] == b"PK"
    assert not [n for n in names if n.startswith("files/raw-datasets/")]
    everything = b"".join(archive.read(n) for n in names)
    for value in RAW_VALUES:
        assert value.encode() not in everything, "no raw value from the dataset"
    asked = AuditEntry.objects.get(action="export.export_request")
    assert asked.changes == {"include_raw": False} and asked.actor == world.user("staff")
    assert AuditEntry.objects.filter(action="export.export_finished", target_id=str(export.pk)).exists()
    assert AuditEntry.objects.filter(action="export.export_download", target_id=str(export.pk)).count() == 1


def test_secrets_never_leave_and_cells_are_safe_for_excel(
    world: World, record: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    _, archive = _export(world, django_capture_on_commit_callbacks)
    everything = b"".join(archive.read(n) for n in archive.namelist())
    password_hash = world.user("staff").password
    token_hash = Invitation.objects.get(email="new.person@example.org").token_hash
    assert password_hash and password_hash.encode() not in everything
    assert token_hash.encode() not in everything and record["token"].encode() not in everything
    users = _csv(archive, "records/people/user.csv")
    assert users and "password" not in users[0]
    assert "token_hash" not in _csv(archive, "records/people/invitation.csv")[0]
    dictionary = _csv(archive, "data-dictionary.csv")
    withheld = {(r["model"], r["field"]) for r in dictionary if r["exported"] != "yes"}
    assert {
        ("people.User", "password"),
        ("people.Invitation", "token_hash"),
        ("outputs.OutputFile", "sealed"),
    } <= withheld
    assert all(not records.is_secret(f) for m in records.model_records() for f in m.fields)
    organisations = {r["name"] for r in _csv(archive, "records/people/organisation.csv")}
    assert "'" + FORMULA in organisations and FORMULA not in organisations, "the formula is made inert"


def test_a_raw_dataset_goes_in_only_when_asked_and_only_for_who_may_download_it(
    world: World, record: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    dataset: Dataset = record["dataset"]
    staff_export, archive = _export(world, django_capture_on_commit_callbacks, include_raw=True)
    assert staff_export.raw_datasets == [], "staff on no project may not download raw data, so none goes in"
    assert not [n for n in archive.namelist() if n.startswith("files/raw-datasets/")]
    analyst = world.user("data_analyst")
    ProgrammeMembership.objects.create(programme=programme_ensure(), user=analyst, role=ProgrammeMembership.Role.STAFF)
    _, unasked = _export(world, django_capture_on_commit_callbacks, persona="data_analyst")
    assert not [n for n in unasked.namelist() if n.startswith("files/raw-datasets/")], "not asked, not included"
    export, archive = _export(world, django_capture_on_commit_callbacks, persona="data_analyst", include_raw=True)
    raw = [n for n in archive.namelist() if n.startswith("files/raw-datasets/")]
    permitted = [d for d in Dataset.objects.order_by("pk") if d.has_raw_file and can_download_raw(analyst, d)]
    assert dataset in permitted and sorted(export.raw_datasets) == [d.pk for d in permitted]
    referrals = f"files/raw-datasets/{world.project.slug}/{dataset.pk}-referrals.csv"
    assert referrals in raw and len(raw) == len(permitted)
    assert b"Ayesha Begum" in archive.read(referrals)
    trail = AuditEntry.objects.filter(action="datasets.raw_download", target_id=str(dataset.pk))
    assert [e.changes["programme_export"] for e in trail] == [export.pk], "on the dataset's own audit trail"
    with pytest.raises(NotPermitted):
        services.export_download(actor=world.user("staff"), export=export)  # other staff may not take the raw data
    services.export_download(actor=world.user("staff"), export=staff_export)


def test_deleting_the_zip_keeps_the_record(
    world: World, record: dict[str, Any], dataset_folders: Any, django_capture_on_commit_callbacks: Any
) -> None:
    export, _ = _export(world, django_capture_on_commit_callbacks)
    stored = dataset_folders["store"] / export.stored_name
    assert stored.exists()
    with django_capture_on_commit_callbacks(execute=True):
        services.export_delete(actor=world.user("staff"), export=export)
    export.refresh_from_db()
    assert not stored.exists() and export.stored_name == "" and export.status == "succeeded"
    assert AuditEntry.objects.filter(action="export.export_delete", target_id=str(export.pk)).exists()
    with pytest.raises(ApplicationError):
        services.export_download(actor=world.user("staff"), export=export)


def test_only_programme_staff_may_export(world: World, record: dict[str, Any]) -> None:
    for persona in ("data_analyst", "facilitator", "information_rights", "outsider"):
        with pytest.raises(NotPermitted):
            services.export_request(actor=world.user(persona))
    assert not ProgrammeExport.objects.exists()


def test_the_export_filters_by_programme_where_a_model_reaches_one() -> None:
    first = programme_ensure()
    other = Programme.objects.create(name="Another programme")
    mine = ProgrammeExport.objects.create(programme=first)
    ProgrammeExport.objects.create(programme=other)
    assert records.programme_path(Programme) == "pk"
    assert records.programme_path(ProgrammeExport) == "programme"
    assert list(records.rows_for(ProgrammeExport, first)) == [mine]
    assert list(records.rows_for(Programme, first)) == [first]


def test_another_programmes_record_stays_out_and_every_row_of_this_one_is_in(
    world: World, record: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    """Riverdale's project, people, organisation, email choices, digest lines and audit stay out of Northmoor's ZIP.

    Checked against the tables themselves rather than ``rows_for``: every row that is
    not Riverdale's is in, and none of Riverdale's is.
    """
    from community_insights.portal.core.models import HeldNotification, NotificationPreference
    from community_insights.portal.people.models import User
    from community_insights.portal.programme.current import using
    from community_insights.portal.projects.services import project_create, project_role_assign

    riverdale = Programme.objects.create(name="Riverdale Community Insights", slug="riverdale")
    theirs = User.objects.create_user("only.riverdale@riverdale.example", full_name="Only Riverdale")
    member = User.objects.create_user("panel.riverdale@riverdale.example", full_name="Panel Riverdale")
    ProgrammeMembership.objects.create(programme=riverdale, user=theirs, role=ProgrammeMembership.Role.STAFF)
    ProgrammeMembership.objects.create(programme=riverdale, user=member)
    NotificationPreference.objects.create(user=member, kind="project_changes", frequency="daily")
    with using(riverdale), django_capture_on_commit_callbacks(execute=True):
        organisation_create(actor=theirs, name="Riverdale Carers Forum", kind=Organisation.Kind.VCS)
        project = project_create(actor=theirs, title="Riverdale carers", question="Who cares?", creator_role=None)
        project_role_assign(actor=theirs, project=project, user=member, role="advisory_panel")
    assert HeldNotification.objects.filter(programme_id=riverdale.pk).exists(), "held for the digest, in Riverdale"
    export, archive = _export(world, django_capture_on_commit_callbacks)

    def ids(name: str) -> set[int]:
        return {int(r["id"]) for r in _csv(archive, f"records/{name}.csv")}

    assert project.pk not in ids("projects/project") and world.project.pk in ids("projects/project")
    assert not {theirs.pk, member.pk} & ids("people/user") and world.user("staff").pk in ids("people/user")
    forum = Organisation.objects.get(name="Riverdale Carers Forum")
    assert forum.pk not in ids("people/organisation") and world.organisations["vcs"].pk in ids("people/organisation")
    assert not ids("core/notificationpreference") & set(
        NotificationPreference.objects.filter(user=member).values_list("pk", flat=True)
    )
    assert not ids("core/heldnotification") & set(HeldNotification.objects.values_list("pk", flat=True))
    audit = AuditEntry.objects.exclude(action__in=("export.export_finished", "export.export_download"))
    assert ids("core/auditentry") == set(audit.exclude(programme_id=riverdale.pk).values_list("pk", flat=True))
    assert audit.filter(programme_id=riverdale.pk).count() >= 2, "Riverdale's own audit entries exist, and stay out"
    assert export.programme_id == world.project.programme_id != riverdale.pk


def test_the_pages_ask_follow_and_download(
    world: World, record: dict[str, Any], client_for: Any, django_capture_on_commit_callbacks: Any
) -> None:
    client: Client = client_for("staff")
    page = client.get(reverse("export:export_list")).content.decode()
    assert "Add the raw datasets I am allowed to download" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("export:export_list"), {})
    export = ProgrammeExport.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("export:export_detail", args=[export.pk])
    detail = client.get(response["Location"]).content.decode()
    assert "The export is ready" in detail
    download = client.post(reverse("export:export_download", args=[export.pk]))
    assert download["Content-Type"] == "application/zip"
    assert zipfile.ZipFile(io.BytesIO(b"".join(download.streaming_content))).testzip() is None
    assert client_for("data_analyst").get(reverse("export:export_list")).status_code == 403


def test_a_failure_is_told_in_plain_words_and_leaves_no_file(
    world: World, record: dict[str, Any], dataset_folders: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from community_insights.portal.core import jobs
    from community_insights.portal.outputs.models import OutputFile

    OutputFile.objects.filter(version=record["insight"].version).update(sealed=b"not sealed at all")
    before = set((dataset_folders["store"]).rglob("*"))
    with django_capture_on_commit_callbacks(execute=True):
        export = services.export_request(actor=world.user("staff"))
    export.refresh_from_db()
    assert export.status == "failed" and export.error_message == jobs.GENERIC_FAILURE
    assert export.stored_name == "" and set((dataset_folders["store"]).rglob("*")) == before
    assert not list((dataset_folders["work"]).rglob("*.zip")), "the half-written ZIP is gone"
    assert AuditEntry.objects.filter(action="export.export_failed", target_id=str(export.pk)).exists()
