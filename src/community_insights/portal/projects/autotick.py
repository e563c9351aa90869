"""Checklist items that tick themselves when the event that proves them happens.

After all of Phase 2 was done in the portal its checklist still read 0 of 11:
the work left audit entries, but nobody ticked the boxes. Each item below names
the audit actions (and, where it matters, the values of their ``changes``) that
prove it. When such an entry is written for a project, the item is ticked with
who did it and when, in a note that says the portal ticked it. Items no event
can prove (for example "Mobilised a core group of diverse partners") stay for a
person to tick by hand, with a note, as before; a person can also untick.

Phase 1 work belongs to the programme, not to one project (the landing page,
the news, office hours): its entries have no project, so they tick the item on
every project, including projects started later.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone


@dataclass(frozen=True)
class Proof:
    action: str
    when: dict[str, Any] = field(default_factory=dict)

    def matches(self, entry: Any) -> bool:
        changes = entry.changes or {}
        return entry.action == self.action and all(changes.get(k) == v for k, v in self.when.items())


PROOFS: dict[str, tuple[Proof, ...]] = {
    # Phase 1 (programme-wide)
    "core_team_identified": (Proof("projects.project_role_assign"),),
    "landing_page_created": (Proof("programme.programme_update"),),
    "creation_broadcast": (Proof("ideas.news_post_create"),),
    "office_hours_communicated": (Proof("ideas.slot_create"),),
    # Phase 2, Part 1: refine questions and scope data
    "needs_articulated": (Proof("ideas.agenda_note_save", {"done": True}),),
    "question_framed": (Proof("ideas.idea_shape", {"question_set": True}),),
    "data_considered": (Proof("ideas.data_need_add"),),
    # Phase 2, Part 2: evaluate
    "compliance_risks_investigated": (Proof("datasets.check_finish"),),
    "skills_identified": (Proof("selection.data_types_set"), Proof("selection.skill_cover_add")),
    "legal_considerations_known": (Proof("datasets.source_create"), Proof("datasets.source_update")),
    "work_mapped": (Proof("selection.evaluation_save"),),
    "feasibility_shared": (Proof("selection.evaluation_save", {"shared": True}),),
    # Phase 2, Part 3: select
    "project_prioritised": (Proof("selection.decision_record", {"outcome": "selected"}),),
    "team_set": (Proof("selection.next_step_set", {"item": "people_available", "done": True}),),
    "project_shared": (
        Proof("selection.decision_record", {"outcome": "selected", "public": True}),
        Proof("selection.next_step_set", {"item": "landing_page", "done": True}),
    ),
    # Phase 3, Part 1: explore solutions
    "datasets_known": (Proof("datasets.dataset_upload"), Proof("solutions.option_choose")),
    "feasibility_validated": (Proof("datasets.plan_approve"), Proof("solutions.estimates_save")),
    "representations_created": (Proof("solutions.sketch_save"), Proof("outputs.version_approve")),
    "qualitative_time": (Proof("solutions.research_plan_save"), Proof("solutions.research_session_log")),
    # Phase 3, Part 2: test and refine
    "usefulness_understood": (Proof("solutions.feedback_record"),),
    "pivot_mechanism": (Proof("solutions.workshop_schedule"),),
    # Phase 4: after (an insight on the public landing page is one delivered to the wider community)
    "insights_delivered": (Proof("sharing.insight_publish"),),
}
PROGRAMME_WIDE = ("landing_page_created", "creation_broadcast", "office_hours_communicated")
PROJECT_STARTS = ("projects.project_create", "ideas.candidate_project_create")


def items_proved_by(entry: Any) -> list[str]:
    return [key for key, proofs in PROOFS.items() if any(p.matches(entry) for p in proofs)]


def on_audit_entry(sender: Any, instance: Any, created: bool, **kwargs: Any) -> None:
    """Signal receiver (post_save of AuditEntry): tick what the new entry proves."""
    if not created or instance.action == "projects.checklist_item_tick":
        return
    from community_insights.portal.projects.models import Project

    keys = items_proved_by(instance)
    if instance.project_id is not None:
        project = Project.objects.filter(pk=instance.project_id).first()
        if project is not None:
            _tick_all(project, [(key, instance) for key in keys if key not in PROGRAMME_WIDE])
            if instance.action in PROJECT_STARTS:
                _backfill_programme_wide(project)
    elif any(key in PROGRAMME_WIDE for key in keys):
        for project in Project.objects.all():
            _tick_all(project, [(key, instance) for key in keys if key in PROGRAMME_WIDE])


def _backfill_programme_wide(project: Any) -> None:
    from community_insights.portal.core.models import AuditEntry

    actions = {p.action for key in PROGRAMME_WIDE for p in PROOFS[key]}
    proofs: list[tuple[str, Any]] = []
    for entry in AuditEntry.objects.filter(action__in=actions, project_id__isnull=True).order_by("at"):
        proofs += [(key, entry) for key in items_proved_by(entry) if key in PROGRAMME_WIDE]
    _tick_all(project, proofs)


def _tick_all(project: Any, proofs: list[tuple[str, Any]]) -> None:
    from community_insights.portal.core import audit
    from community_insights.portal.projects.models import ChecklistTick

    done = set(ChecklistTick.objects.filter(project=project).values_list("item_key", flat=True))
    for key, entry in proofs:
        if key in done:
            continue
        done.add(key)
        with transaction.atomic():
            tick = ChecklistTick.objects.create(project=project, item_key=key, ticked_by=entry.actor, note=note(entry))
            audit.record(
                actor="the portal",
                action="projects.checklist_item_tick",
                target=tick,
                project_id=project.pk,
                changes={"item": key, "automatic": True, "proved_by": entry.action, "proof": entry.pk},
            )


def note(entry: Any) -> str:
    """The note of an automatic tick: what happened, who did it and when."""
    from community_insights.portal.core.audit import ACTIONS
    from community_insights.portal.core.wording import clock

    who = entry.actor.get_full_name() if entry.actor is not None else (entry.actor_label or "someone")
    when = timezone.localtime(entry.at)
    what = ACTIONS.get(entry.action, entry.action)
    return f"Ticked by the portal: {what} ({who}, {when.day} {when:%B %Y} at {clock(when)})."
