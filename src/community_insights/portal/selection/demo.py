"""Demo data for evaluation and selection: a panel, and one candidate ready to score.

Builds on the ideas demo ("Families falling behind on rent"): the idea becomes
ready for evaluation, the facilitator writes the summary and two panel members
score it. Safe to run again.
"""

from __future__ import annotations

from typing import Any

from community_insights.portal.ideas import services as ideas_services
from community_insights.portal.ideas.models import Idea
from community_insights.portal.selection import guide, services
from community_insights.portal.selection.models import Evaluation, PanelMember, Score


def load(context: Any) -> None:
    staff = context.staff
    for key in ("delivery_lead", "communities"):
        user = context.users.get(key)
        if user is not None and not PanelMember.objects.filter(user=user).exists():
            services.panel_member_add(actor=staff, user=user)
    idea = context.extra.get("ideas", {}).get("arrears")
    if idea is None:
        return
    idea.refresh_from_db()
    if idea.status == Idea.Status.IN_SCOPING:
        ideas_services.idea_change_status(actor=staff, idea=idea, status=Idea.Status.READY_FOR_EVALUATION)
    project = idea.project
    if project is None:
        return
    if not Evaluation.objects.filter(project=project).exists():
        services.evaluation_save(
            actor=staff,
            project=project,
            existing_work="The council's tenancy sustainment team tracks evictions; nobody looks at early arrears.",
            data_safety_findings=(
                "Case records hold names, addresses and income details: special care needed. Share postcode "
                "sectors and months only; a sharing agreement between the advice centre and the council is needed."
            ),
            skills_notes="We need someone who can extract cases from the advice centre's case management system.",
            risks="Landlords' data is out of reach; the answer may depend on a benefit policy change.",
            share=True,
        )
    for key, value in (("delivery_lead", 4), ("communities", 3)):
        user = context.users.get(key)
        if user is not None and not Score.objects.filter(project=project, panel_member=user).exists():
            services.scores_save(actor=user, project=project, scores={c.key: (value, "") for c in guide.criteria()})
