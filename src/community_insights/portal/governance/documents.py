"""A DPIA version or a sharing agreement as a document to file: DOCX (python-docx) and PDF (WeasyPrint).

Both formats are written from one neutral shape, :class:`Document` (a title, facts, and sections of
paragraphs and tables), so the two never drift apart. The PDF loads nothing from the network.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from typing import Any

from django.template.loader import render_to_string


@dataclass
class Block:
    heading: str
    paragraphs: list[str] = field(default_factory=list)
    table: list[list[str]] = field(default_factory=list)


@dataclass
class Document:
    title: str
    facts: list[tuple[str, str]]
    blocks: list[Block]


def dpia_document(version: Any, history: list[Any]) -> Document:
    """A DPIA version: its sections and risks from the snapshot, then every version and decision so far."""
    project = version.dpia.project
    blocks = []
    for section in version.snapshot.get("sections", []):
        block = Block(section["title"], [f"{s['text']} (Source: {s['source']})" for s in section["sentences"]])
        if section["risks"]:
            block.table = [["Risk", "Likelihood", "Severity", "Measure or acceptance", "Outcome"]] + [
                [
                    f"{r['title']}. {r['finding']} (Source: {r['source']})",
                    r["likelihood"],
                    r["severity"],
                    r["measure"] or f"Accepted: {r['accepted_reason']}",
                    r["outcome"],
                ]
                for r in section["risks"]
            ]
        blocks.append(block)
    blocks.append(
        Block(
            "Step 8: Sign off and outcomes",
            table=[["Version", "Sent by", "Decision", "Decided by", "DPO advice", "Residual risk", "Comment"]]
            + [
                [
                    str(v.number),
                    str(v.submitted_by or ""),
                    v.get_decision_display(),
                    f"{v.decided_by or ''} {v.decided_at:%d %B %Y %H:%M}" if v.decided_at else "",
                    v.dpo_advice,
                    v.get_residual_risk_display() if v.residual_risk else "",
                    v.comment,
                ]
                for v in history
            ],
        )
    )
    facts = [("Project", project.title), ("Version", str(version.number)), ("Status", version.get_decision_display())]
    return Document(f"Data protection impact assessment: {project.title}", facts, blocks)


def agreement_document(
    agreement: Any, parties: list[Any], signatures: list[Any], history: list[Any] | None = None
) -> Document:
    """A sharing agreement's current version, its parties, who signed it for each, and every approval so far."""
    fields = [
        ("Purpose", agreement.purpose),
        ("Legal basis for sharing", agreement.legal_basis),
        ("Article 9 condition", agreement.article9_condition or "Not needed"),
        ("Data items", agreement.data_items),
        ("Security and storage", agreement.security),
        ("Retention and deletion", agreement.retention),
    ]
    signed = {s.organisation_id: s for s in signatures}
    signatories = [["Organisation", "Signed by", "Job title", "Date"]] + [
        [
            o.name,
            signed[o.pk].signer_name if o.pk in signed else "Not signed",
            signed[o.pk].job_title if o.pk in signed else "",
            f"{signed[o.pk].created_at:%d %B %Y}" if o.pk in signed else "",
        ]
        for o in parties
    ]
    facts = [
        ("Data flow", f"{agreement.source.owner_organisation.name} to {agreement.project.title}"),
        ("Parties", ", ".join(o.name for o in parties)),
        ("Version", str(agreement.version)),
        ("Review date", f"{agreement.review_date:%d %B %Y}"),
    ]
    blocks = [Block(label, [text]) for label, text in fields] + [Block("Signatories", table=signatories)]
    if history:
        blocks.append(
            Block(
                "History of approvals",
                table=[["Version", "Organisation", "Signed by", "Job title", "Date"]]
                + [
                    [str(s.version), s.organisation.name, s.signer_name, s.job_title, f"{s.created_at:%d %B %Y %H:%M}"]
                    for s in history
                ],
            )
        )
    return Document(f"Information sharing agreement: {agreement.source.name}", facts, blocks)


def render(document: Document, fmt: str) -> tuple[bytes, str]:
    """The document in ``fmt`` ("docx" or "pdf") and its content type; ``KeyError`` for any other."""
    content_type, write = FORMATS[fmt]
    return write(document), content_type


def to_docx(document: Document) -> bytes:
    from docx import Document as Docx  # imported here: only the download needs it

    doc = Docx()
    doc.add_heading(document.title, level=0)
    for label, value in document.facts:
        doc.add_paragraph(f"{label}: {value}")
    for block in document.blocks:
        doc.add_heading(block.heading, level=1)
        for text in block.paragraphs:
            doc.add_paragraph(text)
        if block.table:
            table = doc.add_table(rows=0, cols=len(block.table[0]))
            table.style = "Table Grid"
            for row in block.table:
                cells = table.add_row().cells
                for cell, text in zip(cells, row, strict=True):
                    cell.text = text
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _no_fetch(url: str, *args: Any, **kwargs: Any) -> dict[str, Any]:
    """Refuse every external resource: the PDF is built from the HTML alone."""
    raise ValueError(f"External resources are not loaded: {url[:40]}")


def to_pdf(document: Document) -> bytes:
    from weasyprint import HTML  # imported here: it is heavy and only the download needs it

    html = render_to_string("governance/document_pdf.html", {"doc": document})
    return bytes(HTML(string=html, url_fetcher=_no_fetch).write_pdf())


FORMATS = {
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", to_docx),
    "pdf": ("application/pdf", to_pdf),
}
