"""Changing and removing what Part 1 recorded: similar work, solution options and research sessions.

Why removing a session deletes it outright: its sealed notes are residents'
own words, and a team that logged the wrong session (or a participant who
withdraws) must be able to make them gone, not hidden. Audit entries keep
what happened and to which record, never the words.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction

from community_insights.portal.core import audit
from community_insights.portal.core.exceptions import ApplicationError, require
from community_insights.portal.solutions import permissions, selectors
from community_insights.portal.solutions.models import ChosenOption, ResearchSession, SimilarWork, SolutionOption
from community_insights.portal.solutions.services.explore import _required

_CORE = "Only the core team can change this phase's records."


@transaction.atomic
def similar_work_edit(
    *, actor: Any, work: SimilarWork, title: str, organisation: str, url: str = "", notes: str = "", reusable: str = ""
) -> SimilarWork:
    require(permissions.can_contribute(actor, work.project), _CORE)
    texts = _required(title=title, organisation=organisation)
    before = {"title": work.title, "organisation": work.organisation, "url": work.url}
    work.title, work.organisation = texts["title"], texts["organisation"]
    work.url, work.notes, work.reusable = url.strip(), notes.strip(), reusable.strip()
    work.full_clean()
    work.save()
    changed = [name for name, old in before.items() if getattr(work, name) != old]
    audit.record(actor=actor, action="solutions.similar_work_edit", target=work, changes={"fields": changed})
    return work


@transaction.atomic
def similar_work_remove(*, actor: Any, work: SimilarWork) -> None:
    require(permissions.can_contribute(actor, work.project), _CORE)
    audit.record(actor=actor, action="solutions.similar_work_remove", target=work, project_id=work.project_id)
    work.delete()


@transaction.atomic
def option_edit(
    *,
    actor: Any,
    option: SolutionOption,
    title: str,
    audience: str,
    narrative: str,
    action: str,
    datasets_used: str,
    gaps: str = "",
    caveats: str = "",
    kinds: Iterable[str] = (),
) -> SolutionOption:
    """Change an option's words or kinds; estimates for skills it no longer needs are dropped with them."""
    require(permissions.can_contribute(actor, option.project), _CORE)
    texts = _required(title=title, audience=audience, narrative=narrative, action=action, datasets_used=datasets_used)
    chosen = list(dict.fromkeys(kinds))
    if not set(chosen) <= {k.key for k in selectors.solution_kinds()}:
        raise ApplicationError("Choose kinds of solution from the list.", field="kinds")
    for name, value in {**texts, "gaps": gaps.strip(), "caveats": caveats.strip(), "kinds": chosen}.items():
        setattr(option, name, value)
    option.full_clean()
    option.save()
    needed = {n.skill.key for n in selectors.option_skills(option)}
    dropped, _ = option.estimates.exclude(skill_key__in=needed).delete()
    audit.record(
        actor=actor,
        action="solutions.option_edit",
        target=option,
        changes={"kinds": chosen, "estimates_dropped": dropped},
    )
    return option


@transaction.atomic
def option_remove(*, actor: Any, option: SolutionOption) -> None:
    """Remove an option with its scores, estimates and sketch; never the option the team chose."""
    require(permissions.can_contribute(actor, option.project), _CORE)
    if ChosenOption.objects.filter(option=option).exists():
        raise ApplicationError("This is the option the team chose to take forward, so it cannot be removed.")
    audit.record(
        actor=actor,
        action="solutions.option_remove",
        target=option,
        project_id=option.project_id,
        changes={"scores": option.scores.count()},
    )
    option.delete()


@transaction.atomic
def session_remove(*, actor: Any, session: ResearchSession) -> None:
    """Delete a session, its sealed notes and its consent records (a wrong entry, or a participant withdrew)."""
    require(
        permissions.can_log_research(actor, session.project),
        "Only the research lead, the facilitator or the delivery lead can remove sessions.",
    )
    audit.record(
        actor=actor,
        action="solutions.research_session_remove",
        target=session,
        project_id=session.project_id,
        changes={"participants": session.participant_count},
    )
    session.delete()
