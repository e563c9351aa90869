"""Reads of the outputs area: what a user may see, and the choices a form offers."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from community_insights.portal.datasets import engine
from community_insights.portal.datasets.models import RemedyPlanVersion, SafeCopy
from community_insights.portal.outputs import permissions
from community_insights.portal.outputs.models import BoundaryFile, Output, OutputVersion
from community_insights.portal.projects import membership
from community_insights.portal.projects.models import Project


def project_get_for_user(*, user: Any, slug: str) -> Project:
    """The project, if the user is on its team (404 otherwise: outsiders learn nothing)."""
    return membership.project_get_for_user(user=user, slug=slug, rule=permissions.can_view_outputs)


def output_list(*, project: Project) -> QuerySet[Output]:
    return Output.objects.filter(project=project).prefetch_related("versions")


def output_get_for_user(*, user: Any, output_id: int) -> Output:
    output = Output.objects.select_related("project", "safe_copy__dataset").filter(pk=output_id).first()
    if output is None or not permissions.can_view_outputs(user, output.project):
        raise Http404
    return output


def version_get_for_user(*, user: Any, version_id: int) -> OutputVersion:
    version = OutputVersion.objects.select_related("output__project").filter(pk=version_id).first()
    if version is None or not permissions.can_view_outputs(user, version.output.project):
        raise Http404
    return version


def approved_safe_copies(*, project: Project) -> QuerySet[SafeCopy]:
    """Safe copies of the project's data that information rights approved (outputs start here)."""
    return SafeCopy.objects.filter(
        dataset__project=project, deleted_at__isnull=True, plan__status=RemedyPlanVersion.Status.APPROVED
    ).select_related("dataset", "plan")


def safe_copy_columns(copy: SafeCopy) -> list[str]:
    """The columns the safe copy kept (from its approved plan: names only, never values)."""
    plan = engine.plan_to_dict(engine.load_plan_text(copy.plan.plan_yaml))
    return [c["column"] for c in plan.get("columns", []) if c.get("action") != "drop"]


def latest_version(*, output: Output) -> OutputVersion | None:
    return output.versions.order_by("-number").first()


#: A dashboard page is not made of other pages, nor of lists of people (those go only to named organisations).
NOT_ON_A_PAGE = (Output.Kind.DASHBOARD, Output.Kind.PERSON_LEVEL)


def boundary_files(*, project: Project) -> QuerySet[BoundaryFile]:
    """The project's own boundary files, for its maps (never the file's contents)."""
    return BoundaryFile.objects.filter(project=project).defer("sealed")


def approved_outputs(*, project: Project) -> list[tuple[int, str]]:
    """(id, title) of the project's outputs with an approved version: what a dashboard page may show."""
    approved = OutputVersion.objects.filter(output__project=project, status=OutputVersion.Status.APPROVED).exclude(
        output__kind__in=NOT_ON_A_PAGE
    )
    return sorted({(v.output_id, v.output.title) for v in approved.select_related("output")}, key=lambda p: p[1])
