"""Checked datasets for the governance tests: the real engine's check on made-up rows, and a real plan."""

from __future__ import annotations

import datetime as dt
import hashlib
import random
import tempfile
from pathlib import Path
from typing import Any

from community_insights.portal.datasets import engine
from community_insights.portal.datasets import services as data_services
from community_insights.portal.datasets.models import CheckResult, Dataset, DataSource, RemedyPlanVersion
from community_insights.portal.governance.models import AgreementSignature, SharingAgreement
from tests.portal.access import World

ETHNICITY = ["White British", "Bangladeshi", "Black African", "Polish", "Indian"]
HEALTH = ["Diabetes", "Asthma", "Depression", "None", "Arthritis"]


def health_csv(rows: int = 80, seed: int = 3) -> str:
    """Made-up visits with ethnicity and a health condition: two special category columns."""
    rng = random.Random(seed)
    lines = ["case_id,age,ward,ethnicity,health_condition,visits"]
    for i in range(rows):
        lines.append(
            f"C{1000 + i},{rng.randrange(18, 90)},{rng.choice(['Castle', 'Abbey'])},"
            f"{rng.choice(ETHNICITY)},{rng.choice(HEALTH)},{rng.randrange(1, 9)}"
        )
    return "\n".join(lines) + "\n"


def plain_csv(rows: int = 40) -> str:
    """Counts per ward and month: nothing personal."""
    return "ward,month,visits\n" + "".join(f"Ward {i % 4},2025-0{1 + i % 9},{20 + i}\n" for i in range(rows))


def make_source(w: World, *, owner: str = "council", name: str = "Food bank visits", **fields: Any) -> DataSource:
    values = {
        "category": DataSource.Category.INTERNAL_COUNCIL,
        "legal_basis": DataSource.LegalBasis.PUBLIC_TASK,
        "retention_until": dt.date.today() + dt.timedelta(days=365),
        **fields,
    }
    return DataSource.objects.create(project=w.project, name=name, owner_organisation=w.organisations[owner], **values)


def make_checked(w: World, source: DataSource, text: str | None = None, *, plan: bool = True) -> Dataset:
    """A dataset of ``source`` checked by the engine (report stored as the worker stores it), with its plan."""
    text = health_csv() if text is None else text
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "visits.csv"
        path.write_text(text, encoding="utf-8")
        outcome = engine.run_check(path)
    dataset = Dataset.objects.create(
        source=source,
        project=source.project,
        title=f"{source.name}, spring",
        original_name="visits.csv",
        format="csv",
        size_bytes=len(text),
        sha256=hashlib.sha256(text.encode()).hexdigest(),
        status=Dataset.Status.CHECKED,
    )
    CheckResult.objects.create(
        dataset=dataset, verdict=outcome.verdict, report=outcome.report, suggested_plan=outcome.suggested_plan
    )
    if plan:
        data_services.plan_create(actor=w.user("data_analyst"), dataset=dataset)
    return dataset


def current_plan(dataset: Dataset) -> RemedyPlanVersion:
    return dataset.plans.exclude(status=RemedyPlanVersion.Status.SUPERSEDED).order_by("-number").first()  # type: ignore[return-value]


def approve_dpia(w: World) -> Any:
    """The facilitator sends the draft and information rights approves it: version 1 (or the next one)."""
    from community_insights.portal.governance import services
    from community_insights.portal.governance.models import DpiaVersion

    version = services.dpia_submit(actor=w.user("facilitator"), project=w.project)
    return services.dpia_decide(
        actor=w.user("information_rights"),
        version=version,
        decision=DpiaVersion.Decision.APPROVED,
        dpo_advice="Proceed with the measures listed.",
        residual_risk="low",
    )


def signed_agreement(w: World, source: DataSource, *, recipients: tuple[str, ...] = ("vcs",)) -> SharingAgreement:
    """A current agreement for ``source``, signed by a member of each party: what the datasets area gates on."""
    agreement = SharingAgreement.objects.create(
        source=source,
        project=source.project,
        purpose="To answer the project's question.",
        legal_basis="UK GDPR Article 6(1)(e) public task; Data Protection Act 2018.",
        data_items="The safe copy's columns.",
        security="Encrypted at rest; shared only as a signed-off safe copy.",
        retention="Raw files deleted on the source's retention date.",
        review_date=dt.date.today() + dt.timedelta(days=365),
    )
    agreement.recipients.set([w.organisations[r] for r in recipients])
    parties = [source.owner_organisation, *agreement.recipients.exclude(pk=source.owner_organisation_id)]
    for organisation in parties:
        person = organisation.members.order_by("pk").first()
        AgreementSignature.objects.create(
            agreement=agreement,
            version=agreement.version,
            organisation=organisation,
            signed_by=person,
            signer_name=person.get_full_name() or person.email,
            job_title="Director",
        )
    return agreement
