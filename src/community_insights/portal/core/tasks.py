"""Background work of the core area: the daily and weekly digests."""

from __future__ import annotations

from django_tasks import task

from community_insights.portal.core import digests


@task()
def send_digests_task(frequency: str) -> int:
    """Send this period's digests (``daily`` or ``weekly``); schedule it once a day and once a week."""
    return digests.digests_send(frequency=frequency)
