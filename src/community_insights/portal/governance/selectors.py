"""Reads of the governance area: the drafted DPIA, its versions, the agreements and the publish gate.

The DPIA draft is made here on every read from the evidence (``evidence.py``), the drafted sentences
(``drafting.py``) and risks (``risks.py``), with the stored edits and ratings laid over it. Reads
never write: a project without a ``Dpia`` row still gets its draft.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Exists, OuterRef, QuerySet
from django.urls import reverse
from django.utils import timezone

from community_insights.portal.datasets.models import Dataset, DataSource
from community_insights.portal.governance import drafting, output_risks, permissions, risks
from community_insights.portal.governance.evidence import (
    DatasetEvidence,
    ProjectEvidence,
    project_evidence,
    source_evidence,
)
from community_insights.portal.governance.models import Dpia, DpiaVersion, SharingAgreement
from community_insights.portal.people.models import Organisation
from community_insights.portal.people.selectors import organisations_here
from community_insights.portal.projects.membership import project_get_for_user, project_list_for_user
from community_insights.portal.projects.models import Project

__all__ = ["project_get_for_user"]


def dpia_of(project: Project) -> Dpia | None:
    return Dpia.objects.filter(project=project).first()


def _overlay(sentence: drafting.Sentence, edits: dict[str, Any]) -> None:
    """A person's wording replaces the drafted one; ``stale`` when the evidence moved on since."""
    sentence.drafted = sentence.text
    edit = edits.get(sentence.key)
    if edit is not None:
        sentence.text = edit.text
        sentence.edited = True
        sentence.stale = edit.drafted_text != sentence.drafted


def build_draft(evidence: ProjectEvidence, dpia: Dpia | None) -> drafting.Draft:
    """The whole DPIA from the evidence, with the stored edits and ratings laid over it."""
    edits = {e.key: e for e in dpia.edits.all()} if dpia else {}
    ratings = {r.risk_key: r for r in dpia.ratings.all()} if dpia else {}
    answers, screening_sentences = drafting.screening(evidence)
    parts = {
        "need": screening_sentences,
        "description": drafting.description(evidence),
        "consultation": drafting.consultation(evidence),
        "necessity": drafting.necessity(evidence),
        "risks": [],
    }
    sections = [drafting.Section(key, title, list(parts[key])) for key, title in drafting.SECTIONS]
    risk_section = sections[-1]
    for d in evidence.datasets:
        risk_section.risks.extend(risks.dataset_risks(d))
    for o in evidence.outputs:
        risk_section.risks.extend(output_risks.output_risks(o))
    for section in sections:
        for sentence in section.sentences:
            _overlay(sentence, edits)
        for risk in section.risks:
            _overlay(risk.finding, edits)
            _overlay(risk.measure, edits)
            risks.apply_rating(risk, ratings.get(risk.key))
    return drafting.Draft(sections, answers)


def dpia_draft(project: Project) -> drafting.Draft:
    return build_draft(project_evidence(project), dpia_of(project))


def dpia_versions(project: Project) -> QuerySet[DpiaVersion]:
    return DpiaVersion.objects.filter(dpia__project=project).select_related("submitted_by", "decided_by")


def dpia_version_get(*, project: Project, number: int) -> DpiaVersion | None:
    return dpia_versions(project).filter(number=number).first()


def last_approved(project: Project) -> DpiaVersion | None:
    return dpia_versions(project).filter(decision=DpiaVersion.Decision.APPROVED).order_by("-number").first()


def pending_version(project: Project) -> DpiaVersion | None:
    return dpia_versions(project).filter(decision=DpiaVersion.Decision.PENDING).first()


def changed_since_approval(project: Project, draft: drafting.Draft) -> list[str]:
    """The titles of the sections whose content differs from the last approved version (all, if none)."""
    approved = last_approved(project)
    before = approved.section_hashes if approved else {}
    return [s.title for s in draft.sections if before.get(s.key) != s.hash]


# -- sharing agreements ---------------------------------------------------------------------------


