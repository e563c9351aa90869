"""The datasets area's audit vocabulary: every view, download, check, plan change, approval and deletion."""

from __future__ import annotations

from community_insights.portal.core.audit import declare

declare(
    **{
        "datasets.source_create": "Added a data source to the inventory",
        "datasets.source_update": "Changed a data source in the inventory",
        "datasets.source_owner_change": "Changed which organisation owns a data source (staff only)",
        "datasets.inventory_view": "Viewed a project's data inventory",
        "datasets.dataset_upload": "Uploaded a dataset",
        "datasets.dataset_upload_refused": "A dataset upload was refused",
        "datasets.dataset_view": "Viewed a dataset",
        "datasets.dataset_delete": "Deleted a dataset",
        "datasets.raw_download": "Downloaded a raw dataset",
        "datasets.raw_delete_retention": "Deleted a raw file past its retention date",
        "datasets.check_queue": "Queued the data safety check",
        "datasets.check_finish": "The data safety check finished",
        "datasets.check_fail": "The data safety check failed",
        "datasets.job_retry": "Restarted background work that had stopped",
        "datasets.findings_view": "Viewed the findings of a data safety check",
        "datasets.column_review": "Accepted or overrode a column's finding",
        "datasets.findings_accept_all": "Accepted every finding not yet reviewed",
        "datasets.plan_create": "Drafted a remedy plan",
        "datasets.plan_update": "Saved a new version of a remedy plan",
        "datasets.plan_view": "Viewed a remedy plan",
        "datasets.plan_apply": "Asked for a safe copy to be made",
        "datasets.safe_copy_create": "Made a safe copy",
        "datasets.safe_copy_fail": "Making a safe copy failed",
        "datasets.safe_copy_report_view": "Viewed a safe copy's before and after report",
        "datasets.safe_copy_sample_view": "Read a sample of a safe copy's rows before signing it off",
        "datasets.safe_copy_download": "Downloaded a safe copy",
        "datasets.plan_approve": "Approved a remedy plan and its safe copy",
        "datasets.plan_reject": "Asked for changes to a remedy plan",
        "datasets.key_create": "Created the programme's pseudonymisation key",
        "datasets.key_rotate": "Rotated the programme's pseudonymisation key",
        "datasets.key_agreement_propose": "Proposed sharing a pseudonymisation key with another programme",
        "datasets.key_agreement_approve": "Approved sharing a pseudonymisation key with another programme",
        "datasets.audit_view": "Viewed a project's dataset audit trail",
        "datasets.audit_export": "Exported a project's dataset audit trail",
    }
)
