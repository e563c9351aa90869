"""Email reminders for office hours starting within the next day (run hourly from cron).

Example: ``insights manage send_office_hours_reminders``.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from community_insights.portal.ideas.services import booking_send_due_reminders


class Command(BaseCommand):
    help = "Email reminders for office hours starting within the next 24 hours (each booking once)."

    def handle(self, *args: Any, **options: Any) -> None:
        sent = booking_send_due_reminders()
        self.stdout.write(f"Sent {sent} reminder{'s' if sent != 1 else ''}.")
