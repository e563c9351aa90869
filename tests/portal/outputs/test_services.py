"""Outputs: built only from approved safe copies, checked, signed off, downloaded; every step audited."""

from __future__ import annotations

import csv
import io
import re
from typing import Any

import pytest
from openpyxl import load_workbook

from community_insights.portal.core.exceptions import ApplicationError, NotPermitted
from community_insights.portal.core.models import AuditEntry
from community_insights.portal.datasets.models import RemedyPlanVersion
from community_insights.portal.outputs import assemble, services
from community_insights.portal.outputs.models import OutputVersion
from tests.portal.access import World
from tests.portal.outputs.conftest import visits_csv

pytestmark = pytest.mark.django_db

CHART = {"by": ["ward", "household_size"], "statistic": "count", "chart_kind": "bar", "preset": "ons"}


def _chart(world: World, copy: Any, build: Any, title: str = "Visits by ward and household size") -> OutputVersion:
    output = services.output_create(actor=world.user("data_analyst"), safe_copy=copy, kind="chart", title=title)
    return build(
        actor=world.user("data_analyst"), output=output, settings=CHART,
        narrative="Most visits are from small households.", caveats="Not for funding applications.",
    )  # fmt: skip


def test_a_chart_is_built_with_its_safety_check_and_every_format(world: World, approved_copy: Any, build: Any) -> None:
    version = _chart(world, approved_copy, build)
    assert version.status == OutputVersion.Status.AWAITING_SIGN_OFF
    assert sorted(f.format for f in version.files.all()) == ["csv", "pdf", "png", "svg", "xlsx"]
    checks = {row["check"]: row for row in version.safety_check}
    assert {"Figures", "Small areas", "A list of people", "Indicators of need", "Personal data in the files"} <= set(
        checks
    )
    assert "totals included, are hidden" in checks["Figures"]["words"]
    assert any("fewer than 10 people (threshold rule)" in line for line in version.explanation)
    assert "hidden to protect people" in assemble.preview_svg(version)
    actions = set(AuditEntry.objects.filter(project_id=world.project.pk).values_list("action", flat=True))
    assert {"outputs.output_create", "outputs.version_build"} <= actions


def test_only_an_approved_safe_copy_can_be_used(world: World, approved_copy: Any, build: Any) -> None:
    approved_copy.plan.status = RemedyPlanVersion.Status.AWAITING_SIGN_OFF
    approved_copy.plan.save()
    with pytest.raises(ApplicationError, match="safe copy that information rights approved"):
        services.output_create(actor=world.user("data_analyst"), safe_copy=approved_copy, kind="chart", title="x")


def test_only_analysts_make_outputs(world: World, approved_copy: Any, build: Any) -> None:
    with pytest.raises(NotPermitted):
        services.output_create(actor=world.user("delivery_lead"), safe_copy=approved_copy, kind="chart", title="x")


def test_an_output_that_flags_households_is_refused_with_article_22(
    world: World, approved_copy: Any, build: Any
) -> None:
    version = _chart(world, approved_copy, build, title="Households flagged for priority by household size")
    assert version.status == OutputVersion.Status.REFUSED
    assert "Article 22" in version.refusal and not version.files.exists()
    assert AuditEntry.objects.filter(action="outputs.version_refused").exists()


def test_sign_off_then_download_the_approved_files(world: World, approved_copy: Any, build: Any) -> None:
    version = _chart(world, approved_copy, build)
    with pytest.raises(ApplicationError, match="Only a version that information rights approved"):
        services.version_download(actor=world.user("data_analyst"), version=version, fmt="csv")
    from community_insights.portal.projects.models import ProjectRole

    ProjectRole.objects.create(user=version.built_by, project=world.project, role="information_rights")
    version = OutputVersion.objects.get(pk=version.pk)  # roles are cached on the project instance of a request
    with pytest.raises(NotPermitted, match="You built this version"):
        services.version_sign_off(actor=version.built_by, version=version, approve=True, comment="fine")
    officer = world.user("information_rights")
    with pytest.raises(ApplicationError, match="Add a comment"):
        services.version_sign_off(actor=officer, version=version, approve=True, comment=" ")
    services.version_sign_off(actor=officer, version=version, approve=True, comment="Checked the hidden cells.")
    version.refresh_from_db()
    assert version.status == OutputVersion.Status.APPROVED
    data, _ = services.version_download(actor=world.user("delivery_lead"), version=version, fmt="csv")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8"))))
    assert rows[0] == ["ward", "household_size", "count"] and any("[c]" in row for row in rows)
    assert "(threshold rule)" not in data.decode("utf-8")  # the reasons never leave the portal
    book, _ = services.version_download(actor=world.user("delivery_lead"), version=version, fmt="xlsx")
    assert load_workbook(io.BytesIO(book)).sheetnames == ["Table", "Notes"]
    assert AuditEntry.objects.filter(action="outputs.version_download").count() == 2
    assert AuditEntry.objects.filter(action="outputs.version_approve").exists()


