"""Reads for projects: scoped look-ups, the team summary and the phase checklists."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from community_insights.portal.people.roles import RoleDefinition, role_definitions
from community_insights.portal.programme.current import current_programme_id
from community_insights.portal.projects import phases as phase_data
from community_insights.portal.projects.membership import project_get_for_user as project_get_for_user
from community_insights.portal.projects.membership import project_list_for_user as project_list_for_user
from community_insights.portal.projects.models import ChecklistTick, Project, ProjectRole


def project_role_get(*, project: Project, role_id: int) -> ProjectRole:
    role = ProjectRole.objects.select_related("user", "user__organisation").filter(project=project, pk=role_id).first()
    if role is None:
        raise Http404("No such role on this project.")
    return role


def public_projects() -> QuerySet[Project]:
    """Projects the programme has chosen to show on its public landing page."""
    return (
        Project.objects.filter(programme_id=current_programme_id(), is_public=True)
        .select_related("lead_organisation")
        .order_by("title")
    )


# --- Team -------------------------------------------------------------------------------------------


@dataclass
class RoleRow:
    """One role of the guide on one project: who holds it and how the planned days compare."""

    definition: RoleDefinition
    assignments: list[ProjectRole] = field(default_factory=list)
    total_days: Decimal = Decimal(0)
    warnings: list[str] = field(default_factory=list)
    out_of_range: bool = False

    @property
    def range_label(self) -> str:
        days = self.definition.days
        return f"{days[0]} to {days[1]} days" if days else "As needed"


@dataclass
class TeamSummary:
    core: list[RoleRow]
    complementary: list[RoleRow]
    warnings: list[str]

    @property
    def rows(self) -> list[RoleRow]:
        return self.core + self.complementary


def _days(value: Decimal | None) -> str:
    if value is None:
        return "0"
    return f"{value.normalize():f}"


def project_team(*, project: Project) -> TeamSummary:
    """Each role's people and planned days against the guide's range, with warnings.

    The guide gives a range of days per project for each core-team role (for
    example a facilitator 18–25 days). Each person's planned days are checked
    against it; a missing essential role (facilitator, data analyst) is a warning.
    """
    assignments = list(
        ProjectRole.objects.filter(project=project)
        .select_related("user", "user__organisation")
        .order_by("user__full_name")
    )
    rows: dict[str, RoleRow] = {key: RoleRow(definition=d) for key, d in role_definitions().items()}
    warnings: list[str] = []
    for a in assignments:
        row = rows.get(a.role)
        if row is None:  # a role retired from the data file: still shown, never lost
            continue
        row.assignments.append(a)
        row.total_days += a.planned_days or Decimal(0)
        days = row.definition.days
        if days is None:
            continue
        name = a.user.get_full_name()
        if a.planned_days is None:
            row.warnings.append(f"No days are planned for {name} as {row.definition.name.lower()}.")
        elif not days[0] <= a.planned_days <= days[1]:
            row.out_of_range = True
            row.warnings.append(
                f"{name} has {_days(a.planned_days)} days planned as {row.definition.name.lower()}; "
                f"the guide plans {days[0]} to {days[1]} days per project."
            )
    for row in rows.values():
        if row.definition.essential and not row.assignments:
            warnings.append(f"This project has no {row.definition.name.lower()}, an essential role.")
        warnings.extend(row.warnings)
    core = [r for r in rows.values() if r.definition.team == "core"]
    complementary = [r for r in rows.values() if r.definition.team == "complementary"]
    return TeamSummary(core=core, complementary=complementary, warnings=warnings)


# --- Checklists -------------------------------------------------------------------------------------


@dataclass
class ChecklistRow:
    item: phase_data.ChecklistItem
    tick: ChecklistTick | None

    @property
    def done(self) -> bool:
        return self.tick is not None


@dataclass
class PartChecklist:
    part: phase_data.Part
    rows: list[ChecklistRow]


@dataclass
class PhaseChecklist:
    phase: phase_data.Phase
    parts: list[PartChecklist]
    status: str  # "done", "current", "unfinished", "started" or "not_started": see phase_status

    @property
    def done_count(self) -> int:
        return sum(1 for p in self.parts for r in p.rows if r.done)

    @property
    def item_count(self) -> int:
        return sum(len(p.rows) for p in self.parts)

    @property
    def is_complete(self) -> bool:
        return self.done_count == self.item_count


def checklist_ticks(*, project: Project) -> dict[str, ChecklistTick]:
    return {t.item_key: t for t in ChecklistTick.objects.filter(project=project).select_related("ticked_by")}


def project_checklists(*, project: Project) -> list[PhaseChecklist]:
    """Every phase's "What we have achieved" items with who ticked each and when."""
    ticks = checklist_ticks(project=project)
    result = []
    for ph in phase_data.phases():
        parts = [PartChecklist(part, [ChecklistRow(i, ticks.get(i.key)) for i in part.achieved]) for part in ph.parts]
        checklist = PhaseChecklist(phase=ph, parts=parts, status="")
        checklist.status = phase_status(checklist, project.phase)
        result.append(checklist)
    return result


def phase_status(checklist: PhaseChecklist, current_phase: int) -> str:
    """A phase's status from its checklist, not from where the project stands.

    Phase 1 read "Finished" with 0 of 5 items ticked because any phase before the
    current one counted as finished. A phase is finished only when every item of
    its checklist is ticked; a phase the project has moved past with items left
    is "unfinished"; otherwise it is the current phase, started (some items
    ticked ahead of time) or not started.
    """
    if checklist.item_count and checklist.is_complete:
        return "done"
    if checklist.phase.number == current_phase:
        return "current"
    if checklist.phase.number < current_phase:
        return "unfinished"
    return "started" if checklist.done_count else "not_started"


def unticked_items(*, project: Project, phase: int) -> list[phase_data.ChecklistItem]:
    ticked = set(ChecklistTick.objects.filter(project=project).values_list("item_key", flat=True))
    return [i for i in phase_data.phase(phase).items if i.key not in ticked]


@dataclass
class FinishState:
    """Where a project stands on finishing: Phase 4's checklist, and whether it is closed."""

    checklist: PhaseChecklist
    in_last_phase: bool
    closed_at: Any
    closed_by: Any

    @property
    def may_close(self) -> bool:
        return self.in_last_phase and self.closed_at is None and self.checklist.is_complete

    @property
    def left(self) -> int:
        return self.checklist.item_count - self.checklist.done_count


def finish_state(*, project: Project) -> FinishState:
    """The last phase's checklist and the project's closed state, for its overview and its close page."""
    last = phase_data.phases()[-1].number
    checklist = next(c for c in project_checklists(project=project) if c.phase.number == last)
    return FinishState(
        checklist=checklist,
        in_last_phase=project.phase == last,
        closed_at=project.closed_at,
        closed_by=project.closed_by if project.closed_by_id else None,
    )


def last_loop_back(*, project: Project) -> Any:
    """The latest time the project went back a phase (its audit entry holds the reason), if it has."""
    from community_insights.portal.core.models import AuditEntry

    return (
        AuditEntry.objects.filter(
            project_id=project.pk, action="projects.project_advance_phase", changes__loop_back=True
        )
        .select_related("actor")
        .order_by("-at", "-pk")
        .first()
    )
