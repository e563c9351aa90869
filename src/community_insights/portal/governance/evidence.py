"""What the portal already knows about a project's data, gathered once for the DPIA and the agreements.

Everything here is read from the datasets area through its selectors: each source with its owner,
legal basis and retention; each live dataset with its latest check (the masked report: column
names, kinds and counts, never a value), its current remedy plan and its approved safe copy.
From the outputs area: each output with the version of it that stands and that version's output
safety check (check names, outcomes and plain words; never a figure or a file). Nothing is written.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.urls import reverse

from community_insights.portal.datasets import engine
from community_insights.portal.datasets import selectors as data
from community_insights.portal.datasets.models import Dataset, DataSource, RemedyPlanVersion
from community_insights.portal.outputs.models import Output, OutputVersion
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


#: Versions that say nothing about what the project shares: not built yet, broken, or replaced.
NOT_STANDING = (OutputVersion.Status.BUILDING, OutputVersion.Status.FAILED, OutputVersion.Status.SUPERSEDED)


@dataclass(frozen=True)
class OutputEvidence:
    """One output, the version of it that stands (its latest, unless replaced), and its output safety check."""

    output: Output
    version: OutputVersion
    refusals: int = 0

    @property
    def title_withheld(self) -> bool:
        """The check found what may be personal data in the files' text, and the title is part of that text."""
        return self.check("Personal data in the files").get("outcome", "pass") != "pass"

    @property
    def title(self) -> str:
        return f"number {self.output.pk}" if self.title_withheld else f'"{self.output.title}"'

    @property
    def label(self) -> str:
        """How the DPIA names the output: its kind and title, or its number when the title may name someone."""
        return f"{self.output.get_kind_display()} {self.title}"

    @property
    def url(self) -> str:
        return reverse("outputs:output_detail", kwargs={"output_id": self.output.pk})

    @property
    def approved(self) -> bool:
        return self.version.status == OutputVersion.Status.APPROVED

    @property
    def refused_for_article_22(self) -> bool:
        """Refused by the output safety check because it would rank or flag people."""
        return self.version.status == OutputVersion.Status.REFUSED and "Article 22" in self.version.refusal

    def check(self, name: str) -> dict[str, str]:
        """One row of the output safety check (check, outcome, words), or an empty row."""
        return next((r for r in self.version.safety_check or [] if r.get("check") == name), {})

    def raised(self) -> list[dict[str, str]]:
        """The rows the output safety check did not pass: what it asks a person to look at."""
        return [r for r in self.version.safety_check or [] if r.get("outcome", "pass") != "pass"]


@dataclass(frozen=True)
class ProjectEvidence:
    project: Project
    sources: list[SourceEvidence]
    outputs: list[OutputEvidence] = field(default_factory=list)

    @property
    def article_22_refusals(self) -> int:
        """Every version, standing or not, the output safety check refused for ranking or flagging people."""
        return sum(o.refusals for o in self.outputs)

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


def output_evidence(project: Project) -> list[OutputEvidence]:
    """Each output of the project with a version that stands, oldest output first."""
    result = []
    for output in Output.objects.filter(project=project).order_by("created_at", "pk").prefetch_related("versions"):
        versions = sorted(output.versions.all(), key=lambda v: v.number, reverse=True)
        standing = next((v for v in versions if v.status not in NOT_STANDING), None)
        refusals = sum(1 for v in versions if v.status == OutputVersion.Status.REFUSED and "Article 22" in v.refusal)
        if standing is not None:
            result.append(OutputEvidence(output, standing, refusals))
    return result


def project_evidence(project: Project) -> ProjectEvidence:
    sources = [source_evidence(s) for s in data.data_source_list(project=project)]
    return ProjectEvidence(project, sources, output_evidence(project))
