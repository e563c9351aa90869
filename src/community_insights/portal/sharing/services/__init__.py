"""Every write of the sharing area, one module per part of the guide's Phase 4, Step 1.

- ``publishing``: publish an insight (or an overview), withdraw it with a notice, publish it again;
- ``blog``: the co-written blog post and its authors' approvals;
- ``plenary``: the plenary, its invitations (.ics) and the public registrations of interest.
"""

from community_insights.portal.sharing.services.blog import (
    blog_post_approve,
    blog_post_create,
    blog_post_update,
    blog_post_withdraw,
)
from community_insights.portal.sharing.services.plenary import (
    REGISTRATION_FORM,
    interest_register,
    plenary_create,
    plenary_invitation_ics,
    plenary_invite,
    plenary_update,
)
from community_insights.portal.sharing.services.publishing import (
    insight_download,
    insight_publish,
    insight_republish,
    insight_withdraw,
    overview_publish,
    record_view,
)

__all__ = [
    "REGISTRATION_FORM",
    "blog_post_approve",
    "blog_post_create",
    "blog_post_update",
    "blog_post_withdraw",
    "insight_download",
    "insight_publish",
    "insight_republish",
    "insight_withdraw",
    "interest_register",
    "overview_publish",
    "plenary_create",
    "plenary_invitation_ics",
    "plenary_invite",
    "plenary_update",
    "record_view",
]
