"""Who may open each dataset URL (format: tests/portal/access.py).

The data source belongs to the council. Council members on the project
(delivery lead, data analyst, communities representative, contracts and legal,
information rights) may upload; only the data analyst of the owning
organisation downloads raw data; information rights sign off and read the
audit trail; the whole project team downloads an approved safe copy; another
organisation's member gets 404 throughout; staff who are not on the team see
the inventory but receive no data.
"""

from __future__ import annotations

from typing import Any

from tests.portal.access import LOGIN, Case, World, expect

COUNCIL_TEAM = ("delivery_lead", "data_analyst", "communities_representative", "contracts_legal", "information_rights")
INVENTORY_EDITORS = ("facilitator", "delivery_lead", "data_analyst", "information_rights", "contracts_legal")


def _only(*personas: str, ok: int | str = 200, staff: int | str = 403) -> dict[str, int | str]:
    return expect(LOGIN, default=403, outsider=404, staff=staff, **dict.fromkeys(personas, ok))


TINY_CSV = b"ward,visits\nCastle,12\nAbbey,15\n"


def _stored(name: str) -> str:
    """A tiny encrypted file in the dataset storage (reused between personas and runs)."""
    from community_insights.portal.datasets import storage
    from community_insights.portal.datasets.encryption import DecryptionError

    store = storage.dataset_storage()
    if store.exists(name):
        try:
            if b"".join(storage.iter_decrypted(name)) == TINY_CSV:
                return name
        except DecryptionError:
            pass
        store.delete(name)
    with storage.private_file("tiny.csv") as path:
        path.write_bytes(TINY_CSV)
        stored, _ = storage.store_encrypted(path, name)
    return stored


def _plan_yaml() -> str:
    from community_insights.portal.datasets import engine

    return engine.plan_from_dict(
        {
            "plan_version": 1,
            "source": {"file_name": "tiny.csv", "format": "csv", "columns": ["ward", "visits"]},
            "reference_date": "2025-01-31",
            "min_group_size": 10,
            "small_groups": "generalise",
            "quasi_identifiers": [],
            "columns": [
                {"column": "ward", "action": "keep", "reason": "Wards are large areas."},
                {"column": "visits", "action": "keep", "reason": "Counts."},
            ],
        }
    )


REPORT = {
    "schema_version": "1.0",
    "source": {
        "file_name": "tiny.csv",
        "format": "csv",
        "rows": 2,
        "columns": 2,
        "sha256": "0" * 64,
        "rows_checked": 2,
        "problems": [],
    },
    "columns": [
        {
            "name": "ward",
            "kind": "quasi_identifier",
            "pii_types": [],
            "evidence": {"masked_examples": []},
            "recommended_action": "keep",
            "reason": "An area.",
            "span_count": 0,
        },
        {
            "name": "visits",
            "kind": "other",
            "pii_types": [],
            "evidence": {},
            "recommended_action": "keep",
            "reason": "",
            "span_count": 0,
        },
    ],
    "small_areas": {"household_threshold": 10, "postcode_columns": [], "areas": [], "recommendations": []},
    "mosaic": {"quasi_identifiers": [], "threshold": 10, "sentences": []},
    "summary": {"verdict": "safe to share", "reasons": ["No personal data was found."]},
}


def _dataset(world: World, *, plan_status: str = "draft") -> dict[str, Any]:
    from community_insights.portal.datasets.models import (
        CheckResult,
        Dataset,
        DatasetJob,
        DataSource,
        RemedyPlanVersion,
        SafeCopy,
    )

    source = DataSource.objects.create(
        project=world.project,
        name="Visits",
        category=DataSource.Category.INTERNAL_COUNCIL,
        owner_organisation=world.organisations["council"],
    )
    dataset = Dataset.objects.create(
        source=source,
        project=world.project,
        title="Visits",
        original_name="tiny.csv",
        format="csv",
        size_bytes=len(TINY_CSV),
        sha256="0" * 64,
        column_count=2,
        stored_name=_stored("matrix/raw.enc"),
        status=Dataset.Status.CHECKED,
        uploaded_by=world.user("data_analyst"),
    )
    job = DatasetJob.objects.create(dataset=dataset, kind="check", status="succeeded", attempts=1)
    plan_yaml = _plan_yaml()
    CheckResult.objects.create(
        dataset=dataset, job=job, verdict="safe to share", report=REPORT, suggested_plan=plan_yaml
    )
    plan = RemedyPlanVersion.objects.create(
        dataset=dataset, number=1, plan_yaml=plan_yaml, status=plan_status, created_by=world.user("data_analyst")
    )
    copy = SafeCopy.objects.create(
        dataset=dataset,
        plan=plan,
        stored_name=_stored("matrix/safe.enc"),
        file_name="tiny-safe-copy-v1.csv",
        format="csv",
        report={
            "source": {"rows": 2, "columns": ["ward", "visits"]},
            "output": {"rows": 2, "columns": ["ward", "visits"]},
            "columns": [],
            "plan": {},
        },
    )
    return {"source": source, "dataset": dataset, "job": job, "plan": plan, "copy": copy}


def _awaiting_sign_off(world: World) -> dict[str, Any]:
    return {**_ds(world, plan_status="awaiting_sign_off"), "number": 1}


def _ds(world: World, **kw: Any) -> dict[str, Any]:
    return {"dataset_id": _dataset(world, **kw)["dataset"].pk}


def _source(world: World) -> dict[str, Any]:
    return {"source_id": _dataset(world)["source"].pk}


def _partner() -> Any:
    """A third programme to share the key with (not the cross-programme matrix's Riverdale)."""
    from community_insights.portal.programme.models import Programme

    return Programme.objects.get_or_create(slug="eastdale", defaults={"name": "Eastdale Community Insights"})[0]


