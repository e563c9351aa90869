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


def may_download_export(user: Any, export: Any) -> bool:
    """Staff may download an export, unless it holds a raw dataset they could not download themselves."""
    if not can_export_programme(user):
        return False
    if not export.raw_datasets:
        return True
    from community_insights.portal.datasets.models import Dataset

    datasets = list(Dataset.objects.filter(pk__in=export.raw_datasets).select_related("project"))
    return len(datasets) == len(export.raw_datasets) and all(may_include_raw(user, d) for d in datasets)


rules.add_perm("export.export_programme", can_export_programme)
