"""Output disclosure control: tables, charts and maps that never reveal a small group.

Public names (the main ones are re-exported by :mod:`community_insights.safety`):

* :func:`protect_table` — frequency or magnitude table with margins, primary
  and secondary suppression (or rounding / labelled perturbation), ``[c]``
  marks and metadata; returns a :class:`ProtectedTable`.
* :func:`write_protected_table` — CSV / XLSX / JSON, atomically.
* :func:`aggregate_to_areas` — counts by geography with small areas merged.
* :func:`check_indicator_output` — refuse person-level rankings and flags.
* :func:`protect_figures` and :func:`figure_text` — single headline counts
  (a programme page's figures), each protected like a one-cell table.
* :func:`format_figure` and ``TOTAL_LABEL`` — how a published figure and a
  margin read, so a screen shows the same text as the file.
"""

from community_insights.safety.disclosure.figures import figure_text, protect_figures
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
    format_figure,
    protect_table,
)
from community_insights.safety.disclosure.rules import DisclosureRules
from community_insights.safety.disclosure.tables import TOTAL_LABEL, DisclosureError
from community_insights.safety.disclosure.writing import write_protected_table

__all__ = [
    "CONFIDENTIAL",
    "TOTAL_LABEL",
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
    "figure_text",
    "format_figure",
    "merge_small_areas",
    "protect_figures",
    "protect_table",
    "write_protected_table",
]
