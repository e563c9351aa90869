"""The co-written blog post: a VCS and a council author from the core team, both approve, then it is news."""

from __future__ import annotations

from typing import Any

import feedparser
import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from community_insights.portal.core.exceptions import ApplicationError, NotPermitted
from community_insights.portal.core.models import AuditEntry
from community_insights.portal.ideas.models import NewsPost
from community_insights.portal.sharing import services
from community_insights.portal.sharing.models import BlogPost
from tests.portal.access import World

pytestmark = pytest.mark.django_db


def _write(world: World, writer: str = "vcs_member_lead", co_authors: tuple[str, ...] = ("delivery_lead",)) -> BlogPost:
    return services.blog_post_create(
        actor=world.user(writer), project=world.project, title="Food, shifts and opening hours",
        summary="What a food partnership and the council learned together.", body="We learned a lot.",
        co_authors=[world.user(p) for p in co_authors],
    )  # fmt: skip


def test_authors_come_from_the_vcs_and_the_council_on_the_core_team(world: World) -> None:
    with pytest.raises(ApplicationError, match="one from the council") as refused:
        _write(world, co_authors=("advisory_panel",))  # both VCS
    assert refused.value.field == "co_authors"
    with pytest.raises(ApplicationError, match="core team"):
        _write(world, co_authors=("information_rights",))  # council, but not on the core team
    with pytest.raises(NotPermitted):
        _write(world, writer="contracts_legal")
    post = _write(world)
    assert sorted(a.user.email for a in post.authors.all()) == [
        "delivery.lead@example.org",
        "vcs.member.lead@example.org",
    ]


def test_it_is_published_to_the_news_feed_once_every_author_approved_the_same_words(
    world: World, client: Client, committed: Any
) -> None:
    with committed():
        post = _write(world)
    assert [m.to for m in mail.outbox] == [["delivery.lead@example.org"]]
    services.blog_post_approve(actor=world.user("vcs_member_lead"), post=post)
    with pytest.raises(NotPermitted):
        services.blog_post_approve(actor=world.user("facilitator"), post=post)
    with pytest.raises(ApplicationError, match="already approved"):
        services.blog_post_approve(actor=world.user("vcs_member_lead"), post=post)

    services.blog_post_update(
        actor=world.user("delivery_lead"), post=post, title=post.title, summary=post.summary, body="New words."
    )
    assert not post.authors.filter(approved_at__isnull=False).exists()  # the change clears the approval
    services.blog_post_approve(actor=world.user("delivery_lead"), post=post)
    post.refresh_from_db()
    assert post.status == BlogPost.Status.DRAFT and not NewsPost.objects.exists()

    services.blog_post_approve(actor=world.user("vcs_member_lead"), post=post)
    post.refresh_from_db()
    assert post.status == BlogPost.Status.PUBLISHED and post.news_post is not None
    assert "Vcs Member Lead and Delivery Lead" in post.news_post.body
    entries = feedparser.parse(client.get(reverse("ideas:news_feed")).content).entries
    assert [e.title for e in entries] == [post.title]
    actions = set(AuditEntry.objects.filter(project_id=world.project.pk).values_list("action", flat=True))
    assert {"sharing.blog_post_create", "sharing.blog_post_approve", "sharing.blog_post_publish"} <= actions
    with pytest.raises(ApplicationError, match="already published"):
        services.blog_post_update(actor=world.user("delivery_lead"), post=post, title="x", summary="x", body="x")


def test_two_authors_approve_through_the_pages(world: World) -> None:
    post = _write(world)
    for persona in ("vcs_member_lead", "delivery_lead"):
        author = Client()
        author.force_login(world.user(persona))
        page = author.get(reverse("sharing:blog_post_detail", args=[post.pk])).content.decode()
        assert "Approve the post" in page
        author.post(reverse("sharing:blog_post_approve", args=[post.pk]))
    post.refresh_from_db()
    assert post.status == BlogPost.Status.PUBLISHED


def _published(world: World) -> BlogPost:
    post = _write(world)
    for persona in ("vcs_member_lead", "delivery_lead"):
        services.blog_post_approve(actor=world.user(persona), post=post)
    post.refresh_from_db()
    return post


def test_withdrawing_a_post_takes_it_out_of_the_news_and_its_feed(world: World, client: Client, committed: Any) -> None:
    post = _published(world)
    news_url = reverse("ideas:news_detail", args=[post.news_post.slug])
    assert client.get(news_url).status_code == 200
    with pytest.raises(NotPermitted):
        services.blog_post_withdraw(actor=world.user("data_analyst"), post=post, reason="Not mine to take down.")
    with pytest.raises(ApplicationError, match="Say why") as refused:
        services.blog_post_withdraw(actor=world.user("vcs_member_lead"), post=post, reason="  ")
    assert refused.value.field == "reason"
    mail.outbox.clear()
    with committed():
        services.blog_post_withdraw(actor=world.user("vcs_member_lead"), post=post, reason="The figures changed.")
    post.refresh_from_db()
    assert post.status == BlogPost.Status.WITHDRAWN and post.withdrawal_reason == "The figures changed."
    assert client.get(news_url).status_code == 404
    assert feedparser.parse(client.get(reverse("ideas:news_feed")).content).entries == []
    assert post.title not in client.get(reverse("ideas:news_list")).content.decode()
    entry = AuditEntry.objects.get(action="sharing.blog_post_withdraw")
    assert entry.actor == world.user("vcs_member_lead") and entry.project_id == world.project.pk
    assert [m.to for m in mail.outbox] == [["delivery.lead@example.org"]]  # the other author is told
    with pytest.raises(ApplicationError, match="Only a published post"):
        services.blog_post_withdraw(actor=world.user("facilitator"), post=post, reason="Again.")


def test_the_facilitator_withdraws_a_post_through_its_page(world: World) -> None:
    post = _published(world)
    facilitator = Client()
    facilitator.force_login(world.user("facilitator"))
    page = facilitator.get(reverse("sharing:blog_post_detail", args=[post.pk])).content.decode()
    assert reverse("sharing:blog_post_withdraw", args=[post.pk]) in page
    empty = facilitator.post(reverse("sharing:blog_post_withdraw", args=[post.pk]), {"reason": ""})
    assert "govuk-error-summary" in empty.content.decode()
    facilitator.post(reverse("sharing:blog_post_withdraw", args=[post.pk]), {"reason": "Out of date."})
    page = facilitator.get(reverse("sharing:blog_post_detail", args=[post.pk])).content.decode()
    assert "Withdrawn from the news on" in page and "Out of date." in page
    assert reverse("sharing:blog_post_withdraw", args=[post.pk]) not in page
