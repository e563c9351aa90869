"""Send the daily or weekly digest emails (run from cron or a systemd timer).

Example: ``insights manage send_digests daily`` every morning, and
``insights manage send_digests weekly`` on Monday mornings. Running it twice in
the same day or week sends nothing twice.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from community_insights.portal.core.digests import digests_send
from community_insights.portal.core.notification_kinds import DIGEST_FREQUENCIES


class Command(BaseCommand):
    help = "Email each person one digest of the notifications held for them (daily or weekly)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("frequency", choices=DIGEST_FREQUENCIES, help="Which digest to send: daily or weekly.")

    def handle(self, *args: Any, **options: Any) -> None:
        sent = digests_send(frequency=options["frequency"])
        self.stdout.write(f"Sent {sent} {options['frequency']} digest{'s' if sent != 1 else ''}.")
