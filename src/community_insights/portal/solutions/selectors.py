"""Reads of the Phase 3 area: where the project is in the phase, research, and options with their skills."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from statistics import mean
from typing import Any

from django.http import Http404

from community_insights.portal.guide import per_version, read
from community_insights.portal.people.roles import role_definitions
from community_insights.portal.projects import phases as phase_data
from community_insights.portal.projects.models import Project
from community_insights.portal.selection import guide as selection_guide
from community_insights.portal.solutions import final_checks, permissions
from community_insights.portal.solutions.models import (
    ChosenOption,
    FinalCheckAnswer,
    FinalCheckRun,
    OptionScore,
    ResearchPlan,
    ResearchSession,
    SimilarWork,
    SolutionOption,
)

# --------------------------------------------------------------------------- the guide's Step 4 table


@dataclass(frozen=True)
class SolutionKind:
    key: str
    name: str
    needs: tuple[str, ...]


@per_version
def solution_kinds() -> tuple[SolutionKind, ...]:
    """The guide's "If we want to … do we have or can we get …" rows, from the one skills data file."""
    raw = read("skills")["solution_kinds"]
    return tuple(SolutionKind(k["key"], k["name"], tuple(k["needs"])) for k in raw)


def solution_kind_choices() -> list[tuple[str, str]]:
    return [(k.key, k.name) for k in solution_kinds()]


# --------------------------------------------------------------------------- finding things


def option_get(*, project: Project, pk: int) -> SolutionOption:
    option = SolutionOption.objects.filter(project=project, pk=pk).first()
    if option is None:
        raise Http404("No such option.")
    return option


def session_get(*, project: Project, pk: int) -> ResearchSession:
    session = ResearchSession.objects.filter(project=project, pk=pk).first()
    if session is None:
        raise Http404("No such session.")
    return session


def research_plan(project: Project) -> ResearchPlan | None:
    return ResearchPlan.objects.filter(project=project).select_related("research_lead").first()


def research_sessions(project: Project) -> list[ResearchSession]:
    return list(ResearchSession.objects.filter(project=project).prefetch_related("consents").defer("notes_sealed"))


def similar_work(project: Project) -> list[SimilarWork]:
    return list(SimilarWork.objects.filter(project=project))


def chosen_option(project: Project) -> ChosenOption | None:
    return ChosenOption.objects.filter(project=project).select_related("option", "chosen_by").first()


# --------------------------------------------------------------------------- where the project is


@dataclass
class Step:
    name: str
    status: str  # "done", "started", "todo" or "later"
    url_name: str = ""

    @property
    def label(self) -> str:
        return {"done": "Completed", "started": "In progress", "todo": "Not yet started"}.get(
            self.status, "Cannot start yet"
        )


def _status(done: bool, started: bool) -> str:
    return "done" if done else "started" if started else "todo"


def phase_steps(project: Project) -> list[tuple[str, list[Step]]]:
    """Each part of the guide's Phase 3 with its steps, and how far the project has got with each.

    The step names come from the guide's phases file; each status comes from the
    records that show the step was done.
    """
    has_plan = ResearchPlan.objects.filter(project=project).exists()
    sessions = ResearchSession.objects.filter(project=project).exists()
    options = SolutionOption.objects.filter(project=project)
    chosen = ChosenOption.objects.filter(project=project).exists()
    weighed = (
        OptionScore.objects.filter(option__project=project).exists() or options.filter(estimates__isnull=False).exists()
    )
    # Every step of the phase, in the guide's order (Part 1, Steps 1-5; Part 2, Steps 1-3).
    ours = [
        Step("", _status(SimilarWork.objects.filter(project=project).exists(), False), "solutions:similar_work"),
        Step("", _status(has_plan and sessions, has_plan), "solutions:research"),
        Step("", _status(options.exists(), False), "solutions:options"),
        Step("", _status(chosen, weighed), "solutions:options"),
        *_part_two_steps(project),
    ]
    parts = []
    for part in phase_data.phase(permissions.PHASE).parts:
        steps = []
        for name in part.steps:
            step = ours.pop(0) if ours else Step("", "later")
            step.name = name
            steps.append(step)
        parts.append((part.name, steps))
    return parts


