"""The files in a complete export: documents, published outputs and, when asked and permitted, raw data.

Each file is one :class:`ExportFile`: where it goes in the ZIP and how to get
its bytes, so the job can count them before it starts (honest progress) and
write them one at a time (a raw file is streamed, never held whole).

- documents: each DPIA version and each sharing agreement, as the Word
  document the governance area files (the same renderer as its downloads);
- published outputs: the files of every output version published as an insight;
- raw datasets: only when the person asked for them, and only those the data
  area's rule lets that person download (``datasets.download_raw``).
  Safe copies are record-level data too and stay in the portal.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from community_insights.portal.datasets import storage
from community_insights.portal.export import permissions
from community_insights.portal.export.records import rows_for


@dataclass(frozen=True)
class ExportFile:
    path: str
    chunks: Callable[[], Iterable[bytes]]
    raw_dataset_id: int | None = None


def _folder(project: Any) -> str:
    return storage.safe_file_name(getattr(project, "slug", "") or "project", "project")


def documents(programme: Any) -> Iterator[ExportFile]:
    """Every DPIA version and sharing agreement as a Word document."""
    from community_insights.portal.governance import documents as docs
    from community_insights.portal.governance import selectors
    from community_insights.portal.governance.models import DpiaVersion, SharingAgreement

    for version in rows_for(DpiaVersion, programme).select_related("dpia__project"):
        project = version.dpia.project

        def dpia(version: Any = version, project: Any = project) -> list[bytes]:
            history = list(selectors.dpia_versions(project).order_by("number"))
            return [docs.render(docs.dpia_document(version, history), "docx")[0]]

        yield ExportFile(f"files/documents/{_folder(project)}/dpia-version-{version.number}.docx", dpia)
    for agreement in rows_for(SharingAgreement, programme).select_related("project", "source"):

        def signed(agreement: Any = agreement) -> list[bytes]:
            history = list(agreement.signatures.select_related("organisation").order_by("version", "created_at"))
            document = docs.agreement_document(
                agreement, selectors.parties(agreement), selectors.current_signatures(agreement), history
            )
            return [docs.render(document, "docx")[0]]

        name = f"sharing-agreement-{agreement.pk}-version-{agreement.version}.docx"
        yield ExportFile(f"files/documents/{_folder(agreement.project)}/{name}", signed)


def published_outputs(programme: Any) -> Iterator[ExportFile]:
    """The files of every output version that was published as an insight (withdrawn ones too: the record)."""
    from community_insights.portal.datasets.encryption import open_bytes
    from community_insights.portal.sharing.models import PublishedInsight

    insights = rows_for(PublishedInsight, programme).filter(version__isnull=False).select_related("project", "version")
    for insight in insights:
        for stored in insight.version.files.all():
            name = f"{storage.safe_file_name(insight.slug, 'insight')}.{storage.safe_file_name(stored.format)}"

            def unsealed(stored: Any = stored) -> list[bytes]:
                return [open_bytes(stored.sealed_bytes())]

            yield ExportFile(f"files/published-outputs/{_folder(insight.project)}/{name}", unsealed)


def raw_datasets(programme: Any, requester: Any) -> Iterator[ExportFile]:
    """The raw files the requester may download themselves (the data area's rule, dataset by dataset)."""
    from community_insights.portal.datasets.models import Dataset

    for dataset in rows_for(Dataset, programme).select_related("project", "source"):
        if not dataset.has_raw_file or not permissions.may_include_raw(requester, dataset):
            continue
        name = f"{dataset.pk}-{storage.safe_file_name(dataset.original_name)}"

        def plain(dataset: Any = dataset) -> Iterator[bytes]:
            return storage.iter_decrypted(dataset.stored_name)

        yield ExportFile(f"files/raw-datasets/{_folder(dataset.project)}/{name}", plain, raw_dataset_id=dataset.pk)


def export_files(programme: Any, *, requester: Any, include_raw: bool) -> list[ExportFile]:
    """Every file of the export, in the order they are written."""
    found = [*documents(programme), *published_outputs(programme)]
    if include_raw:
        found += raw_datasets(programme, requester)
    return found