def agreement_list(project: Project) -> QuerySet[SharingAgreement]:
    return (
        SharingAgreement.objects.filter(project=project)
        .select_related("source", "source__owner_organisation")
        .prefetch_related("recipients", "signatures")
    )


def agreement_get(*, project: Project, pk: int) -> SharingAgreement | None:
    return agreement_list(project).filter(pk=pk).first()


def organisations() -> QuerySet[Organisation]:
    """The current programme's organisations: who may own or receive its data."""
    return organisations_here().order_by("name")


def team_organisations(project: Project, *, exclude: Organisation) -> list[Organisation]:
    """The organisations of the project's team but ``exclude`` (a flow's first guess at its recipients)."""
    qs = Organisation.objects.filter(members__project_roles__project=project).exclude(pk=exclude.pk)
    return list(qs.distinct().order_by("name"))


def parties(agreement: SharingAgreement) -> list[Any]:
    """The organisations that must sign: the data's owner first, then each recipient."""
    owner = agreement.source.owner_organisation
    return [owner, *[o for o in agreement.recipients.order_by("name") if o.pk != owner.pk]]


def current_signatures(agreement: SharingAgreement) -> list[Any]:
    return [s for s in agreement.signatures.all() if s.version == agreement.version]


def unsigned_parties(agreement: SharingAgreement) -> list[Any]:
    signed = {s.organisation_id for s in current_signatures(agreement)}
    return [o for o in parties(agreement) if o.pk not in signed]


def project_evidence_for_source(source: DataSource) -> list[DatasetEvidence]:
    return source_evidence(source).datasets


def agreement_initial(source: DataSource) -> dict[str, Any]:
    """A first draft of a flow's agreement from what the datasets area knows: items, remedies, retention."""
    datasets = project_evidence_for_source(source)
    items = "; ".join(f"{d.dataset.title}: {', '.join(d.kept_columns())}" for d in datasets)
    remedies = " ".join(
        drafting.measure_words(d, [c for c in d.columns() if (d.action_for(c) or {}).get("action", "keep") != "keep"])
        for d in datasets
    )
    special = sorted({c for d in datasets for c in d.columns("special_category")})
    retention = (
        f"Raw files are deleted on {source.retention_until:%d %B %Y}; safe copies are deleted when the project ends."
        if source.retention_until
        else "No retention date is set for this source yet."
    )
    return {
        "purpose": f"To answer the question of {source.project.title}: {source.project.question}",
        "legal_basis": f"UK GDPR Article 6: {source.get_legal_basis_display()}; Data Protection Act 2018.",
        "article9_condition": "",
        "special_columns": special,
        "data_items": (items + (f" Remedies applied: {remedies}" if remedies.strip() else ""))
        or "The columns of the safe copy, once the data safety check and the remedy plan are done.",
        "security": "Raw files are encrypted at rest in the portal; only the owner's analysts can download them. "
        "The safe copy is shared only with the project team after sign-off by information rights.",
        "retention": retention,
        "review_date": timezone.localdate() + dt.timedelta(days=365),
    }


def agreement_status(agreement: SharingAgreement, *, today: dt.date | None = None) -> str:
    """One of the datasets area's agreement statuses, worked out from the signatures and the review date."""
    today = today or timezone.localdate()
    if unsigned_parties(agreement):
        return DataSource.AgreementStatus.IN_PROGRESS
    if agreement.review_date < today:
        return DataSource.AgreementStatus.EXPIRED
    return DataSource.AgreementStatus.SIGNED


def agreement_status_for_source(source: DataSource, *, today: dt.date | None = None) -> str:
    """The agreement status of a data source, for the datasets area to read instead of its own field.

    Not personal data needs no agreement; a personal source without an agreement here needs one.
    """
    if source.legal_basis == DataSource.LegalBasis.NOT_PERSONAL:
        return DataSource.AgreementStatus.NOT_NEEDED
    agreement = SharingAgreement.objects.filter(source=source).first()
    if agreement is None:
        return DataSource.AgreementStatus.NEEDED
    return agreement_status(agreement, today=today)


