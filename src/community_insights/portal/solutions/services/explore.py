"""Part 1 of Phase 3, explore solutions: every write (house style: permission, validate, save, audit, notify on commit).

Research notes are the one place residents' own words enter the portal. The raw
notes are sealed with the datasets area's key before they touch the database;
themes and quotes are stored only after the engine's redaction; audit entries
keep counts, never text.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from community_insights.portal.core import audit
from community_insights.portal.core.exceptions import ApplicationError, require
from community_insights.portal.core.notifications import Message, notify
from community_insights.portal.datasets.encryption import DecryptionError, open_bytes, seal_bytes
from community_insights.portal.ideas.services import absolute_url
from community_insights.portal.projects.models import Project
from community_insights.portal.solutions import permissions, selectors
from community_insights.portal.solutions.models import (
    ChosenOption,
    OptionScore,
    OptionSketch,
    ParticipantConsent,
    ResearchPlan,
    ResearchSession,
    SimilarWork,
    SkillEstimate,
    SolutionOption,
)
from community_insights.portal.solutions.redaction import redact
from community_insights.portal.solutions.sketches import MAX_BYTES as MAX_PICTURE_BYTES
from community_insights.portal.solutions.sketches import clean_picture

MAX_DAYS = Decimal(365)
_LOGGERS = "Only the research lead, the facilitator or the delivery lead can"


def _require_phase(project: Project) -> None:
    if project.phase < permissions.PHASE:
        raise ApplicationError("This project is not in Phase 3 (Develop and test) yet: it starts once selected.")


def _required(**texts: str) -> dict[str, str]:
    """The texts stripped; the first empty one is an error on its field."""
    cleaned = {name: (value or "").strip() for name, value in texts.items()}
    for name, value in cleaned.items():
        if not value:
            raise ApplicationError(f"Enter the {name.replace('_', ' ')}.", field=name)
    return cleaned


def _team_emails(project: Project) -> list[str]:
    return sorted({r.user.email for r in project.roles.select_related("user") if r.user.is_active})


@transaction.atomic
def similar_work_add(
    *, actor: Any, project: Project, title: str, organisation: str, url: str = "", notes: str = "", reusable: str = ""
) -> SimilarWork:
    """Step 1: comparable work by another council or organisation, and what the team can reuse."""
    require(permissions.can_contribute(actor, project), "Only the core team can add to this phase.")
    _require_phase(project)
    texts = _required(title=title, organisation=organisation)
    work = SimilarWork(project=project, url=url.strip(), notes=notes.strip(), reusable=reusable.strip(), **texts)
    work.added_by = actor
    work.full_clean()
    work.save()
    audit.record(actor=actor, action="solutions.similar_work_add", target=work, changes={"has_link": bool(work.url)})
    return work


@transaction.atomic
def research_plan_save(
    *,
    actor: Any,
    project: Project,
    participants: str,
    how_many: int,
    format: str,
    consent_wording: str,
    questions: str,
    research_lead: Any = None,
) -> ResearchPlan:
    """Step 2: who, how many, 1-1 or group, the consent wording and the questions; and who leads it."""
    require(
        permissions.can_run_phase(actor, project), "Only the facilitator or the delivery lead can plan the research."
    )
    _require_phase(project)
    texts = _required(participants=participants, consent_wording=consent_wording, questions=questions)
    if format not in ResearchPlan.Format.values:
        raise ApplicationError("Choose 1-1 interviews, group interviews or both.", field="format")
    if not 1 <= int(how_many) <= 500:
        raise ApplicationError("Enter how many people, from 1 to 500.", field="how_many")
    if research_lead is not None and not project.roles.filter(user=research_lead).exists():
        raise ApplicationError("The research lead must be on the project's team.", field="research_lead")
    plan, created = ResearchPlan.objects.get_or_create(
        project=project, defaults={"how_many": how_many, "format": format, **texts}
    )
    for name, value in {**texts, "how_many": int(how_many), "format": format}.items():
        setattr(plan, name, value)
    plan.research_lead, plan.updated_by = research_lead, actor
    plan.full_clean()
    plan.save()
    audit.record(
        actor=actor,
        action="solutions.research_plan_save",
        target=plan,
        changes={"created": created, "how_many": plan.how_many, "format": format, "lead": plan.research_lead_id},
    )
    return plan


@transaction.atomic
def research_session_log(
    *,
    actor: Any,
    project: Project,
    held_on: date,
    format: str,
    participant_count: int,
    notes: str,
    themes: str,
    quotes: str = "",
) -> ResearchSession:
    """Log a session: raw notes sealed, themes and quotes redacted by the engine before they are stored."""
    require(permissions.can_log_research(actor, project), _LOGGERS + " log sessions.")
    _require_phase(project)
    if not ResearchPlan.objects.filter(project=project).exists():
        raise ApplicationError("Write the research plan before logging sessions.")
    _required(notes=notes, themes=themes)
    if format not in ResearchPlan.Format.values[:2]:
        raise ApplicationError("Choose a 1-1 interview or a group.", field="format")
    if not 1 <= int(participant_count) <= 100:
        raise ApplicationError("Enter how many took part, from 1 to 100.", field="participant_count")
    if held_on > timezone.localdate():
        raise ApplicationError("The date the session was held must be today or in the past.", field="held_on")
    safe_themes, safe_quotes = redact(themes.strip()), redact(quotes.strip())
    session = ResearchSession.objects.create(
        project=project,
        held_on=held_on,
        format=format,
        participant_count=int(participant_count),
        notes_sealed=seal_bytes(notes.strip().encode("utf-8")),
        themes=safe_themes.text,
        quotes=safe_quotes.text,
        redactions=safe_themes.removed + safe_quotes.removed,
        logged_by=actor,
    )
    audit.record(
        actor=actor,
        action="solutions.research_session_log",
        target=session,
        changes={"participants": session.participant_count, "redactions": session.redactions},
    )
    return session


@transaction.atomic
def research_notes_open(*, actor: Any, session: ResearchSession) -> str:
    """The raw notes, for the research lead and the information rights expert only; every opening is audited."""
    require(
        permissions.can_read_raw_notes(actor, session.project),
        "Only the research lead and the information rights expert can read raw notes.",
    )
    try:
        notes = open_bytes(bytes(session.notes_sealed)).decode("utf-8")
    except DecryptionError:
        raise ApplicationError(
            "These notes cannot be opened: they were sealed with another key, or changed since."
        ) from None
    audit.record(actor=actor, action="solutions.research_notes_open", target=session)
    return notes


@transaction.atomic
def consent_record(*, actor: Any, session: ResearchSession, given: Iterable[int]) -> list[ParticipantConsent]:
    """Consent per participant, by number: the plan's wording was read and they agreed (or not)."""
    require(
        permissions.can_log_research(actor, session.project),
        _LOGGERS + " record consent.",
    )
    numbers = {int(n) for n in given}
    if not numbers <= set(range(1, session.participant_count + 1)):
        raise ApplicationError("Choose participants of this session.", field="given")
    rows = []
    for number in range(1, session.participant_count + 1):
        row, _ = ParticipantConsent.objects.update_or_create(
            session=session, number=number, defaults={"given": number in numbers, "recorded_by": actor}
        )
        rows.append(row)
    audit.record(
        actor=actor,
        action="solutions.consent_record",
        target=session,
        changes={"given": len(numbers), "not_given": session.participant_count - len(numbers)},
    )
    return rows


