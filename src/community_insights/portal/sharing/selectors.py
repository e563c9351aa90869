"""Reads of the sharing area: what the public sees, what stops a version being published, the figures.

Public reads return only what is published; team reads go through
``projects.membership`` (404 for anyone outside the project).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from community_insights.portal.outputs.models import Output, OutputVersion
from community_insights.portal.outputs.services import approved_file
from community_insights.portal.people.models import Organisation
from community_insights.portal.people.roles import role_definitions
from community_insights.portal.programme.current import current_programme_id
from community_insights.portal.projects import membership
from community_insights.portal.projects.models import Project, ProjectRole
from community_insights.portal.sharing import permissions
from community_insights.portal.sharing.models import (
    BlogPost,
    InterestRegistration,
    Plenary,
    PublishedInsight,
)
from community_insights.safety import chart_figures
from community_insights.safety.disclosure import PublishedCell, figure_text, protect_figures

#: The formats a published insight offers, in the order the page lists them.
DOWNLOAD_FORMATS = ("csv", "xlsx", "pdf", "png", "svg")


# --------------------------------------------------------------------------- team pages


def project_get_for_user(*, user: Any, slug: str) -> Project:
    """The project, if the user may see its sharing page (404 otherwise: outsiders learn nothing)."""
    return membership.project_get_for_user(user=user, slug=slug, rule=permissions.can_view_sharing)


def publishable_versions(*, project: Project) -> list[OutputVersion]:
    """The latest approved version of each of the project's outputs: what may be offered for publishing."""
    latest: dict[int, OutputVersion] = {}
    approved = OutputVersion.objects.filter(output__project=project, status=OutputVersion.Status.APPROVED)
    for version in approved.select_related("output").order_by("output_id", "-number"):
        latest.setdefault(version.output_id, version)
    return sorted(latest.values(), key=lambda v: v.title)


def version_get(*, project: Project, version_id: int) -> OutputVersion:
    version = OutputVersion.objects.select_related("output__project").filter(pk=version_id).first()
    if version is None or version.output.project_id != project.pk:
        raise Http404
    return version


def final_checks_passed(version: OutputVersion) -> bool:
    """Whether Phase 3's final checks (Part 2, Step 3) passed for this version: the solutions area decides."""
    from community_insights.portal.solutions import selectors as solutions_selectors

    return bool(solutions_selectors.final_checks_passed(version))


def publish_problems(version: OutputVersion) -> list[str]:
    """What stops ``version`` being published, one plain sentence each (none: it may be published)."""
    from community_insights.portal.governance.selectors import project_may_publish

    if version.output.kind == Output.Kind.PERSON_LEVEL:
        return ["A list of people is shared only with the organisations its agreements name, never published."]
    problems = []
    if version.status != OutputVersion.Status.APPROVED:
        problems.append("Only a version that information rights approved can be published.")
    problems.extend(project_may_publish(version.output.project).missing)
    if version.status == OutputVersion.Status.APPROVED and not final_checks_passed(version):
        problems.append("The final checks of this version have not all passed.")
    return problems


def overview_problems(project: Project) -> list[str]:
    """What stops an overview being published: the governance gate (an overview needs no data, but the DPIA holds)."""
    from community_insights.portal.governance.selectors import project_may_publish

    return list(project_may_publish(project).missing)


def team_of(project: Project) -> list[dict[str, str]]:
    """The team as the public sees it: each organisation and the guide's roles its people held (no names)."""
    names = {k: r.name for k, r in role_definitions().items()}
    by_org: dict[str, set[str]] = {}
    for role in ProjectRole.objects.filter(project=project).select_related("user__organisation"):
        org = role.user.organisation.name if role.user.organisation else "Independent"
        by_org.setdefault(org, set()).add(names.get(role.role, role.role))
    return [{"organisation": org, "roles": ", ".join(sorted(roles))} for org, roles in sorted(by_org.items())]


def data_sources_of(version: OutputVersion | None, project: Project) -> str:
    """The data sources, named with their owners, for the form's first draft of "Method and data sources"."""
    sources = project.data_sources.select_related("owner_organisation").filter(datasets__isnull=False).distinct()
    if version is not None and version.output.safe_copy_id:
        sources = sources.filter(datasets__safe_copies__outputs=version.output).distinct()
    return "\n".join(f"{s.name} ({s.owner_organisation.name})" for s in sources)


