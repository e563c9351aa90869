"""What the evaluation summary brings in from earlier steps, so the facilitator does not retype it.

The guide's "Share evaluation" step collects what the scoping sessions and the
data safety check found. The summary used to show only what the facilitator
typed; it now also shows, read-only, the scoping sessions' notes, and for each
uploaded file the check's verdict and the remedies of its latest plan. The
datasets area is optional (looked up softly, as the inventory is), and nothing
here holds a raw value: verdicts, reasons, column names and actions only.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml
from django.apps import apps

from community_insights.portal.ideas.models import AgendaNote, Idea
from community_insights.portal.projects.models import Project


@dataclass(frozen=True)
class ScopingNote:
    session: str
    topic: str
    notes: str


@dataclass
class FileSafety:
    source: str
    title: str
    verdict: str
    reasons: list[str] = field(default_factory=list)
    plan: str = ""
    remedies: list[str] = field(default_factory=list)


def scoping_notes(idea: Idea | None) -> list[ScopingNote]:
    """The notes written in the idea's scoping sessions, by session and agenda topic."""
    if idea is None:
        return []
    from community_insights.portal.ideas import guide

    titles = {item.key: item.title for item in guide.agenda()}
    notes = (
        AgendaNote.objects.filter(session__idea=idea)
        .exclude(notes="")
        .select_related("session")
        .order_by("session__starts_at", "pk")
    )
    return [
        ScopingNote(session=f"{n.session.starts_at:%-d %B %Y}", topic=titles.get(n.item_key, n.item_key), notes=n.notes)
        for n in notes
    ]


def data_safety(project: Project) -> list[FileSafety] | None:
    """Each uploaded file's check verdict and its latest plan's remedies (None when the datasets area is absent)."""
    try:
        dataset_model = apps.get_model("datasets", "Dataset")
    except LookupError:
        return None
    rows = []
    for ds in dataset_model.objects.filter(source__project=project).select_related("source").order_by("pk"):
        check = ds.check_results.order_by("-pk").first()
        if check is None:
            continue
        summary = (check.report or {}).get("summary", {})
        row = FileSafety(
            source=ds.source.name,
            title=ds.title,
            verdict=str(summary.get("verdict") or check.verdict).replace("_", " "),
            reasons=[str(r) for r in summary.get("reasons", [])][:5],
        )
        plan = ds.plans.order_by("-number").first()
        if plan is not None:
            row.plan = f"version {plan.number} ({plan.get_status_display().lower()})"
            row.remedies = _remedies(plan.plan_yaml)
        rows.append(row)
    return rows


def _remedies(plan_yaml: str) -> list[str]:
    """'column: action' for every column the plan changes (kept columns are left out)."""
    try:
        from community_insights.portal.datasets.templatetags.datasets_tags import action_label
    except ImportError:  # pragma: no cover - the datasets area is optional

        def action_label(value: Any) -> str:
            return str(value).replace("_", " ")

    data = yaml.safe_load(plan_yaml) or {}
    return [
        f"{c.get('column')}: {action_label(c.get('action')).lower()}"
        for c in data.get("columns", [])
        if c.get("action") not in (None, "keep")
    ]