def _part_two_steps(project: Project) -> list[Step]:
    """Step 5 of Part 1 (the outputs' safety check and sign-off) and Part 2: testing, safety check, final checks."""
    from community_insights.portal.outputs.models import OutputVersion
    from community_insights.portal.solutions.models import TestingWorkshop, WorkshopFeedback

    versions = OutputVersion.objects.filter(output__project=project)
    feedback = WorkshopFeedback.objects.filter(workshop__project=project)
    different = feedback.filter(used_differently=True)
    return [
        Step("", _status(versions.filter(status="approved").exists(), versions.exists()), "outputs:project_outputs"),
        Step(
            "",
            _status(feedback.exists() and not feedback.filter(closed_at__isnull=True).exists(), feedback.exists()),
            "solutions:testing",
        ),
        Step(
            "",
            _status(
                feedback.exists() and not different.filter(acknowledged_at__isnull=True).exists(),
                TestingWorkshop.objects.filter(project=project).exists(),
            ),
            "solutions:testing",
        ),
        Step(
            "",
            _status(
                not reasons_to_stay_in_phase_three(project),
                FinalCheckRun.objects.filter(version__output__project=project).exists(),
            ),
            "solutions:final_checks",
        ),
    ]


def next_step(parts: list[tuple[str, list[Step]]]) -> Step | None:
    """The first step not completed that the team can work on."""
    for _, steps in parts:
        for step in steps:
            if step.status in ("todo", "started"):
                return step
    return None


# --------------------------------------------------------------------------- options, scores, skills


@dataclass
class OptionRow:
    option: SolutionOption
    average: float | None
    votes: int
    mine: OptionScore | None


def option_rows(project: Project, user: Any) -> list[OptionRow]:
    rows = []
    for option in SolutionOption.objects.filter(project=project).prefetch_related("scores"):
        scores = list(option.scores.all())
        rows.append(
            OptionRow(
                option=option,
                average=round(mean(s.score for s in scores), 1) if scores else None,
                votes=len(scores),
                mine=next((s for s in scores if s.voter_id == user.pk), None),
            )
        )
    return rows


def score_of(*, option: SolutionOption, user: Any) -> OptionScore | None:
    """This person's score for the option, if they have given one."""
    return OptionScore.objects.filter(option=option, voter_id=user.pk).first()


@dataclass
class Holder:
    name: str
    role: str
    days: Decimal | None  # planned on this project, or the guide's top of range when none is planned
    from_guide: bool


@dataclass
class SkillNeed:
    skill: selection_guide.Skill
    needed_for: list[SolutionKind]
    holders: list[Holder] = field(default_factory=list)
    estimate: Decimal | None = None

    @property
    def available(self) -> Decimal | None:
        days = [h.days for h in self.holders if h.days is not None]
        return sum(days, Decimal(0)) if days else None

    @property
    def status(self) -> str:
        """ "gap" (nobody on the team), "short" (fewer days than estimated), "ok" or "unknown"."""
        if not self.holders:
            return "gap"
        if self.estimate is None or self.available is None:
            return "unknown"
        return "short" if self.estimate > self.available else "ok"


def option_skills(option: SolutionOption) -> list[SkillNeed]:
    """The skills the guide's Step 4 table says the option needs, against the team and its day budgets.

    A team member covers a skill when their role is one the skills file names for
    it. Their days are those planned on the project; when none are planned, the
    guide's top of range for the role (people/data/roles.yaml) stands in, marked.
    """
    kinds = [k for k in solution_kinds() if k.key in option.kinds]
    estimates = {e.skill_key: e.days for e in option.estimates.all()}
    roles = role_definitions()
    team = list(option.project.roles.select_related("user").order_by("user__full_name"))
    needs: list[SkillNeed] = []
    for skill in selection_guide.skills():
        needed_for = [k for k in kinds if skill.key in k.needs]
        if not needed_for:
            continue
        need = SkillNeed(skill=skill, needed_for=needed_for, estimate=estimates.get(skill.key))
        for pr in team:
            if pr.role not in skill.covered_by or pr.role not in roles:
                continue
            guide_days = roles[pr.role].days
            days = pr.planned_days if pr.planned_days is not None else (Decimal(guide_days[1]) if guide_days else None)
            need.holders.append(
                Holder(pr.user.get_full_name(), roles[pr.role].name, days, pr.planned_days is None and bool(guide_days))
            )
        needs.append(need)
    return needs


def team_people(project: Project) -> Any:
    """The people on the project's team (for choosing a research lead)."""
    from community_insights.portal.people.models import User

    return User.objects.filter(is_active=True, project_roles__project=project).distinct().order_by("full_name")


# --------------------------------------------------------------------------- Part 2, Step 3: final checks


