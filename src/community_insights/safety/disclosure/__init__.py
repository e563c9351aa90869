"""Output disclosure control: tables, charts and maps that never reveal a small group.

Public names (re-exported by :mod:`community_insights.safety` when the
check-core owner adds them there):

* :func:`protect_table` — frequency or magnitude table with margins, primary
  and secondary suppression (or rounding / labelled perturbation), ``[c]``
  marks and metadata; returns a :class:`ProtectedTable`.
* :func:`write_protected_table` — CSV / XLSX / JSON, atomically.
* :func:`aggregate_to_areas` — counts by geography with small areas merged.
* :func:`check_indicator_output` — refuse person-level rankings and flags.
"""

from community_insights.safety.disclosure.indicators import (
    IndicatorAuditRecord,
    IndicatorDecision,
    IndicatorRefused,
    PermittedUse,
    check_indicator_output,
)
from community_insights.safety.disclosure.maps import AreaCount, AreaTable, aggregate_to_areas, merge_small_areas
from community_insights.safety.disclosure.protect import (
    CONFIDENTIAL,
    HiddenCell,
    ProtectedTable,
    PublishedCell,
    TableMetadata,
    protect_table,
    write_protected_table,
)
from community_insights.safety.disclosure.rules import DisclosureRules
from community_insights.safety.disclosure.tables import DisclosureError

__all__ = [
    "CONFIDENTIAL",
    "AreaCount",
    "AreaTable",
    "DisclosureError",
    "DisclosureRules",
    "HiddenCell",
    "IndicatorAuditRecord",
    "IndicatorDecision",
    "IndicatorRefused",
    "PermittedUse",
    "ProtectedTable",
    "PublishedCell",
    "TableMetadata",
    "aggregate_to_areas",
    "check_indicator_output",
    "merge_small_areas",
    "protect_table",
    "write_protected_table",
]
