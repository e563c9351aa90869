"""The sharing area's audit vocabulary: publishing, withdrawing, every public view and download of an insight."""

from __future__ import annotations

from community_insights.portal.core.audit import declare

declare(
    **{
        "sharing.insight_publish": "Published an insight",
        "sharing.insight_withdraw": "Withdrew a published insight (a notice stays)",
        "sharing.insight_republish": "Published a withdrawn insight again",
        "sharing.insight_view": "Viewed a published insight",
        "sharing.insight_download": "Downloaded a published insight's file",
        "sharing.blog_post_create": "Started a co-written blog post",
        "sharing.blog_post_update": "Changed a co-written blog post (approvals cleared)",
        "sharing.blog_post_approve": "Approved a co-written blog post",
        "sharing.blog_post_publish": "Published a co-written blog post to the news",
        "sharing.blog_post_withdraw": "Withdrew a co-written blog post from the news",
        "sharing.plenary_create": "Planned a plenary session",
        "sharing.plenary_update": "Changed a plenary session (the invited were sent the new details)",
        "sharing.plenary_invite": "Invited someone to a plenary session",
        "sharing.interest_register": "An organisation registered interest in using insights",
        "sharing.page_view": "Viewed a project's sharing page",
    }
)