@transaction.atomic
def option_add(
    *,
    actor: Any,
    project: Project,
    title: str,
    audience: str,
    narrative: str,
    action: str,
    datasets_used: str,
    gaps: str = "",
    caveats: str = "",
    kinds: Iterable[str] = (),
) -> SolutionOption:
    """Step 3: one option from the workshop, with the kinds of solution it is (the guide's Step 4 table)."""
    require(permissions.can_contribute(actor, project), "Only the core team can add to this phase.")
    _require_phase(project)
    texts = _required(title=title, audience=audience, narrative=narrative, action=action, datasets_used=datasets_used)
    chosen = list(dict.fromkeys(kinds))
    if not set(chosen) <= {k.key for k in selectors.solution_kinds()}:
        raise ApplicationError("Choose kinds of solution from the list.", field="kinds")
    option = SolutionOption(
        project=project, gaps=gaps.strip(), caveats=caveats.strip(), kinds=chosen, added_by=actor, **texts
    )
    option.full_clean()
    option.save()
    audit.record(actor=actor, action="solutions.option_add", target=option, changes={"kinds": chosen})
    return option


@transaction.atomic
def estimates_save(*, actor: Any, option: SolutionOption, days: Mapping[str, Decimal | None]) -> list[SkillEstimate]:
    """Step 4: the days the option needs of each skill it needs (blank clears an estimate)."""
    require(permissions.can_contribute(actor, option.project), "Only the core team can estimate days.")
    needed = {n.skill.key for n in selectors.option_skills(option)}
    saved = []
    for key, value in days.items():
        if key not in needed:
            raise ApplicationError("Estimate only the skills this option needs.")
        if value is None:
            SkillEstimate.objects.filter(option=option, skill_key=key).delete()
            continue
        if not Decimal(0) < value <= MAX_DAYS:
            raise ApplicationError("Days must be more than 0 and at most 365.", field=f"days_{key}")
        estimate, _ = SkillEstimate.objects.update_or_create(option=option, skill_key=key, defaults={"days": value})
        saved.append(estimate)
    audit.record(
        actor=actor,
        action="solutions.estimates_save",
        target=option,
        changes={e.skill_key: str(e.days) for e in saved},
    )
    return saved