def method_of(version: OutputVersion) -> str:
    """A first draft of the method from the version's settings (column names only, never values)."""
    settings = version.build_settings or {}
    kind = dict(Output.Kind.choices).get(version.output.kind, "output").lower()
    if settings.get("area"):
        grouping = f"by {settings['area']}"
    elif settings.get("by"):
        grouping = "by " + " and ".join(settings["by"])
    else:
        grouping = "from the project's approved outputs"
    return (
        f"A {kind} of {settings.get('statistic', 'count')} {grouping}, made from a safe copy of the data that "
        "information rights approved. Every figure went through disclosure control: groups of fewer than ten "
        "people are hidden, and nothing can be worked out from the totals."
    )


def project_insights(*, project: Project) -> QuerySet[PublishedInsight]:
    return PublishedInsight.objects.filter(project=project).select_related("version")


def blog_posts(*, project: Project) -> QuerySet[BlogPost]:
    return BlogPost.objects.filter(project=project).prefetch_related("authors__user__organisation")


def blog_post_get_for_user(*, user: Any, post_id: int) -> BlogPost:
    post = (
        BlogPost.objects.select_related("project")
        .filter(pk=post_id, project__programme_id=current_programme_id())
        .first()
    )
    if post is None or not permissions.can_view_sharing(user, post.project):
        raise Http404
    return post


def plenaries(*, project: Project) -> QuerySet[Plenary]:
    return Plenary.objects.filter(project=project).prefetch_related("invitations")


def plenary_get_for_user(*, user: Any, plenary_id: int) -> Plenary:
    plenary = (
        Plenary.objects.select_related("project")
        .filter(pk=plenary_id, project__programme_id=current_programme_id())
        .first()
    )
    if plenary is None or not permissions.can_view_sharing(user, plenary.project):
        raise Http404
    return plenary


def registrations(*, project: Project) -> QuerySet[InterestRegistration]:
    return InterestRegistration.objects.filter(project=project).select_related("plenary")


def core_team_authors(*, project: Project, exclude: Any = None) -> QuerySet[Any]:
    """Core-team members of the project who may co-write its blog post (the writer left out)."""
    from community_insights.portal.people.models import User

    core = [k for k, r in role_definitions().items() if r.team == "core"]
    people = User.objects.filter(project_roles__project=project, project_roles__role__in=core, is_active=True)
    if exclude is not None and getattr(exclude, "pk", None) is not None:
        people = people.exclude(pk=exclude.pk)
    return people.select_related("organisation").distinct().order_by("full_name")


# --------------------------------------------------------------------------- public pages


def published_insights() -> QuerySet[PublishedInsight]:
    """The current programme's insights on show to everyone, newest first (withdrawn ones keep only their notice).

    One programme's landing page and feed list its own; the insight's own page
    stays public whichever programme a visitor is in, because it is published.
    """
    return PublishedInsight.objects.filter(
        status=PublishedInsight.Status.PUBLISHED, project__programme_id=current_programme_id()
    ).select_related("project", "version__output")


def insight_get_public(*, slug: str) -> PublishedInsight:
    """A published or withdrawn insight by its address (a withdrawn one shows its notice)."""
    insight = PublishedInsight.objects.select_related("project__programme", "version__output").filter(slug=slug).first()
    if insight is None:
        raise Http404
    return insight


def public_plenary_get(*, plenary_id: int) -> Plenary:
    """A plenary is public once its project has published something (the findings it shares)."""
    plenary = Plenary.objects.select_related("project").filter(pk=plenary_id).first()
    if plenary is None or not has_public_face(plenary.project):
        raise Http404
    return plenary


def has_public_face(project: Project) -> bool:
    """Published at least once (even if withdrawn since): its plenary and interest form may be public."""
    return PublishedInsight.objects.filter(project=project).exists()


def public_project_get(*, slug: str) -> Project:
    project = Project.objects.filter(slug=slug).first()
    if project is None or not has_public_face(project):
        raise Http404
    return project


def next_plenary(project: Project) -> Plenary | None:
    return Plenary.objects.filter(project=project, ends_at__gte=timezone.now()).order_by("starts_at").first()


def plenaries_public(project: Project) -> QuerySet[Plenary]:
    return Plenary.objects.filter(project=project).order_by("-starts_at")


@dataclass(frozen=True)
class DataTable:
    """The figures of a published output as an HTML table: its header and rows (marks as published)."""

    header: list[str]
    rows: list[list[str]]


