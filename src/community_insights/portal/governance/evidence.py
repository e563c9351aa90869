"""What the portal already knows about a project's data, gathered once for the DPIA and the agreements.

Everything here is read from the datasets area through its selectors: each source with its owner,
legal basis and retention; each live dataset with its latest check (the masked report: column
names, kinds and counts, never a value), its current remedy plan and its approved safe copy.
Nothing is written.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.urls import reverse

from community_insights.portal.datasets import engine
from community_insights.portal.datasets import selectors as data
from community_insights.portal.datasets.models import Dataset, DataSource, RemedyPlanVersion
from community_insights.portal.projects.models import Project


@dataclass(frozen=True)
class DatasetEvidence:
    """One live dataset: its check report, its current plan (as plain data) and where to read them."""

    dataset: Dataset
    report: dict[str, Any]
    plan: RemedyPlanVersion | None
    plan_data: dict[str, Any]
    safe_copy_url: str

    @property
    def label(self) -> str:
        return f"{self.dataset.title} ({self.dataset.source.name})"

    @property
    def findings_url(self) -> str:
        return reverse("datasets:findings", kwargs={"dataset_id": self.dataset.pk})

    @property
    def plan_url(self) -> str:
        if self.plan is None:
            return reverse("datasets:dataset_detail", kwargs={"dataset_id": self.dataset.pk})
        return reverse("datasets:plan_detail", kwargs={"dataset_id": self.dataset.pk, "number": self.plan.number})

    @property
    def plan_approved(self) -> bool:
        return self.plan is not None and self.plan.status == RemedyPlanVersion.Status.APPROVED

    def columns(self, *kinds: str) -> list[str]:
        """The names of the check's columns of the given kinds (all columns when none are given)."""
        return [c["name"] for c in self.report.get("columns", []) if not kinds or c.get("kind") in kinds]

    def column(self, name: str) -> dict[str, Any]:
        return next((c for c in self.report.get("columns", []) if c.get("name") == name), {})

    def action_for(self, column: str) -> dict[str, Any] | None:
        """The plan's step for ``column``, or ``None`` when there is no plan yet."""
        if not self.plan_data:
            return None
        return next((c for c in self.plan_data.get("columns", []) if c.get("column") == column), {})

    def kept_columns(self) -> list[str]:
        """The safe copy's columns: every column the plan does not remove (all of them without a plan)."""
        names = self.columns()
        if not self.plan_data:
            return names
        dropped = {c["column"] for c in self.plan_data.get("columns", []) if c.get("action") == "drop"}
        return [n for n in names if n not in dropped]


@dataclass(frozen=True)
class SourceEvidence:
    source: DataSource
    datasets: list[DatasetEvidence] = field(default_factory=list)

    @property
    def url(self) -> str:
        return reverse("datasets:inventory", kwargs={"slug": self.source.project.slug})


@dataclass(frozen=True)
class ProjectEvidence:
    project: Project
    sources: list[SourceEvidence]

    @property
    def datasets(self) -> list[DatasetEvidence]:
        return [d for s in self.sources for d in s.datasets]

    @property
    def personal_sources(self) -> list[SourceEvidence]:
        """Sources holding personal data: everything not marked "not personal data"."""
        return [s for s in self.sources if s.source.legal_basis != DataSource.LegalBasis.NOT_PERSONAL]


def _plan_data(plan: RemedyPlanVersion | None) -> dict[str, Any]:
    if plan is None:
        return {}
    try:
        return engine.plan_to_dict(engine.load_plan_text(plan.plan_yaml))
    except engine.EngineError:
        return {}


def dataset_evidence(dataset: Dataset) -> DatasetEvidence | None:
    """The evidence of one dataset, or ``None`` when it has not been checked yet."""
    check = data.latest_check(dataset=dataset)
    if check is None:
        return None
    plan = data.current_plan(dataset=dataset)
    copy = data.approved_safe_copy(dataset=dataset)
    copy_url = reverse("datasets:safe_copy_report", kwargs={"copy_id": copy.pk}) if copy else ""
    return DatasetEvidence(dataset, check.report, plan, _plan_data(plan), copy_url)


def source_evidence(source: DataSource) -> SourceEvidence:
    found = (dataset_evidence(d) for d in data.dataset_list(source=source).exclude(status=Dataset.Status.DELETED))
    return SourceEvidence(source, [d for d in found if d is not None])


def project_evidence(project: Project) -> ProjectEvidence:
    return ProjectEvidence(project, [source_evidence(s) for s in data.data_source_list(project=project)])
