"""Publishing an insight, withdrawing it (a public notice stays) and publishing it again.

Why the gate is asked here and not only on the page: publishing puts figures
in front of everyone, so the version must be approved by information rights,
the project's DPIA and sharing agreements must allow it (governance), and the
final checks of Phase 3 must have passed, at the moment of publishing. Each
step is one audit entry; nothing is deleted, so the record shows what was
public and when.
"""

from __future__ import annotations

import re
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from community_insights.portal.core import audit
from community_insights.portal.core.exceptions import ApplicationError, require
from community_insights.portal.outputs import services as output_services
from community_insights.portal.outputs.models import OutputVersion
from community_insights.portal.projects.models import Project
from community_insights.portal.sharing import permissions, selectors
from community_insights.portal.sharing.models import PublishedInsight

_DIGIT = re.compile(r"\d")


def _unique_slug(title: str) -> str:
    base = slugify(title)[:180] or "insight"
    slug, n = base, 2
    while PublishedInsight.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def _words(**fields: str) -> dict[str, str]:
    """The page's words, trimmed; each must be there (the public page has a heading for each)."""
    cleaned = {name: (value or "").strip() for name, value in fields.items()}
    for name, value in cleaned.items():
        if not value:
            raise ApplicationError(f"Enter the {name.replace('_', ' ')}.", field=name)
    return cleaned


def _hub_fields(topic: str, areas: str) -> dict[str, str]:
    """The topic (one of the fixed list, or not given) and areas the UK-wide hub filters on."""
    if topic and topic not in PublishedInsight.Topic.values:
        raise ApplicationError("Choose a topic from the list, or leave it as not given.", field="topic")
    return {"topic": topic, "areas": (areas or "").strip()}


@transaction.atomic
def insight_publish(
    *,
    actor: Any,
    version: OutputVersion,
    title: str,
    findings: str,
    caveats: str,
    method: str,
    data_sources: str,
    topic: str = "",
    areas: str = "",
) -> PublishedInsight:
    """Publish an approved, final-checked output version as a public insight page."""
    project = version.output.project
    require(permissions.can_publish(actor, project), "Only the project's facilitator or delivery lead can publish.")
    problems = selectors.publish_problems(version)
    if problems:
        raise ApplicationError("This version cannot be published yet: " + " ".join(problems))
    if PublishedInsight.objects.filter(version=version).exists():
        raise ApplicationError("This version is already published; withdraw or publish it again from its page.")
    words = _words(title=title, findings=findings, caveats=caveats, method=method, data_sources=data_sources)
    insight = PublishedInsight(
        project=project,
        kind=PublishedInsight.Kind.INSIGHT,
        version=version,
        slug=_unique_slug(words["title"]),
        question=project.question,
        team=selectors.team_of(project),
        published_at=timezone.now(),
        published_by=actor,
        **_hub_fields(topic, areas),
        **words,
    )
    insight.full_clean()
    insight.save()
    audit.record(
        actor=actor,
        action="sharing.insight_publish",
        target=insight,
        project_id=project.pk,
        changes={"kind": insight.kind, "output_version": version.pk, "version": version.number},
    )
    return insight


@transaction.atomic
def overview_publish(
    *,
    actor: Any,
    project: Project,
    title: str,
    findings: str,
    caveats: str,
    method: str,
    data_sources: str,
    topic: str = "",
    areas: str = "",
) -> PublishedInsight:
    """Publish a high-level overview of the problem and process, where the guide allows it: words, no numbers.

    The guide: "Publish insights, or if not applicable, share the process or high-level overview
    of the problem addressed". With no approved output behind it, an overview may not carry a
    figure, so any digit in its words is refused.
    """
    require(permissions.can_publish(actor, project), "Only the project's facilitator or delivery lead can publish.")
    problems = selectors.overview_problems(project)
    if problems:
        raise ApplicationError("This overview cannot be published yet: " + " ".join(problems))
    words = _words(title=title, findings=findings, caveats=caveats, method=method, data_sources=data_sources)
    for name, value in words.items():
        if _DIGIT.search(value):
            raise ApplicationError(
                "An overview gives no numbers: write them out of the words, or publish an approved output instead.",
                field=name,
            )
    insight = PublishedInsight(
        project=project,
        kind=PublishedInsight.Kind.OVERVIEW,
        slug=_unique_slug(words["title"]),
        question=project.question,
        team=selectors.team_of(project),
        published_at=timezone.now(),
        published_by=actor,
        **_hub_fields(topic, areas),
        **words,
    )
    insight.full_clean()
    insight.save()
    audit.record(
        actor=actor, action="sharing.insight_publish", target=insight, project_id=project.pk,
        changes={"kind": insight.kind},
    )  # fmt: skip
    return insight


@transaction.atomic
def insight_withdraw(*, actor: Any, insight: PublishedInsight, notice: str) -> PublishedInsight:
    """Take an insight off the landing page and the feed; its address keeps a public notice saying why."""
    require(permissions.can_withdraw(actor, insight.project), "Only the people who run the project can withdraw it.")
    if not insight.is_published:
        raise ApplicationError("This insight is already withdrawn.")
    if not notice.strip():
        raise ApplicationError("Say why it was withdrawn: the notice is shown in its place.", field="notice")
    insight.status = PublishedInsight.Status.WITHDRAWN
    insight.withdrawn_at = timezone.now()
    insight.withdrawal_notice = notice.strip()
    insight.full_clean()
    insight.save(update_fields=["status", "withdrawn_at", "withdrawal_notice", "updated_at"])
    audit.record(actor=actor, action="sharing.insight_withdraw", target=insight, project_id=insight.project_id)
    return insight


@transaction.atomic
def insight_republish(*, actor: Any, insight: PublishedInsight) -> PublishedInsight:
    """Publish a withdrawn insight again, if what allowed it still holds (the gate is asked again)."""
    require(
        permissions.can_publish(actor, insight.project), "Only the project's facilitator or delivery lead can publish."
    )
    if insight.is_published:
        raise ApplicationError("This insight is already published.")
    problems = (
        selectors.publish_problems(insight.version)
        if insight.version is not None
        else selectors.overview_problems(insight.project)
    )
    if problems:
        raise ApplicationError("It cannot be published again yet: " + " ".join(problems))
    insight.status = PublishedInsight.Status.PUBLISHED
    insight.published_at = timezone.now()
    insight.withdrawn_at = None
    insight.withdrawal_notice = ""
    insight.save(update_fields=["status", "published_at", "withdrawn_at", "withdrawal_notice", "updated_at"])
    audit.record(actor=actor, action="sharing.insight_republish", target=insight, project_id=insight.project_id)
    return insight


def insight_download(*, insight: PublishedInsight, fmt: str) -> tuple[bytes, str]:
    """A published insight's file in one format, for anyone: the outputs area's approved file, audited."""
    if not insight.is_published or insight.version is None:
        raise ApplicationError("This insight has no files to download.")
    data, content_type, sha256 = output_services.approved_file(version=insight.version, fmt=fmt)
    with transaction.atomic():
        audit.record(
            actor="visitor (published insight)",
            action="sharing.insight_download",
            target=insight,
            project_id=insight.project_id,
            changes={"format": fmt, "sha256": sha256},
        )
    return data, content_type


def record_view(*, actor: Any, action: str, target: Any, project_id: int) -> None:
    """Record that someone looked at a published insight or a sharing page (every access to an output)."""
    with transaction.atomic():
        audit.record(actor=actor if getattr(actor, "is_authenticated", False) else "visitor", action=action,
                     target=target, project_id=project_id)  # fmt: skip