def data_table(csv_text: str) -> DataTable | None:
    """The protected CSV as rows, up to the first empty line (the notes that follow are not figures)."""
    rows: list[list[str]] = []
    for row in csv.reader(io.StringIO(csv_text)):
        if not any(cell.strip() for cell in row):
            if rows:
                break
            continue
        rows.append([cell.lstrip("'") for cell in row])
    if not rows:
        return None
    return DataTable(rows[0], rows[1:])


def insight_figure(*, insight: PublishedInsight) -> tuple[str, DataTable | None]:
    """The published picture (SVG, for a chart or map) and the data table, read from the approved files."""
    version = insight.version
    if version is None or not insight.is_published:
        return "", None
    formats = set(version.files.values_list("format", flat=True))
    svg = approved_file(version=version, fmt="svg")[0].decode("utf-8") if "svg" in formats else ""
    table = None
    if "csv" in formats:
        table = data_table(approved_file(version=version, fmt="csv")[0].decode("utf-8"))
    return svg, table


# --------------------------------------------------------------------------- the programme's figures


@dataclass(frozen=True)
class Figure:
    label: str
    cell: PublishedCell

    @property
    def text(self) -> str:
        return figure_text(self.cell)

    @property
    def value(self) -> int | None:
        return None if self.cell.value is None else int(self.cell.value)


def finished_projects() -> int:
    """Projects of the programme closed at the end of Phase 4 (``projects.services.project_close``)."""
    return Project.objects.filter(closed_at__isnull=False, programme_id=current_programme_id()).count()


PHASE_FOUR = permissions.PHASE


def programme_figures() -> list[Figure]:
    """The programme's figures for the public, each through the engine's disclosure control.

    A count of 1 to threshold−1 shows as ``[c]``: "two organisations registered interest"
    is a small group, and with the project named it can point at them.
    """
    from community_insights.portal.programme.selectors import programme_get

    here = current_programme_id()
    involved = Organisation.objects.filter(members__project_roles__project__programme_id=here).distinct().count()
    counts = {
        "Projects finished": finished_projects(),
        "Insights published": published_insights().count(),
        "Organisations involved": involved,
        "Registrations of interest": InterestRegistration.objects.filter(project__programme_id=here).count(),
    }
    cells = protect_figures(counts, threshold=programme_get().disclosure_threshold)
    return [Figure(label, cells[label]) for label in counts]


def figures_chart_svg(figures: list[Figure]) -> str:
    """The figures as a small bar chart (Vega-Lite, drawn offline by the engine), hidden ones as labelled gaps.

    Drawing takes a moment, and the figures change rarely, so each set of published
    figures is drawn once per process.
    """
    return _figures_svg(tuple((f.label, f.cell.value, f.cell.mark) for f in figures))


@lru_cache(maxsize=8)
def _figures_svg(published: tuple[tuple[str, int | float | None, str | None], ...]) -> str:
    cells = {label: PublishedCell({"figure": "counted"}, value, mark) for label, value, mark in published}
    return chart_figures(cells, title="The programme so far").svg


# --------------------------------------------------------------------------- the UK-wide hub


@dataclass(frozen=True)
class HubFilters:
    """What a hub visitor asked for: words to search, a topic, an area, and a range of publication dates."""

    words: str = ""
    topic: str = ""
    area: str = ""
    published_from: date | None = None
    published_to: date | None = None


def hub_insights(filters: HubFilters | None = None) -> QuerySet[PublishedInsight]:
    """Every programme's published insights, newest first, narrowed by the visitor's filters.

    The hub reads across programmes, so it must never lean on the current
    programme: only the published status keeps private work out. A withdrawn
    insight keeps its notice at its own address but leaves the hub, as it
    leaves its programme's landing page.
    """
    filters = filters or HubFilters()
    insights = PublishedInsight.objects.filter(status=PublishedInsight.Status.PUBLISHED)
    for word in filters.words.split():
        insights = insights.filter(
            Q(title__icontains=word)
            | Q(findings__icontains=word)
            | Q(question__icontains=word)
            | Q(areas__icontains=word)
            | Q(project__title__icontains=word)
            | Q(project__programme__name__icontains=word)
        )
    if filters.topic:
        insights = insights.filter(topic=filters.topic)
    if filters.area.strip():
        insights = insights.filter(areas__icontains=filters.area.strip())
    if filters.published_from:
        insights = insights.filter(published_at__date__gte=filters.published_from)
    if filters.published_to:
        insights = insights.filter(published_at__date__lte=filters.published_to)
    return insights.select_related("project__programme").order_by("-published_at", "-pk")