def _key_agreement(world: World) -> dict[str, Any]:
    """A proposal of the world's programme (Northmoor) to share its key with Eastdale."""
    from datetime import timedelta

    from django.utils import timezone

    from community_insights.portal.datasets.key_agreements import key_agreement_propose
    from community_insights.portal.programme.current import current_programme

    agreement = key_agreement_propose(
        actor=world.user("information_rights"),
        programme=current_programme(),
        partner=_partner(),
        purpose="Families known to both programmes' services.",
        ends_on=timezone.localdate() + timedelta(days=60),
    )
    return {"agreement_id": agreement.pk}


def _proposal_data(world: World) -> dict[str, Any]:
    return {
        "partner": _partner().pk,
        "purpose": "Carers known to both programmes.",
        "ends_on_0": "31",
        "ends_on_1": "12",
        "ends_on_2": "2099",
    }


IRO_ONLY = expect(LOGIN, default=403, information_rights=200)

CASES = [
    Case("datasets:overview", expect=expect(LOGIN)),
    Case("datasets:key_agreements", expect=IRO_ONLY),
    Case("datasets:key_agreement_propose", expect=IRO_ONLY),
    Case(
        "datasets:key_agreement_propose",
        method="post",
        data=_proposal_data,
        expect=expect(LOGIN, default=403, information_rights=302),
    ),
    Case("datasets:key_agreement_detail", kwargs=_key_agreement, expect=IRO_ONLY),
    Case(
        "datasets:key_agreement_detail",
        kwargs=_key_agreement,
        method="post",
        expect=expect(LOGIN, default=403, information_rights=302),
        note="approve",
    ),
    Case("datasets:keys", expect=expect(LOGIN, default=403, information_rights=200)),
    Case(
        "datasets:keys",
        method="post",
        data=lambda w: {"reason": "Annual rotation."},
        expect=expect(LOGIN, default=403, information_rights=302),
        note="rotate",
    ),
    Case("datasets:inventory", kwargs=lambda w: {"slug": w.project.slug}, expect=expect(LOGIN, outsider=404)),
    Case(
        "datasets:source_create", kwargs=lambda w: {"slug": w.project.slug}, expect=_only(*INVENTORY_EDITORS, staff=200)
    ),
    Case("datasets:audit", kwargs=lambda w: {"slug": w.project.slug}, expect=_only("information_rights")),
    Case("datasets:audit_export", kwargs=lambda w: {"slug": w.project.slug}, expect=_only("information_rights")),
    Case("datasets:source_edit", kwargs=_source, expect=_only(*INVENTORY_EDITORS, staff=200)),
    Case("datasets:upload", kwargs=_source, expect=_only(*COUNCIL_TEAM)),
    Case(
        "datasets:job_progress",
        kwargs=lambda w: {"job_id": _dataset(w)["job"].pk},
        expect=expect(LOGIN, outsider=404),
    ),
    Case("datasets:dataset_detail", kwargs=_ds, expect=expect(LOGIN, outsider=404)),
    Case("datasets:dataset_recheck", kwargs=_ds, method="post", expect=_only(*COUNCIL_TEAM, ok=302)),
    Case("datasets:check_options", kwargs=_ds, expect=_only(*COUNCIL_TEAM)),
    Case("datasets:findings", kwargs=_ds, expect=_only(*COUNCIL_TEAM)),
    Case("datasets:column_review", kwargs=lambda w: {**_ds(w), "index": 0}, expect=_only(*COUNCIL_TEAM)),
    Case("datasets:plan_create", kwargs=_ds, method="post", expect=_only(*COUNCIL_TEAM, ok=302)),
    Case("datasets:plan_detail", kwargs=lambda w: {**_ds(w), "number": 1}, expect=_only(*COUNCIL_TEAM)),
    Case("datasets:plan_edit", kwargs=lambda w: {**_ds(w), "number": 1}, expect=_only(*COUNCIL_TEAM)),
    Case(
        "datasets:plan_apply",
        kwargs=lambda w: {**_ds(w), "number": 1},
        method="post",
        expect=_only(*COUNCIL_TEAM, ok=302),
    ),
    Case(
        "datasets:plan_sign_off",
        kwargs=lambda w: {**_ds(w, plan_status="awaiting_sign_off"), "number": 1},
        expect=_only("information_rights"),
    ),
    Case("datasets:findings_accept_all", kwargs=_ds, method="post", expect=_only(*COUNCIL_TEAM, ok=302)),
    Case("datasets:plan_sample", kwargs=_awaiting_sign_off, expect=_only("information_rights")),
    Case("datasets:raw_download", kwargs=_ds, expect=_only("data_analyst")),
    Case("datasets:dataset_delete", kwargs=_ds, expect=_only("data_analyst", "information_rights")),
    Case(
        "datasets:safe_copy_report",
        kwargs=lambda w: {"copy_id": _dataset(w, plan_status="approved")["copy"].pk},
        expect=expect(LOGIN, outsider=404, staff=403),
        note="approved",
    ),
    Case(
        "datasets:safe_copy_report",
        kwargs=lambda w: {"copy_id": _dataset(w, plan_status="awaiting_sign_off")["copy"].pk},
        expect=_only(*COUNCIL_TEAM),
        note="awaiting-sign-off",
    ),
    Case(
        "datasets:safe_copy_download",
        kwargs=lambda w: {"copy_id": _dataset(w, plan_status="approved")["copy"].pk},
        expect=expect(LOGIN, outsider=404, staff=403),
        note="approved",
    ),
    Case(
        "datasets:safe_copy_download",
        kwargs=lambda w: {"copy_id": _dataset(w, plan_status="awaiting_sign_off")["copy"].pk},
        expect=_only(ok=200),
        note="not-approved",
    ),
]
