"""Rows of the sharing area for the permission matrix and the page tests (services are tested on their own)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from tests.portal.access import World


def in_phase_four(w: World) -> Any:
    w.project.phase = 4
    w.project.save(update_fields=["phase"])
    return w.project


def make_insight(w: World, *, slug: str = "what-we-learned") -> Any:
    """A published overview (no figures, so no files) of ``w.project``."""
    from community_insights.portal.sharing.models import PublishedInsight

    in_phase_four(w)
    return PublishedInsight.objects.create(
        project=w.project, kind=PublishedInsight.Kind.OVERVIEW, slug=slug, title="What we learned",
        question=w.project.question, findings="Families struggle most in the winter months.",
        caveats="An overview: not for planning services.", method="Interviews and workshops.",
        data_sources="Food bank visits (Northmoor Food Partnership).",
        team=[{"organisation": "Northmoor Borough Council", "roles": "Delivery lead"}],
        published_at=timezone.now(), published_by=w.user("facilitator"),
    )  # fmt: skip


def make_version(w: World) -> Any:
    """An approved output version of ``w.project`` (rows only: the page shows its words and gate)."""
    from community_insights.portal.outputs.models import Output, OutputVersion

    output = Output.objects.create(project=w.project, kind=Output.Kind.TABLE, title="Visits by ward")
    return OutputVersion.objects.create(
        output=output, number=1, title=output.title, build_settings={"by": ["ward"], "statistic": "count"},
        status=OutputVersion.Status.APPROVED,
    )  # fmt: skip


def make_blog_post(w: World) -> Any:
    """A draft by the VCS member lead (VCS) and the delivery lead (council)."""
    from community_insights.portal.sharing.models import BlogAuthor, BlogPost

    post = BlogPost.objects.create(
        project=w.project, title="What we learned together", summary="A VCS and council view.",
        body="We learned a lot.", created_by=w.user("vcs_member_lead"),
    )  # fmt: skip
    for persona in ("vcs_member_lead", "delivery_lead"):
        BlogAuthor.objects.create(post=post, user=w.user(persona))
    return post


def make_plenary(w: World) -> Any:
    from community_insights.portal.sharing.models import Plenary

    start = timezone.now() + timedelta(days=14)
    return Plenary.objects.create(
        project=w.project, title="Sharing what we found", starts_at=start, ends_at=start + timedelta(hours=2),
        place="Civic Centre, Room 2", agenda="Welcome\nWhat we found\nWhat next", created_by=w.user("facilitator"),
    )  # fmt: skip
