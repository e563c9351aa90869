"""Who may export the programme's whole record: programme staff, who already see every project.

Raw datasets follow the data area's own rule (``datasets.download_raw``: the
project's analysts from the organisation that owns the data), checked per
dataset for the person who asked, so an export never opens a door the portal
keeps shut.
"""

from __future__ import annotations

from typing import Any

import rules

from community_insights.portal.core.permissions import is_programme_staff
from community_insights.portal.datasets.permissions import can_download_raw

can_export_programme = is_programme_staff


def may_include_raw(user: Any, dataset: Any) -> bool:
    return bool(can_download_raw(user, dataset))


rules.add_perm("export.export_programme", can_export_programme)