@dataclass
class FinalChecks:
    """Where one output version stands with its final checks: the last run, and the latest answer to each question."""

    version: Any
    run: FinalCheckRun | None
    answers: list[tuple[final_checks.Question, FinalCheckAnswer | None]]

    @property
    def automatic_passed(self) -> bool:
        return self.run is not None and self.run.status == FinalCheckRun.Status.SUCCEEDED and self.run.passed

    @property
    def answered_yes(self) -> bool:
        return all(a is not None and a.answer == FinalCheckAnswer.Answer.YES for _, a in self.answers)

    @property
    def passed(self) -> bool:
        return self.version.status == "approved" and self.automatic_passed and self.answered_yes


def final_checks_of(version: Any) -> FinalChecks:
    run = FinalCheckRun.objects.filter(version=version).order_by("-created_at", "-pk").first()
    latest: dict[str, FinalCheckAnswer] = {}
    for answer in FinalCheckAnswer.objects.filter(version=version).select_related("answered_by"):
        latest.setdefault(answer.key, answer)  # newest first (the model's ordering)
    return FinalChecks(version, run, [(q, latest.get(q.key)) for q in final_checks.QUESTIONS])


def final_checks_passed(version: Any) -> bool:
    """Whether ``version`` may be shared more widely: approved, its last automatic run passed, every answer yes.

    Phase 4 asks this before publishing; a newer run that failed, or a newer "no", takes the pass away.
    """
    return final_checks_of(version).passed


def final_check_versions(project: Project) -> list[FinalChecks]:
    """The latest built version of each of the project's outputs, with its final checks."""
    from community_insights.portal.outputs.models import OutputVersion

    built = ("awaiting_sign_off", "approved", "rejected")
    rows = []
    for output in project.outputs.order_by("title"):
        version = OutputVersion.objects.filter(output=output, status__in=built).order_by("-number").first()
        if version is not None:
            rows.append(final_checks_of(version))
    return rows


def final_check_version_get(*, project: Project, version_id: int) -> Any:
    from community_insights.portal.outputs.models import OutputVersion

    version = OutputVersion.objects.filter(output__project=project, pk=version_id).select_related("output").first()
    if version is None:
        raise Http404("No such output version.")
    return version


def reasons_to_stay_in_phase_three(project: Project) -> list[str]:
    """Why the project cannot move to Phase 4 yet: what it will share has not all passed its final checks.

    What the team will share is every output information rights approved for
    sharing (its latest approved version); drafts never approved do not hold
    the project back. With nothing approved, there is nothing to share yet.
    """
    from community_insights.portal.outputs.models import OutputVersion

    approved = OutputVersion.objects.filter(output__project=project, status="approved").select_related("output")
    latest: dict[int, Any] = {}
    for version in approved.order_by("output_id", "-number"):
        latest.setdefault(version.output_id, version)
    if not latest:
        return ["No output has been approved for sharing yet, so there is nothing to share in Phase 4."]
    waiting = sorted(v.title for v in latest.values() if not final_checks_passed(v))
    if waiting:
        names = ", ".join(f"“{t}”" for t in waiting)
        return [f"These outputs have not passed their final checks yet: {names} (see Develop and test, Final checks)."]
    return []


# --------------------------------------------------------------------------- Part 2, Steps 1 and 2: testing


def workshops(project: Project) -> list[Any]:
    from community_insights.portal.solutions.models import TestingWorkshop

    return list(TestingWorkshop.objects.filter(project=project).prefetch_related("versions", "feedback"))


def workshop_get(*, project: Project, pk: int) -> Any:
    from community_insights.portal.solutions.models import TestingWorkshop

    workshop = TestingWorkshop.objects.filter(project=project, pk=pk).first()
    if workshop is None:
        raise Http404("No such workshop.")
    return workshop


def feedback_get(*, project: Project, pk: int) -> Any:
    from community_insights.portal.solutions.models import WorkshopFeedback

    item = WorkshopFeedback.objects.filter(workshop__project=project, pk=pk).select_related("version").first()
    if item is None:
        raise Http404("No such feedback.")
    return item


def showable_versions(project: Project) -> Any:
    """Built versions of the project's outputs (what a testing workshop can show)."""
    from community_insights.portal.outputs.models import OutputVersion

    return OutputVersion.objects.filter(
        output__project=project, status__in=("awaiting_sign_off", "approved", "rejected")
    ).order_by("output__title", "-number")


def newer_versions(item: Any) -> Any:
    """The versions of the same output built after the one the feedback is about (what can close it)."""
    from community_insights.portal.outputs.models import OutputVersion

    return OutputVersion.objects.filter(output_id=item.version.output_id, number__gt=item.version.number).order_by(
        "number"
    )


def similar_work_get(*, project: Project, pk: int) -> SimilarWork:
    work = SimilarWork.objects.filter(project=project, pk=pk).first()
    if work is None:
        raise Http404("No such similar work.")
    return work
