"""Who may open each URL of the sharing area (format: tests/portal/access.py).

Everyone sees published insights, their files, the feed, the plenary and the interest form;
the project's team sees the sharing page; the facilitator and delivery lead publish (programme
staff may also withdraw); the core team writes the blog post and only its authors change or
approve it.
"""

from __future__ import annotations

from typing import Any

from tests.portal.access import CORE_ROLES, LOGIN, MEMBERS, PUBLIC, Case, expect
from tests.portal.sharing.factories import make_blog_post, make_insight, make_plenary, make_version

RUN = {"facilitator": 200, "delivery_lead": 200}
PUBLISH = expect(LOGIN, default=403, outsider=404, **RUN)
WITHDRAW = expect(LOGIN, default=403, outsider=404, staff=200, **RUN)
PLAN = WITHDRAW
WRITE = expect(LOGIN, default=403, outsider=404, **{role: 200 for role in CORE_ROLES})
AUTHORS = expect(LOGIN, default=403, outsider=404, vcs_member_lead=200, delivery_lead=200)
# A published post may be withdrawn by its authors, the people who run the project and programme staff.
TAKE_DOWN = expect(LOGIN, default=403, outsider=404, staff=200, vcs_member_lead=200, **RUN)
TAKE_DOWN_POST = expect(
    LOGIN, default=403, outsider=404, staff=302, vcs_member_lead=302, facilitator=302, delivery_lead=302
)


def _insight(w: Any) -> dict[str, Any]:
    return {"slug": make_insight(w).slug}


def _project(w: Any) -> dict[str, Any]:
    make_insight(w)
    return {"slug": w.project.slug}


def _post(w: Any) -> dict[str, Any]:
    return {"post_id": make_blog_post(w).pk}


def _published_post(w: Any) -> dict[str, Any]:
    post = make_blog_post(w)
    post.status = "published"
    post.save(update_fields=["status"])
    return {"post_id": post.pk}


def _plenary_change(w: Any) -> dict[str, Any]:
    """A valid change of the plenary (a fortnight away, an hour later)."""
    from datetime import timedelta

    from django.utils import timezone

    day = (timezone.localtime() + timedelta(days=14)).date()
    return {
        "title": "Sharing what we found", "date_0": day.day, "date_1": day.month, "date_2": day.year,
        "start_time": "15:00", "end_time": "17:00", "place": "Civic Centre, Room 2", "link": "",
        "agenda": "Welcome\nWhat we found",
    }  # fmt: skip


def _plenary(w: Any) -> dict[str, Any]:
    make_insight(w)
    return {"plenary_id": make_plenary(w).pk}


CASES = [
    # The UK-wide hub: public, every programme's published insights and their feed (tests/portal/sharing/test_hub.py).
    Case("hub:hub", expect=PUBLIC),
    Case("hub:feed", expect=PUBLIC),
    Case("sharing:insight_list", expect=PUBLIC),
    Case("sharing:insight_feed", expect=PUBLIC),
    Case("sharing:insight_detail", kwargs=_insight, expect=PUBLIC),
    Case(
        "sharing:insight_download",
        kwargs=lambda w: {**_insight(w), "fmt": "csv"},
        expect=expect(302, default=302),
        note="an overview has no files: back to its page",
    ),
    Case("sharing:plenary_public", kwargs=_plenary, expect=PUBLIC),
    Case("sharing:interest_register", kwargs=_project, expect=PUBLIC),
    Case("sharing:interest_thanks", expect=PUBLIC),
    Case("sharing:project_sharing", kwargs=_project, expect=MEMBERS),
    Case(
        "sharing:insight_publish",
        kwargs=lambda w: {"slug": w.project.slug, "version_id": make_version(w).pk},
        expect=PUBLISH,
    ),
    Case("sharing:overview_publish", kwargs=_project, expect=PUBLISH),
    Case("sharing:insight_withdraw", kwargs=_insight, expect=WITHDRAW),
    Case(
        "sharing:insight_withdraw",
        kwargs=_insight,
        method="post",
        data=lambda w: {"notice": "Replaced by newer figures."},
        expect=expect(LOGIN, default=403, outsider=404, staff=302, facilitator=302, delivery_lead=302),
    ),
    Case(
        "sharing:insight_republish",
        kwargs=_insight,
        method="post",
        expect=expect(LOGIN, default=403, outsider=404, facilitator=302, delivery_lead=302),
    ),
    Case("sharing:blog_post_create", kwargs=_project, expect=WRITE),
    Case("sharing:blog_post_detail", kwargs=_post, expect=MEMBERS),
    Case("sharing:blog_post_edit", kwargs=_post, expect=AUTHORS),
    Case(
        "sharing:blog_post_edit",
        kwargs=_post,
        method="post",
        data=lambda w: {"title": "What we learned", "summary": "A VCS and council view.", "body": "New words."},
        expect=expect(LOGIN, default=403, outsider=404, vcs_member_lead=302, delivery_lead=302),
    ),
    Case(
        "sharing:blog_post_approve",
        kwargs=_post,
        method="post",
        expect=expect(LOGIN, default=403, outsider=404, vcs_member_lead=302, delivery_lead=302),
    ),
    Case("sharing:blog_post_withdraw", kwargs=_published_post, expect=TAKE_DOWN),
    Case(
        "sharing:blog_post_withdraw",
        kwargs=_published_post,
        method="post",
        data=lambda w: {"reason": "The figures in it were replaced."},
        expect=TAKE_DOWN_POST,
    ),
    Case("sharing:plenary_create", kwargs=_project, expect=PLAN),
    Case("sharing:plenary_edit", kwargs=_plenary, expect=PLAN),
    Case(
        "sharing:plenary_edit",
        kwargs=_plenary,
        method="post",
        data=_plenary_change,
        expect=expect(LOGIN, default=403, outsider=404, staff=302, facilitator=302, delivery_lead=302),
    ),
    Case("sharing:plenary_detail", kwargs=_plenary, expect=MEMBERS),
    Case("sharing:plenary_invite", kwargs=_plenary, expect=PLAN),
    Case(
        "sharing:plenary_invite",
        kwargs=_plenary,
        method="post",
        data=lambda w: {"name": "Amir Khan", "email": "amir@example.org"},
        expect=expect(LOGIN, default=403, outsider=404, staff=302, facilitator=302, delivery_lead=302),
    ),
]
