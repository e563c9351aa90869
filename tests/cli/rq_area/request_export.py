"""Ask for a complete export as programme staff would, through the export area's service; print its id.

Run as ``python -m tests.cli.rq_area.request_export`` with the worker test's
settings; the service queues the job on Redis when the transaction commits.
"""

from __future__ import annotations

import django


def main() -> None:
    django.setup()
    from community_insights.portal.export.services import export_request
    from community_insights.portal.people.services import admin_create

    staff = admin_create(email="staff@council.example", password="a-long-and-unusual-passphrase", full_name="Sam Staff")
    print(export_request(actor=staff).pk)


if __name__ == "__main__":
    main()
