"""Reads of the selection area: candidates, people and skills, the evaluation summary and the ranking."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import partial
from statistics import mean
from typing import Any

from django.apps import apps
from django.db.models import Q, QuerySet

from community_insights.portal.core.wording import lowerfirst
from community_insights.portal.governance.selectors import agreement_summary_for_source
from community_insights.portal.ideas.models import Idea
from community_insights.portal.ideas.selectors import DataNeedInfo, data_needs_for_project
from community_insights.portal.people.roles import role_definitions
from community_insights.portal.programme.current import current_programme_id
from community_insights.portal.projects import membership
from community_insights.portal.projects.models import Project
from community_insights.portal.selection import evidence, guide, permissions
from community_insights.portal.selection.models import Decision, Evaluation, NextStepTick, PanelMember, Score

CANDIDATE_STATUSES = (Idea.Status.READY_FOR_EVALUATION, Idea.Status.SELECTED)


def candidate_projects() -> QuerySet[Project]:
    """Projects whose idea is ready for evaluation, or that the core team has decided on."""
    return (
        Project.objects.filter(programme_id=current_programme_id())
        .filter(Q(idea__status__in=CANDIDATE_STATUSES) | Q(selection_decision__isnull=False))
        .select_related("idea", "lead_organisation")
        .distinct()
        .order_by("title")
    )


#: A project the person may see in this area: its team, the facilitator and the panel (404 otherwise).
project_get_for_user = partial(membership.project_get_for_user, rule=permissions.can_view_evaluation)


def is_candidate(project: Project) -> bool:
    return candidate_projects().filter(pk=project.pk).exists()


def panel_members() -> list[Any]:
    """Everyone who scores: people added by the facilitator and the advisory panel."""
    from community_insights.portal.people.models import User

    return list(
        User.objects.filter(is_active=True)
        .filter(
            Q(selection_panels__programme_id=current_programme_id())
            | Q(project_roles__role="advisory_panel", project_roles__project__programme_id=current_programme_id())
        )
        .distinct()
        .order_by("full_name", "email")
    )


def panel_added() -> QuerySet[PanelMember]:
    return PanelMember.objects.filter(programme_id=current_programme_id()).select_related("user", "user__organisation")


# --------------------------------------------------------------------------- people and skills


@dataclass
class SkillRow:
    skill: guide.Skill
    needed_for: list[guide.DataType]
    covered_by: list[str] = field(default_factory=list)
    cover_ids: list[tuple[int, str]] = field(default_factory=list)

    @property
    def is_gap(self) -> bool:
        return not self.covered_by


@dataclass
class SkillsReport:
    data_types: list[guide.DataType]
    chosen_explicitly: bool
    rows: list[SkillRow]
    team: list[tuple[str, str]]  # (person, role name)

    @property
    def gaps(self) -> list[SkillRow]:
        return [r for r in self.rows if r.is_gap]


def project_data_type_keys(project: Project) -> tuple[list[str], bool]:
    """The facilitator's choice of data types, else those the scoping notes suggest."""
    chosen = list(project.selection_data_types.values_list("data_type_key", flat=True))
    if chosen:
        return chosen, True
    suggested: list[str] = []
    for need in data_needs_for_project(project_id=project.pk):
        for key in guide.suggested_data_types().get(need.source_category, ()):
            if key not in suggested:
                suggested.append(key)
    return suggested, False


def skills_for_project(project: Project) -> SkillsReport:
    """The skills the guide's table says the project's data needs, against who is on the team."""
    keys, explicit = project_data_type_keys(project)
    types = [d for d in guide.data_types() if d.key in keys]  # in the guide's order
    roles = role_definitions()
    team_roles = list(project.roles.select_related("user").order_by("role", "user__full_name"))
    covers = list(project.skill_covers.all())
    rows: list[SkillRow] = []
    for s in guide.skills():
        needed_for = [d for d in types if s.key in d.needs]
        if not needed_for:
            continue
        row = SkillRow(skill=s, needed_for=needed_for)
        for pr in team_roles:
            if pr.role in s.covered_by:
                row.covered_by.append(f"{pr.user.get_full_name()} ({lowerfirst(roles[pr.role].name)})")
        for c in covers:
            if c.skill_key == s.key:
                row.covered_by.append(c.name + (f" – {c.note}" if c.note else ""))
                row.cover_ids.append((c.pk, c.name))
        rows.append(row)
    team = [(pr.user.get_full_name(), roles[pr.role].name if pr.role in roles else pr.role) for pr in team_roles]
    return SkillsReport(data_types=types, chosen_explicitly=explicit, rows=rows, team=team)


