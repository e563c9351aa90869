"""Who may open each page of the export area (see tests/portal/access.py): programme staff only."""

from __future__ import annotations

from typing import Any

from tests.portal.access import LOGIN, STAFF_ONLY, Case, World, expect


def queued_export(w: World) -> dict[str, Any]:
    from community_insights.portal.export.models import ProgrammeExport
    from community_insights.portal.programme.services import programme_ensure

    export = ProgrammeExport.objects.create(programme=programme_ensure(), requested_by=w.user("staff"))
    return {"export_id": export.pk}


HIDDEN = expect(LOGIN, default=404, staff=200)

CASES = [
    Case("export:export_list", expect=STAFF_ONLY),
    Case("export:export_list", method="post", data=lambda w: {}, expect=expect(LOGIN, default=403, staff=302)),
    Case("export:export_detail", kwargs=queued_export, expect=HIDDEN),
    Case("export:export_download", kwargs=queued_export, method="post", expect=expect(LOGIN, default=404, staff=302)),
    Case("export:export_delete", kwargs=queued_export, method="post", expect=expect(LOGIN, default=404, staff=302)),
]
