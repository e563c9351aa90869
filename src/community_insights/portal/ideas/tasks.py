"""Background work of the ideas area."""

from __future__ import annotations

from django_tasks import task

from community_insights.portal.ideas import services


@task()
def send_office_hours_reminders_task() -> int:
    """Email reminders for office hours in the next day; schedule it hourly (cron or a worker)."""
    return services.booking_send_due_reminders()