def test_a_rejected_version_is_replaced_by_the_next_build(world: World, approved_copy: Any, build: Any) -> None:
    version = _chart(world, approved_copy, build)
    officer = world.user("information_rights")
    services.version_sign_off(actor=officer, version=version, approve=False, comment="Say where the data is from.")
    newer = build(actor=world.user("data_analyst"), output=version.output, settings=CHART)
    version.refresh_from_db()
    assert version.status == OutputVersion.Status.SUPERSEDED and newer.number == 2


def test_a_map_merges_the_small_ward(world: World, approved_copy: Any, build: Any) -> None:
    output = services.output_create(
        actor=world.user("data_analyst"), safe_copy=approved_copy, kind="map", title="Visits"
    )
    version = build(actor=world.user("data_analyst"), output=output, settings={"area": "ward"})
    assert version.status == OutputVersion.Status.AWAITING_SIGN_OFF, version.refusal
    small = next(row for row in version.safety_check if row["check"] == "Small areas")
    assert "Northgate" in small["words"] and "merged" in small["words"]
    assert "Shown together to protect people" in assemble.preview_svg(version)
    assert set(version.files.values_list("format", flat=True)) == {"svg", "png", "pdf", "csv", "xlsx"}
    services.version_sign_off(actor=world.user("information_rights"), version=version, approve=True, comment="Fine.")
    header = next(csv.reader(io.StringIO(services.approved_file(version=version, fmt="csv")[0].decode())))
    sheet = load_workbook(io.BytesIO(services.approved_file(version=version, fmt="xlsx")[0])).active
    assert sheet is not None and [c.value for c in next(sheet.iter_rows())] == header  # the same published rows


def test_a_dashboard_page_is_made_of_approved_outputs_only(world: World, approved_copy: Any, build: Any) -> None:
    officer, analyst = world.user("information_rights"), world.user("data_analyst")
    chart = _chart(world, approved_copy, build)
    table_output = services.output_create(actor=analyst, safe_copy=approved_copy, kind="table", title="Visits by ward")
    table = build(actor=analyst, output=table_output, settings={"by": ["ward"], "statistic": "count"})
    page = services.dashboard_create(actor=analyst, project=world.project, title="Visits, April to June")
    refused = build(actor=analyst, output=page, settings={"parts": [chart.output_id]})
    assert refused.status == OutputVersion.Status.REFUSED and "approved" in refused.refusal
    for version in (chart, table):
        services.version_sign_off(actor=officer, version=version, approve=True, comment="Checked.")
    built = build(
        actor=analyst, output=page, settings={"parts": [chart.output_id, table_output.pk]}, narrative="Three months."
    )
    assert built.status == OutputVersion.Status.AWAITING_SIGN_OFF
    assert sorted(f.format for f in built.files.all()) == ["html", "pdf"]
    together = next(row for row in built.safety_check if row["check"] == "Outputs side by side")
    assert together["outcome"] == "attention" and "ward" in together["words"]  # both parts group by ward
    services.version_sign_off(actor=officer, version=built, approve=True, comment="Fine together.")
    data, content_type = services.version_download(actor=analyst, version=built, fmt="html")
    page_text = data.decode("utf-8")
    assert content_type.startswith("text/html") and "<script" not in page_text
    assert "hidden to protect people" in page_text and "Visits by ward" in page_text and "<table>" in page_text


