"""Reads of the datasets area, always scoped to what the person may see (404 otherwise).

Someone outside a project gets 404 for its data sources and datasets, so the
portal never confirms that a dataset exists to someone who may not know of it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.db.models import Q, QuerySet
from django.http import Http404

from community_insights.portal.core.models import AuditEntry
from community_insights.portal.datasets import permissions
from community_insights.portal.datasets.models import (
    CheckResult,
    Dataset,
    DatasetJob,
    DataSource,
    KeySharingAgreement,
    RemedyPlanVersion,
    SafeCopy,
)
from community_insights.portal.people.selectors import organisations_here
from community_insights.portal.programme.current import current_programme_id
from community_insights.portal.programme.models import Programme
from community_insights.portal.projects.models import Project


def data_source_list(*, project: Project) -> QuerySet[DataSource]:
    return project.data_sources.select_related("owner_organisation").order_by("category", "name")


def data_source_get_for_user(*, user: Any, source_id: int) -> DataSource:
    source = DataSource.objects.select_related("project", "owner_organisation").filter(pk=source_id).first()
    if source is None or not permissions.can_view_datasets(user, source):
        raise Http404("No such data source.")
    return source


def dataset_list(*, source: DataSource) -> QuerySet[Dataset]:
    return source.datasets.order_by("-created_at")


def dataset_get_for_user(*, user: Any, dataset_id: int) -> Dataset:
    dataset = (
        Dataset.objects.select_related("project", "source", "source__owner_organisation", "uploaded_by")
        .filter(pk=dataset_id)
        .first()
    )
    if dataset is None or not permissions.can_view_datasets(user, dataset):
        raise Http404("No such dataset.")
    return dataset


def latest_job(*, dataset: Dataset) -> DatasetJob | None:
    return dataset.jobs.order_by("-created_at", "-pk").first()


def job_get_for_user(*, user: Any, job_id: int) -> DatasetJob:
    job = DatasetJob.objects.select_related("dataset", "dataset__project").filter(pk=job_id).first()
    if job is None or not permissions.can_view_datasets(user, job.dataset):
        raise Http404("No such job.")
    return job


def latest_check(*, dataset: Dataset) -> CheckResult | None:
    return dataset.check_results.order_by("-created_at", "-pk").first()


def plan_list(*, dataset: Dataset) -> QuerySet[RemedyPlanVersion]:
    return dataset.plans.select_related("created_by").order_by("-number")


def current_plan(*, dataset: Dataset) -> RemedyPlanVersion | None:
    return dataset.plans.exclude(status=RemedyPlanVersion.Status.SUPERSEDED).order_by("-number").first()


def plan_get_for_user(*, user: Any, dataset: Dataset, number: int) -> RemedyPlanVersion:
    plan = dataset.plans.select_related("created_by").filter(number=number).first()
    if plan is None:
        raise Http404("No such plan version.")
    return plan


def safe_copy_get_for_user(*, user: Any, copy_id: int) -> SafeCopy:
    copy = SafeCopy.objects.select_related("dataset", "dataset__project", "plan").filter(pk=copy_id).first()
    if copy is None or not permissions.can_view_datasets(user, copy.dataset):
        raise Http404("No such safe copy.")
    return copy


def approved_safe_copy(*, dataset: Dataset) -> SafeCopy | None:
    return (
        SafeCopy.objects.filter(
            dataset=dataset, plan__status=RemedyPlanVersion.Status.APPROVED, deleted_at__isnull=True
        )
        .order_by("-created_at")
        .first()
    )


def audit_entries(*, project: Project) -> QuerySet[AuditEntry]:
    """The project's dataset audit trail, newest first."""
    return AuditEntry.objects.filter(project_id=project.pk, action__startswith="datasets.").order_by("-at", "-id")


def dataset_audit_entries(*, dataset: Dataset) -> QuerySet[AuditEntry]:
    return AuditEntry.objects.filter(
        project_id=dataset.project_id, target_type="datasets.dataset", target_id=str(dataset.pk)
    ).order_by("-at", "-id")


# -- what scoping said we might need ---------------------------------------------------------

# Fields of the "add a data source" form that a link may fill in (the form checks them again).
PREFILL_FIELDS = ("name", "category", "description", "owner_organisation")


@dataclass(frozen=True)
class ScopedDataNeed:
    """A source the scoping session noted, as the inventory shows it."""

    source_category_name: str
    description: str
    held_by: str
    catalogue_url: str
    in_inventory: bool
    prefill: dict[str, str]

    @property
    def prefill_query(self) -> str:
        return urlencode(self.prefill)


def scoped_data_needs(*, project: Project, sources: list[DataSource]) -> list[ScopedDataNeed]:
    """The scoping session's "data we might need", each with what to fill in when adding it.

    A need counts as in the inventory once a source of the same name exists, so the team
    sees at a glance what is still to be found. The organisation is filled in only when
    "held by" names one the portal knows; nothing is guessed.
    """
    from community_insights.portal.ideas.selectors import data_needs_for_project

    names = {source.name.strip().casefold() for source in sources}
    organisations = {o.name.casefold(): o.pk for o in organisations_here().only("pk", "name")}
    result = []
    for need in data_needs_for_project(project_id=project.pk):
        prefill = {"name": need.description[:200]}
        if need.inventory_category in DataSource.Category.values:
            prefill["category"] = need.inventory_category
        details = [f"Noted in scoping under “{need.source_category_name}”."]
        if need.held_by:
            details.append(f"Held by {need.held_by}.")
        if need.catalogue_url:
            details.append(f"Public catalogue entry: {need.catalogue_url}")
        prefill["description"] = " ".join(details)
        owner = organisations.get(need.held_by.strip().casefold()) if need.held_by else None
        if owner is not None:
            prefill["owner_organisation"] = str(owner)
        result.append(
            ScopedDataNeed(
                source_category_name=need.source_category_name,
                description=need.description,
                held_by=need.held_by,
                catalogue_url=need.catalogue_url,
                in_inventory=need.description.strip().casefold()[:200] in names,
                prefill=prefill,
            )
        )
    return result


def check_columns(*, dataset: Dataset) -> list[str]:
    """The column names of the dataset's latest check, in file order (none before the first check finishes)."""
    check = latest_check(dataset=dataset)
    return [str(c.get("name")) for c in (check.report.get("columns", []) if check else [])]


# -- key sharing agreements --------------------------------------------------------------------


def key_agreement_list() -> QuerySet[KeySharingAgreement]:
    """The current programme's key sharing agreements, on either side, newest first."""
    here = current_programme_id()
    return KeySharingAgreement.objects.filter(Q(programme_id=here) | Q(partner_id=here)).select_related(
        "programme", "partner", "proposed_by", "approved_by", "partner_approved_by"
    )


def key_agreement_get(*, agreement_id: int) -> KeySharingAgreement:
    """One of the current programme's agreements; another programme's answers 404 like any record of it."""
    agreement = key_agreement_list().filter(pk=agreement_id).first()
    if agreement is None:
        raise Http404("No such agreement.")
    return agreement


def key_agreement_partners() -> QuerySet[Programme]:
    """The programmes the current one could share its key with: every other programme of the installation."""
    return Programme.objects.exclude(pk=current_programme_id()).order_by("name")