# --------------------------------------------------------------------------- evaluation


@dataclass
class InventoryRow:
    name: str
    category: str
    agreement: str
    datasets: list[str]


def inventory_for_project(project: Project) -> list[InventoryRow] | None:
    """The datasets area's inventory with each file's check status (None when that area is absent)."""
    try:
        data_source = apps.get_model("datasets", "DataSource")
    except LookupError:
        return None
    rows = []
    for source in data_source.objects.filter(project=project).prefetch_related("datasets"):
        files = []
        for ds in source.datasets.all():
            status = ds.get_status_display() if hasattr(ds, "get_status_display") else ""
            files.append(f"{ds.title}: {status}" if status else ds.title)
        rows.append(
            InventoryRow(
                name=source.name,
                category=source.get_category_display() if hasattr(source, "get_category_display") else "",
                agreement=agreement_summary_for_source(source).label,
                datasets=files,
            )
        )
    return rows


@dataclass
class EvaluationSummary:
    project: Project
    idea: Idea | None
    evaluation: Evaluation | None
    data_needs: list[DataNeedInfo]
    inventory: list[InventoryRow] | None
    skills: SkillsReport
    decision: Decision | None
    scoping_notes: list[evidence.ScopingNote] = field(default_factory=list)
    data_safety: list[evidence.FileSafety] | None = None


def evaluation_summary(project: Project) -> EvaluationSummary:
    """Everything the facilitator shares about one candidate: question, data, safety, skills, risks."""
    idea = Idea.objects.filter(project=project).select_related("proposer", "organisation").first()
    return EvaluationSummary(
        project=project,
        idea=idea,
        evaluation=Evaluation.objects.filter(project=project).first(),
        data_needs=data_needs_for_project(project_id=project.pk),
        inventory=inventory_for_project(project),
        skills=skills_for_project(project),
        decision=Decision.objects.filter(project=project).first(),
        scoping_notes=evidence.scoping_notes(idea),
        data_safety=evidence.data_safety(project),
    )


# --------------------------------------------------------------------------- scores and ranking


def scores_by(*, project: Project, user: Any) -> dict[str, Score]:
    return {s.criterion_key: s for s in Score.objects.filter(project=project, panel_member=user)}


@dataclass
class CriterionResult:
    criterion: guide.Criterion
    average: float | None
    comments: list[tuple[str, int, str]]  # (panel member, score, comment)


@dataclass
class RankingRow:
    project: Project
    total: float | None
    scorers: int
    criteria: list[CriterionResult]
    decision: Decision | None
    rank: int | None = None


def ranking() -> list[RankingRow]:
    """Candidates by weighted total of the panel's average score per criterion (unscored last).

    Each panel member counts once per criterion, so a project scored by fewer
    people is not penalised; the number of scorers is shown alongside.
    """
    crits = guide.criteria()
    rows: list[RankingRow] = []
    for project in candidate_projects():
        scores = list(Score.objects.filter(project=project).select_related("panel_member"))
        results = []
        for c in crits:
            mine = [s for s in scores if s.criterion_key == c.key]
            results.append(
                CriterionResult(
                    criterion=c,
                    average=round(mean(s.score for s in mine), 2) if mine else None,
                    comments=[(s.panel_member.get_full_name(), s.score, s.comment) for s in mine if s.comment],
                )
            )
        averaged = [(r.criterion.weight, r.average) for r in results if r.average is not None]
        total = round(sum(w * a for w, a in averaged), 2) if averaged else None
        rows.append(
            RankingRow(
                project=project,
                total=total,
                scorers=len({s.panel_member_id for s in scores}),
                criteria=results,
                decision=Decision.objects.filter(project=project).first(),
            )
        )
    rows.sort(key=lambda r: (r.total is None, -(r.total or 0), r.project.title))
    for i, row in enumerate(rows, start=1):
        row.rank = i if row.total is not None else None
    return rows


def max_total() -> float:
    return sum(c.weight for c in guide.criteria()) * guide.scale()[1]


def next_steps_for_project(project: Project) -> list[dict[str, Any]]:
    ticks = {t.item_key: t for t in NextStepTick.objects.filter(project=project).select_related("ticked_by")}
    return [
        {"checklist": c, "items": [{"item": i, "tick": ticks.get(i.key)} for i in c.items]} for c in guide.checklists()
    ]