@pytest.mark.parametrize(
    ("chosen", "sentence"),
    [
        ({"by": ["ward"], "statistic": "sum", "value": "household_size"}, "not numbers"),
        ({"by": ["street"], "statistic": "count"}, "no column called"),
    ],
    ids=["measure-on-text", "column-not-there"],
)
def test_bad_settings_are_refused_in_one_sentence(
    world: World, approved_copy: Any, build: Any, chosen: dict[str, Any], sentence: str
) -> None:
    output = services.output_create(actor=world.user("data_analyst"), safe_copy=approved_copy, kind="chart", title="T")
    version = build(actor=world.user("data_analyst"), output=output, settings=chosen)
    assert version.status == OutputVersion.Status.REFUSED and sentence in version.refusal
    assert len(version.refusal.splitlines()) == 1 and not version.files.exists()


def test_the_scan_reads_the_text_of_the_pdf_itself(tmp_path: Any) -> None:
    from community_insights.portal.outputs.build import personal_data_kinds
    from community_insights.safety import make_chart

    data = tmp_path / "visits.csv"
    data.write_bytes(visits_csv())
    drawn = make_chart(data, by=["ward"], title="Visits: ask jo.bloggs@example.org")
    pdf = drawn.write(tmp_path / "chart.pdf").read_bytes()
    assert personal_data_kinds({"pdf": pdf}) == {"EMAIL"}
    plain = make_chart(data, by=["ward"], title="Visits by ward").write(tmp_path / "plain.pdf").read_bytes()
    assert personal_data_kinds({"pdf": plain}) == set()


def test_every_file_carries_its_alt_text_and_caveats(world: World, approved_copy: Any, build: Any) -> None:
    from PIL import Image
    from pypdf import PdfReader

    version = _chart(world, approved_copy, build)
    services.version_sign_off(actor=world.user("information_rights"), version=version, approve=True, comment="Fine.")
    version.refresh_from_db()
    caveat = "Not for funding applications."

    def download(fmt: str) -> bytes:
        return services.version_download(actor=world.user("delivery_lead"), version=version, fmt=fmt)[0]

    desc = re.search(r"<desc[^>]*>(.*?)</desc>", download("svg").decode("utf-8"), flags=re.S)
    assert desc is not None and version.alt_text in desc.group(1) and caveat in desc.group(1)
    with Image.open(io.BytesIO(download("png"))) as picture:
        assert picture.text["Description"] == version.alt_text and caveat in picture.text["Disclaimer"]
    metadata = PdfReader(io.BytesIO(download("pdf"))).metadata
    assert metadata is not None and metadata["/Subject"] == version.alt_text and metadata["/Caveats"] == caveat
    assert f"What this can and cannot be used for: {caveat}" in download("csv").decode("utf-8")
    notes = [row[0] for row in load_workbook(io.BytesIO(download("xlsx")))["Notes"].iter_rows(values_only=True)]
    assert f"What it shows: {version.alt_text}" in notes and f"What this can and cannot be used for: {caveat}" in notes


def test_a_table_is_also_a_pdf_of_the_same_published_figures(world: World, approved_copy: Any, build: Any) -> None:
    from pypdf import PdfReader

    analyst = world.user("data_analyst")
    output = services.output_create(actor=analyst, safe_copy=approved_copy, kind="table", title="Visits by ward")
    version = build(actor=analyst, output=output, settings={"by": ["ward"], "statistic": "count"})
    assert sorted(f.format for f in version.files.all()) == ["csv", "pdf", "xlsx"]
    services.version_sign_off(actor=world.user("information_rights"), version=version, approve=True, comment="Ok.")
    figures = services.approved_file(version=version, fmt="csv")[0].decode().split("\n\n")[0]
    pdf = PdfReader(io.BytesIO(services.approved_file(version=version, fmt="pdf")[0]))
    text = " ".join(" ".join((p.extract_text() or "").split()) for p in pdf.pages)
    assert text.startswith("Visits by ward")
    for ward, figure in list(csv.reader(io.StringIO(figures)))[1:]:
        assert f"{ward} {figure}" in text  # every published figure, as the CSV has it (marks included)
