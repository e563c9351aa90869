"""Helpers every service of the ideas app shares: links in emails, who hears, the permission gate."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify

from community_insights.portal.core.exceptions import ApplicationError
from community_insights.portal.core.exceptions import require as core_require
from community_insights.portal.core.notifications import absolute_link
from community_insights.portal.ideas import spam
from community_insights.portal.ideas.models import SubmissionThrottle


def absolute_url(path: str, base_url: str | None = None) -> str:
    """A link for an email: the request's own address, or ``INSIGHTS_BASE_URL`` when there is none.

    Made by ``core.notifications.absolute_link``, so it names its programme like every link an email carries.
    """
    return absolute_link(path, base_url)


def facilitator_emails() -> list[str]:
    """Where programme enquiries go: the programme's contact address, else every facilitator."""
    from community_insights.portal.people.models import User
    from community_insights.portal.programme.selectors import programme_get

    contact = programme_get().contact_email
    if contact:
        return [contact]
    from community_insights.portal.programme.current import current_programme_id

    programme_id = current_programme_id()
    users = User.objects.filter(is_active=True).filter(
        Q(programme_memberships__programme_id=programme_id, programme_memberships__role="staff")
        | Q(project_roles__role="facilitator", project_roles__project__programme_id=programme_id)
    )
    return sorted({u.email for u in users})


def require(allowed: bool, message: str = "You do not have permission to do that.") -> None:
    """Refuse with a 403 unless the named rule allowed it (the view checked too; this is the real gate)."""
    core_require(allowed, message)


def unique_slug(model: Any, text: str) -> str:
    """A slug from ``text`` no other row of ``model`` uses, so links stay stable and readable."""
    base = slugify(text)[:180] or "item"
    slug, n = base, 2
    while model.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def submission_admit(*, form_name: str, sender: str | None, refusal: str) -> None:
    """Count one submission of a public form, or refuse it with ``refusal`` when the sender is over the limit.

    A write, so it lives with the services and runs inside the caller's transaction: a submission
    refused later in the same service is not counted. ``sender`` is the keyed hash of the address
    (``spam.client_hash``), never the address; ``None`` (demo data, tests of the service alone) skips it.
    """
    if sender is None:
        return
    if spam.submissions_in_last_hour(form_name=form_name, sender=sender) >= spam.RATE_LIMIT_PER_HOUR:
        raise ApplicationError(refusal)
    SubmissionThrottle.objects.filter(at__lt=timezone.now() - timedelta(days=1)).delete()  # keep a day, no more
    SubmissionThrottle.objects.create(form=form_name, client_hash=sender)
