"""The documents people file (opened and read, not only found) and the pages of the DPIA journey."""

from __future__ import annotations

import io
from typing import Any

import pytest
from docx import Document
from pypdf import PdfReader

from community_insights.portal.core.models import AuditEntry
from community_insights.portal.datasets.models import Dataset
from community_insights.portal.governance import selectors, services
from tests.portal.access import World
from tests.portal.governance.factories import approve_dpia

pytestmark = pytest.mark.django_db


def _docx_text(content: bytes) -> str:
    doc = Document(io.BytesIO(content))
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    return "\n".join([p.text for p in doc.paragraphs] + cells)


def _pdf_text(content: bytes) -> str:
    """The PDF's words with line breaks (table cells wrap) read as spaces."""
    text = " ".join((page.extract_text() or "") for page in PdfReader(io.BytesIO(content)).pages)
    return " ".join(text.split())


def test_a_dpia_version_downloads_as_word_and_pdf_with_its_risks_and_approval(
    world: World, checked: Dataset, client_for: Any
) -> None:
    approve_dpia(world)
    client = client_for("communities_representative")
    word = client.get(f"/governance/projects/{world.project.slug}/dpia/versions/1.docx")
    assert word["Content-Type"].startswith("application/vnd.openxmlformats")
    text = _docx_text(word.content)
    assert "Data protection impact assessment: Food insecurity in Northmoor" in text
    assert "Special category data (UK GDPR Article 9): yes" in text
    assert "Mosaic effect" in text and "health_condition" in text
    assert "Proceed with the measures listed." in text and "Approved" in text
    pdf = _pdf_text(client.get(f"/governance/projects/{world.project.slug}/dpia/versions/1.pdf").content)
    assert "Data protection impact assessment" in pdf
    assert "Mosaic effect" in pdf and "Proceed with the measures listed." in pdf
    assert client.get(f"/governance/projects/{world.project.slug}/dpia/versions/1.odt").status_code == 404


def test_an_agreement_downloads_with_its_signatories(world: World, checked: Dataset, client_for: Any) -> None:
    values = {k: v for k, v in selectors.agreement_initial(checked.source).items() if k in services.AGREEMENT_FIELDS}
    values["article9_condition"] = "Article 9(2)(g) substantial public interest."
    agreement = services.agreement_save(
        actor=world.user("contracts_legal"), source=checked.source, recipients=[world.organisations["vcs"]], **values
    )
    services.agreement_sign(
        actor=world.user("information_rights"), agreement=agreement, signer_name="Asha Patel", job_title="DPO"
    )
    client = client_for("delivery_lead")
    text = _docx_text(client.get(f"/governance/agreements/{agreement.pk}.docx").content)
    assert "Information sharing agreement: Food bank visits" in text
    assert "Asha Patel" in text and "Not signed" in text and "Article 9(2)(g)" in text
    assert "History of approvals" in text and "\n1\nNorthmoor Borough Council\nAsha Patel\nDPO" in text
    pdf = _pdf_text(client.get(f"/governance/agreements/{agreement.pk}.pdf").content)
    assert "Asha Patel" in pdf and "Northmoor Food Partnership" in pdf


def test_every_download_of_a_dpia_or_an_agreement_is_audited(world: World, checked: Dataset, client_for: Any) -> None:
    approve_dpia(world)
    values = {k: v for k, v in selectors.agreement_initial(checked.source).items() if k in services.AGREEMENT_FIELDS}
    values["article9_condition"] = "Article 9(2)(g) substantial public interest."
    agreement = services.agreement_save(
        actor=world.user("contracts_legal"), source=checked.source, recipients=[world.organisations["vcs"]], **values
    )
    client = client_for("communities_representative")
    slug = world.project.slug
    for url in (
        f"/governance/projects/{slug}/dpia/versions/1.docx",
        f"/governance/projects/{slug}/dpia/versions/1.pdf",
        f"/governance/projects/{slug}/dpia/versions/1.docx",
        f"/governance/agreements/{agreement.pk}.pdf",
    ):
        assert client.get(url).status_code == 200
    assert client.get(f"/governance/agreements/{agreement.pk}.odt").status_code == 404
    person = world.user("communities_representative")
    dpia = AuditEntry.objects.filter(action="governance.dpia_download", actor=person, project_id=world.project.pk)
    assert sorted(e.changes["format"] for e in dpia) == ["docx", "docx", "pdf"]
    assert {e.changes["number"] for e in dpia} == {1}
    taken = AuditEntry.objects.get(action="governance.agreement_download", actor=person)
    assert (taken.changes, taken.target_id) == ({"version": 1, "format": "pdf"}, str(agreement.pk))


def test_the_facilitator_edits_a_measure_and_information_rights_approves(
    world: World, checked: Dataset, client_for: Any
) -> None:
    slug = world.project.slug
    facilitator = client_for("facilitator")
    page = facilitator.get(f"/governance/projects/{slug}/dpia/").content.decode()
    assert "Data safety check of Food bank visits, spring" in page and f"/datasets/{checked.pk}/findings/" in page
    risk = selectors.dpia_draft(world.project).risks[0]
    edited = facilitator.post(
        f"/governance/projects/{slug}/dpia/sentences/{risk.measure.key}/", {"text": "Our own measure."}
    )
    assert edited.status_code == 302
    assert "Our own measure." in facilitator.get(f"/governance/projects/{slug}/dpia/").content.decode()
    assert facilitator.post(f"/governance/projects/{slug}/dpia/send/").status_code == 302
    iro = client_for("information_rights")
    refused = iro.post(f"/governance/projects/{slug}/dpia/versions/1/decide/", {"decision": "approved"})
    assert "Record the data protection officer" in refused.content.decode()
    done = iro.post(
        f"/governance/projects/{slug}/dpia/versions/1/decide/",
        {"decision": "approved", "dpo_advice": "Agreed.", "residual_risk": "low"},
    )
    assert done.status_code == 302
    assert selectors.last_approved(world.project).snapshot["sections"][4]["risks"][0]["measure"] == "Our own measure."  # type: ignore[union-attr]
