"""Phase 1, Step 2 of the guide, "Spread the word": news posts and the interest leads they bring.

Each service checks permission, validates, saves, records one audit entry in the same transaction
and queues its emails on commit. Audit entries never carry what people typed, only ids and statuses.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from community_insights.portal.core import audit
from community_insights.portal.core.notifications import Message, notify
from community_insights.portal.ideas import permissions, spam
from community_insights.portal.ideas.models import InterestLead, NewsPost
from community_insights.portal.ideas.services.common import (
    absolute_url,
    facilitator_emails,
    require,
    submission_admit,
    unique_slug,
)


@transaction.atomic
def news_post_create(*, actor: Any, title: str, summary: str, body: str, publish: bool) -> NewsPost:
    require(permissions.can_manage_programme_news(actor))
    post = NewsPost(
        title=title.strip(),
        slug=unique_slug(NewsPost, title),
        summary=summary.strip(),
        body=body.strip(),
        author=actor,
        published_at=timezone.now() if publish else None,
    )
    post.full_clean()
    post.save()
    audit.record(actor=actor, action="ideas.news_post_create", target=post, changes={"published": publish})
    return post


@transaction.atomic
def news_post_update(*, actor: Any, post: NewsPost, title: str, summary: str, body: str, publish: bool) -> NewsPost:
    require(permissions.can_manage_programme_news(actor))
    was_published = post.is_published
    post.title, post.summary, post.body = title.strip(), summary.strip(), body.strip()
    if publish and not was_published:
        post.published_at = timezone.now()
    elif not publish:
        post.published_at = None
    post.full_clean()
    post.save(update_fields=["title", "summary", "body", "published_at", "updated_at"])
    audit.record(actor=actor, action="ideas.news_post_update", target=post, changes={"published": publish})
    return post


def news_post_from_area(*, title: str, summary: str, body: str, author: Any) -> NewsPost:
    """A news post another area publishes once its own rule allowed it: a co-written blog post of Phase 4.

    No permission check here: the calling service (``sharing.services.blog_post_approve``) is the gate
    (every author approved the same words) and writes the audit entry, inside its own transaction.
    """
    post = NewsPost(
        title=title.strip(),
        slug=unique_slug(NewsPost, title),
        summary=summary.strip(),
        body=body.strip(),
        author=author,
        published_at=timezone.now(),
    )
    post.full_clean()
    post.save()
    return post


def news_post_withdraw_from_area(*, post: NewsPost) -> NewsPost:
    """Take a news post another area published out of the news and its feed (a withdrawn blog post).

    As with ``news_post_from_area``, the calling service is the gate and writes the audit entry.
    """
    post.published_at = None
    post.save(update_fields=["published_at", "updated_at"])
    return post


@transaction.atomic
def lead_create(
    *,
    name: str,
    organisation_name: str,
    email: str,
    interest: str,
    wants_office_hours: bool,
    base_url: str | None = None,
    sender: str | None = None,
) -> InterestLead:
    """A VCS organisation asked to take part: a lead for the facilitator, and a thank-you.

    ``sender`` (the form's ``spam.client_hash``) counts against the hourly limit of the public form.
    """
    submission_admit(
        form_name=spam.INTEREST_FORM,
        sender=sender,
        refusal="You have sent this form several times in the last hour. Try again later.",
    )
    lead = InterestLead(
        name=name.strip(),
        organisation_name=organisation_name.strip(),
        email=email.strip().lower(),
        interest=interest.strip(),
        wants_office_hours=wants_office_hours,
    )
    lead.full_clean()
    lead.save()
    audit.record(
        actor="visitor (interest form)",
        action="ideas.lead_create",
        target=lead,
        changes={"wants_office_hours": wants_office_hours},
    )
    notify(
        Message(
            to=facilitator_emails(),
            subject=f"New interest in Community Insights from {lead.organisation_name}",
            template="ideas/emails/lead_for_facilitator",
            context={"lead": lead, "url": absolute_url(reverse("ideas:lead_detail", args=[lead.pk]), base_url)},
        )
    )
    notify(
        Message(
            to=[lead.email],
            subject="Thank you for your interest in Community Insights",
            template="ideas/emails/lead_thanks",
            context={"lead": lead, "office_hours_url": absolute_url(reverse("ideas:office_hours"), base_url)},
        )
    )
    return lead


@transaction.atomic
def lead_update(*, actor: Any, lead: InterestLead, status: str, notes: str) -> InterestLead:
    require(permissions.can_manage_leads(actor))
    old = lead.status
    lead.status, lead.notes = status, notes.strip()
    lead.full_clean()
    lead.save(update_fields=["status", "notes", "updated_at"])
    audit.record(actor=actor, action="ideas.lead_update", target=lead, changes={"status": [old, status]})
    return lead
