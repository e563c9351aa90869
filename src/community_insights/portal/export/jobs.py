"""Building the programme's complete export in the background, through the shared ``core.jobs`` module.

Why in the background: the whole record (every model, the audit log, the
documents and the published outputs) can take minutes, and the person should
not wait on a page. Progress is counted in steps that really are the work: one
per model written and one per file copied, all known before the first is written.
"""

from __future__ import annotations

import csv
import hashlib
import io
import zipfile
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone

from community_insights.portal.core import audit, jobs
from community_insights.portal.datasets import storage
from community_insights.portal.datasets.files import record_view
from community_insights.portal.export import files, records
from community_insights.portal.export.models import ProgrammeExport

AREA = "export"
WORKER = "background worker"
DICTIONARY = "data-dictionary.csv"
README = "README.txt"


def run(job_id: int) -> None:
    """The area's job runner (registered in ``ExportConfig.ready``)."""
    jobs.run(ProgrammeExport, job_id, work=work, fail=fail, related=("programme", "requested_by"))


def work(job: ProgrammeExport, progress: jobs.Progress) -> None:
    """Write the ZIP to a private file, store it encrypted, and record the result."""
    all_records = records.model_records()
    wanted = files.export_files(job.programme, requester=job.requested_by, include_raw=job.include_raw)
    total = len(all_records) + len(wanted)
    progress(0, total)
    with storage.private_file(f"programme-export-{job.pk}.zip") as path:
        counts = _write_zip(path, job, all_records, wanted, lambda done: progress(done, total))
        digest, size = _sha256(path)
        stored_name, _ = storage.store_encrypted(path, f"exports/programme-export-{job.pk}.zip.enc")
    raw_ids = [f.raw_dataset_id for f in wanted if f.raw_dataset_id is not None]
    with transaction.atomic():
        if not jobs.finish_if_still_running(
            job, rows_done=total, rows_total=total, stored_name=stored_name, size_bytes=size, sha256=digest,
            raw_datasets=raw_ids,
        ):  # fmt: skip
            storage.delete_stored(stored_name)
            return
        audit.record(
            actor=WORKER,
            action="export.export_finished",
            target=job,
            changes={"models": len(all_records), "rows": sum(counts.values()), "files": len(wanted), "raw": raw_ids},
        )
        _record_raw_downloads(job, raw_ids)


def _write_zip(
    path: Path, job: ProgrammeExport, all_records: list[records.ModelRecords], wanted: list[files.ExportFile], step: Any
) -> dict[str, int]:
    counts: dict[str, int] = {}
    done = 0
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for model_records in all_records:
            with archive.open(model_records.path, "w") as raw, _text(raw) as out:
                rows = records.rows_for(model_records.model, job.programme).iterator(chunk_size=2000)
                counts[model_records.path] = records.write_csv(out, model_records, rows)
            done += 1
            step(done)
        with archive.open(DICTIONARY, "w") as raw, _text(raw) as out:
            csv.writer(out).writerows(records.dictionary_rows(all_records))
        for item in wanted:
            with archive.open(item.path, "w", force_zip64=True) as out:
                for chunk in item.chunks():
                    out.write(chunk)
            done += 1
            step(done)
        archive.writestr(README, _readme(job, counts, wanted))
    return counts


def _text(raw: Any) -> io.TextIOWrapper:
    """UTF-8 with a byte order mark, so Excel reads names with accents correctly; CSV's own line ends."""
    return io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")


def _sha256(path: Path) -> tuple[str, int]:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest(), path.stat().st_size


def _readme(job: ProgrammeExport, counts: dict[str, int], wanted: list[files.ExportFile]) -> str:
    raw = [f.path for f in wanted if f.raw_dataset_id is not None]
    lines = [
        f"Complete export of {job.programme}",
        f"Made {timezone.localtime():%d %B %Y at %H:%M} for {getattr(job.requested_by, 'email', 'programme staff')}.",
        "",
        "records/<area>/<model>.csv  every record of every area, one file per kind of record;",
        "                            records/core/auditentry.csv is the audit log.",
        f"{DICTIONARY}          what each column means; secrets (password hashes, keys, tokens,",
        "                            sealed data) are listed there as never exported.",
        "files/documents/            each DPIA version and sharing agreement (Word).",
        "files/published-outputs/    the files of every output published as an insight.",
        "files/raw-datasets/         raw data, only when asked for and only what you may download"
        + ("." if raw else " (none in this export)."),
        "",
        f"{sum(counts.values())} records in {len(counts)} files; {len(wanted)} other files.",
        "Cells that a spreadsheet would run as formulas start with an apostrophe.",
    ]
    return "\n".join(lines) + "\n"


def _record_raw_downloads(job: ProgrammeExport, raw_ids: list[int]) -> None:
    """Each raw dataset that went in is on its own project's data audit trail, as a download would be."""
    from community_insights.portal.datasets.models import Dataset

    for dataset in Dataset.objects.filter(pk__in=raw_ids):
        record_view(
            actor=job.requested_by,
            action="datasets.raw_download",
            target=dataset,
            project_id=dataset.project_id,
            changes={"sha256": dataset.sha256, "programme_export": job.pk},
        )


def fail(job: ProgrammeExport, message: str) -> None:
    with transaction.atomic():
        jobs.mark_failed(job, message)
        audit.record(actor=WORKER, action="export.export_failed", target=job)


def _gave_up(job: ProgrammeExport) -> None:
    audit.record(actor=WORKER, action="export.export_failed", target=job)


def retry_stale(job: ProgrammeExport | None = None) -> list[Any]:
    """Put exports whose worker died back in the queue, or fail them after their last attempt."""
    return jobs.retry_stale(
        ProgrammeExport,
        area=AREA,
        only=job,
        gave_up=_gave_up,
        requeued=lambda job: None,
    )