@dataclass(frozen=True)
class AgreementSummary:
    """A source's agreement as other areas show it: the status, its label, and the page to open."""

    status: str
    label: str
    url: str

    @property
    def settled(self) -> bool:
        """Signed and current, or not needed at all: nothing for information rights to chase."""
        return self.status in (DataSource.AgreementStatus.SIGNED, DataSource.AgreementStatus.NOT_NEEDED)


def agreement_summary_for_source(source: DataSource, *, today: dt.date | None = None) -> AgreementSummary:
    """What the datasets area shows and gates on, read from the agreement here (never typed by hand)."""
    status = agreement_status_for_source(source, today=today)
    agreement = SharingAgreement.objects.filter(source=source).only("pk").first()
    if agreement is not None:
        url = reverse("governance:agreement", kwargs={"pk": agreement.pk})
    elif status == DataSource.AgreementStatus.NEEDED:
        url = reverse("governance:project", kwargs={"slug": source.project.slug})
    else:
        url = ""
    return AgreementSummary(status, str(DataSource.AgreementStatus(status).label), url)


# -- the publish gate -----------------------------------------------------------------------------


def sources_in_use(project: Project) -> QuerySet[DataSource]:
    """The project's data sources with at least one dataset that is not deleted: the flows it uses.

    A deleted dataset has no raw file and no safe copy left, so its source no longer sends the
    project anything and needs no current agreement to publish.
    """
    live = Dataset.objects.filter(source=OuterRef("pk")).exclude(status=Dataset.Status.DELETED)
    return project.data_sources.select_related("owner_organisation").filter(Exists(live)).order_by("name")


@dataclass(frozen=True)
class PublishGate:
    """What stops a project publishing: ``missing`` sentences, each with the page where it is put right."""

    project: Project
    missing: list[str] = field(default_factory=list)
    where: list[str] = field(default_factory=list)

    @property
    def allowed(self) -> bool:
        return not self.missing

    @property
    def items(self) -> list[tuple[str, str]]:
        """Each missing thing with the address of the page that fixes it ("" when there is none)."""
        return [(text, self.where[i] if i < len(self.where) else "") for i, text in enumerate(self.missing)]


def project_may_publish(project: Project, *, today: dt.date | None = None) -> PublishGate:
    """What stops ``project`` publishing: an unapproved or outdated DPIA, an unsigned or expired agreement.

    For the Phase 4 publish step to call; each item is one plain sentence. Only the flows the project
    uses count: a source whose every dataset was deleted sends nothing any more.
    """
    missing, where = [], []
    dpia_url = reverse("governance:dpia", kwargs={"slug": project.slug})
    approved = last_approved(project)
    if approved is None:
        missing.append("The DPIA has not been approved.")
        where.append(dpia_url)
    else:
        changed = changed_since_approval(project, dpia_draft(project))
        if changed:
            missing.append(f"The DPIA has changed since version {approved.number} was approved: {', '.join(changed)}.")
            where.append(dpia_url)
    labels = dict(DataSource.AgreementStatus.choices)
    agreements = {a.source_id: a.pk for a in SharingAgreement.objects.filter(project=project)}
    for source in sources_in_use(project):
        status = agreement_status_for_source(source, today=today)
        if status not in (DataSource.AgreementStatus.SIGNED, DataSource.AgreementStatus.NOT_NEEDED):
            missing.append(f"The sharing agreement for {source.name} is {labels[status].lower()}.")
            pk = agreements.get(source.pk)
            where.append(
                reverse("governance:agreement", kwargs={"pk": pk})
                if pk
                else reverse("governance:agreement_edit", kwargs={"source_id": source.pk})
            )
    return PublishGate(project, missing, where)


def gates_for_user(user: Any) -> list[PublishGate]:
    """Every project the person oversees as information rights (all of them for staff), with what is missing."""
    projects = [p for p in project_list_for_user(user=user) if permissions.can_view_overview(user, p)]
    return [project_may_publish(p) for p in projects]