@transaction.atomic
def option_score(*, actor: Any, option: SolutionOption, score: int, comment: str = "") -> OptionScore:
    """One core-team member's score for an option; scoring again replaces it, until an option is chosen."""
    require(permissions.can_score_option(actor, option.project), "Only the core team can score options.")
    if ChosenOption.objects.filter(project=option.project).exists():
        raise ApplicationError("An option has been chosen; scores can no longer change.")
    if not 1 <= int(score) <= 5:
        raise ApplicationError("Scores go from 1 to 5.", field="score")
    row, _ = OptionScore.objects.update_or_create(
        option=option, voter=actor, defaults={"score": int(score), "comment": comment.strip()}
    )
    audit.record(actor=actor, action="solutions.option_score", target=option, changes={"score": int(score)})
    return row


@transaction.atomic
def option_choose(
    *, actor: Any, project: Project, option: SolutionOption, reasons: str, base_url: str | None = None
) -> ChosenOption:
    """Record the option the core team takes forward, with reasons, and tell the team."""
    require(
        permissions.can_run_phase(actor, project), "Only the facilitator or the delivery lead can record the choice."
    )
    _require_phase(project)
    if option.project_id != project.pk:
        raise ApplicationError("Choose one of this project's options.", field="option")
    texts = _required(reasons=reasons)
    if ChosenOption.objects.filter(project=project).exists():
        raise ApplicationError("An option has already been chosen for this project.")
    chosen = ChosenOption.objects.create(project=project, option=option, reasons=texts["reasons"], chosen_by=actor)
    audit.record(actor=actor, action="solutions.option_choose", target=chosen, changes={"option": option.pk})
    notify(
        Message(
            to=_team_emails(project),
            subject=f"Solution chosen for {project.title}: {option.title}",
            template="solutions/emails/option_chosen",
            context={
                "project": project,
                "option": option,
                "reasons": chosen.reasons,
                "url": absolute_url(reverse("solutions:options", args=[project.slug]), base_url),
            },
        )
    )
    return chosen


@transaction.atomic
def sketch_save(
    *, actor: Any, option: SolutionOption, image: Any = None, alt_text: str = "", output: Any = None
) -> OptionSketch:
    """Step 3: a sketch of the option, an uploaded picture (with what it shows) or one of the project's outputs."""
    require(permissions.can_contribute(actor, option.project), "Only the core team can add sketches.")
    if (image is None) == (output is None):
        raise ApplicationError("Upload a picture or choose an output, not both.", field="image")
    if output is not None and output.project_id != option.project_id:
        raise ApplicationError("Choose one of this project's outputs.", field="output")
    fields: dict[str, Any] = {"output": output, "image_sealed": b"", "size_bytes": 0, "sha256": "", "alt_text": ""}
    if image is not None:
        if not alt_text.strip():
            raise ApplicationError("Say what the picture shows, for people who cannot see it.", field="alt_text")
        png = clean_picture(image.read(MAX_PICTURE_BYTES + 1))
        fields |= {
            "image_sealed": seal_bytes(png), "size_bytes": len(png), "sha256": hashlib.sha256(png).hexdigest(),
            "alt_text": alt_text.strip(),
        }  # fmt: skip
    sketch, created = OptionSketch.objects.update_or_create(option=option, defaults={**fields, "added_by": actor})
    audit.record(
        actor=actor,
        action="solutions.sketch_save",
        target=option,
        changes={"picture": image is not None, "output": output.pk if output else None, "replaced": not created},
    )
    return sketch


def sketch_picture(*, actor: Any, option: SolutionOption) -> bytes:
    """The sketch's picture (PNG) for someone who may see the project."""
    require(permissions.can_view_phase(actor, option.project), "Only the project's team can see its sketches.")
    sketch = OptionSketch.objects.filter(option=option).first()
    if sketch is None or not sketch.has_image:
        raise ApplicationError("This option has no sketch picture.")
    return open_bytes(bytes(sketch.image_sealed))
