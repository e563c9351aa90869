"""The co-written blog post: a VCS and a council member of the core team write it, every author approves it.

The guide: "Engage a VCS and council member of the core team to co-write a
blog post". Why every author approves the same words: the post speaks for
both sides of the partnership, so a change after one approval clears the
approvals and it goes round again. Once all have approved, it is published
to the programme's news (and so to the news feed).
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from community_insights.portal.core import audit
from community_insights.portal.core.exceptions import ApplicationError, require
from community_insights.portal.core.notifications import Message, notify
from community_insights.portal.ideas import services as news_services
from community_insights.portal.people.models import Organisation
from community_insights.portal.projects.models import Project
from community_insights.portal.projects.permissions import is_core_team_member
from community_insights.portal.sharing import permissions
from community_insights.portal.sharing.models import BlogAuthor, BlogPost

NEEDS_BOTH = (
    "A blog post needs at least one author from a VCS organisation and one from the council, both on the core team."
)


def _check_authors(project: Project, authors: list[Any]) -> None:
    """Every author on the core team; among them at least one from the VCS and one from the council."""
    if any(not is_core_team_member(user, project) for user in authors):
        raise ApplicationError("Every author must be on the project's core team.", field="co_authors")
    kinds = {getattr(user.organisation, "kind", None) for user in authors}
    if not {Organisation.Kind.VCS, Organisation.Kind.COUNCIL} <= kinds:
        raise ApplicationError(NEEDS_BOTH, field="co_authors")


def _words(title: str, summary: str, body: str) -> tuple[str, str, str]:
    words = (title.strip(), summary.strip(), body.strip())
    for name, value in zip(("title", "summary", "body"), words, strict=True):
        if not value:
            raise ApplicationError(f"Enter the {name}.", field=name)
    return words


@transaction.atomic
def blog_post_create(
    *, actor: Any, project: Project, title: str, summary: str, body: str, co_authors: list[Any]
) -> BlogPost:
    """Start a post: the writer and the co-authors they name are its authors; none has approved it yet."""
    require(permissions.can_write_blog(actor, project), "Only the project's core team can write its blog post.")
    authors = list(dict.fromkeys([actor, *co_authors]))
    _check_authors(project, authors)
    title, summary, body = _words(title, summary, body)
    post = BlogPost(project=project, title=title, summary=summary, body=body, created_by=actor)
    post.full_clean()
    post.save()
    for user in authors:
        BlogAuthor.objects.create(post=post, user=user)
    audit.record(
        actor=actor, action="sharing.blog_post_create", target=post, project_id=project.pk,
        changes={"authors": [u.pk for u in authors]},
    )  # fmt: skip
    others = [u.email for u in authors if u != actor]
    notify(
        Message(
            to=others,
            subject=f"You are a co-author of a blog post: {post.title}",
            template="sharing/emails/blog_co_author",
            context={"post": post, "writer": actor.get_full_name()},
        )
    )
    return post


@transaction.atomic
def blog_post_update(*, actor: Any, post: BlogPost, title: str, summary: str, body: str) -> BlogPost:
    """Change the words of a draft; every approval is cleared, because the authors approved other words."""
    require(permissions.is_blog_author(actor, post), "Only the post's authors can change it.")
    if post.status == BlogPost.Status.PUBLISHED:
        raise ApplicationError("This post is already published in the news.")
    post.title, post.summary, post.body = _words(title, summary, body)
    post.full_clean()
    post.save(update_fields=["title", "summary", "body", "updated_at"])
    cleared = post.authors.filter(approved_at__isnull=False).update(approved_at=None)
    audit.record(
        actor=actor, action="sharing.blog_post_update", target=post, project_id=post.project_id,
        changes={"approvals_cleared": cleared},
    )  # fmt: skip
    return post


@transaction.atomic
def blog_post_approve(*, actor: Any, post: BlogPost) -> BlogPost:
    """One author approves the post's words; when the last one does, it is published to the news."""
    require(permissions.is_blog_author(actor, post), "Only the post's authors can approve it.")
    if post.status == BlogPost.Status.PUBLISHED:
        raise ApplicationError("This post is already published in the news.")
    author = post.authors.get(user=actor)
    if author.approved_at is not None:
        raise ApplicationError("You have already approved this post.")
    author.approved_at = timezone.now()
    author.save(update_fields=["approved_at", "updated_at"])
    audit.record(actor=actor, action="sharing.blog_post_approve", target=post, project_id=post.project_id)
    if not post.authors.filter(approved_at__isnull=True).exists():
        _publish(actor, post)
    return post


@transaction.atomic
def blog_post_withdraw(*, actor: Any, post: BlogPost, reason: str) -> BlogPost:
    """Take a published post out of the news and its feed, with the reason on the record.

    Any author may, since the post speaks for each of them; so may the people who
    run the project and programme staff (as for a published insight: taking
    something down must not wait). The post stays for the team, marked withdrawn.
    """
    allowed = permissions.is_blog_author(actor, post) or permissions.can_withdraw(actor, post.project)
    require(allowed, "Only the post's authors, the people who run the project or programme staff can withdraw it.")
    if post.status != BlogPost.Status.PUBLISHED:
        raise ApplicationError("Only a published post can be withdrawn.")
    if not reason.strip():
        raise ApplicationError("Say why the post is being withdrawn.", field="reason")
    if post.news_post is not None:
        news_services.news_post_withdraw_from_area(post=post.news_post)
    post.status = BlogPost.Status.WITHDRAWN
    post.withdrawn_at = timezone.now()
    post.withdrawal_reason = reason.strip()
    post.save(update_fields=["status", "withdrawn_at", "withdrawal_reason", "updated_at"])
    audit.record(
        actor=actor, action="sharing.blog_post_withdraw", target=post, project_id=post.project_id,
        changes={"news_post": post.news_post_id},
    )  # fmt: skip
    others = [a.user.email for a in post.authors.select_related("user") if a.user != actor]
    notify(
        Message(
            to=others,
            subject=f"Blog post withdrawn from the news: {post.title}",
            template="sharing/emails/blog_withdrawn",
            context={"post": post, "by": actor.get_full_name()},
        )
    )
    return post


def _publish(actor: Any, post: BlogPost) -> None:
    """Every author approved: the post goes to the programme's news, checked once more for both sides."""
    authors = [a.user for a in post.authors.select_related("user__organisation")]
    _check_authors(post.project, authors)
    names = " and ".join(u.get_full_name() for u in authors)
    post.news_post = news_services.news_post_from_area(
        title=post.title, summary=post.summary, body=f"{post.body}\n\nWritten by {names}.", author=post.created_by
    )
    post.status = BlogPost.Status.PUBLISHED
    post.save(update_fields=["news_post", "status", "updated_at"])
    audit.record(
        actor=actor, action="sharing.blog_post_publish", target=post, project_id=post.project_id,
        changes={"news_post": post.news_post.pk},
    )  # fmt: skip
