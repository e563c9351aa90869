"""The data safety engine: find personal data, make safe copies, publish safe tables.

This is the public API. The command line, the portal and notebooks import
only the names in ``__all__`` (and those of the documented subpackages
``safety.remedies`` and ``safety.disclosure``); every other module is internal
and may change. The disclosure and risk defaults (``DEFAULT_THRESHOLD`` and
friends) are defined once, in ``safety.defaults``, and exported here.
The engine never imports Django.

Names are resolved lazily (PEP 562): ``import community_insights.safety`` is
cheap, and heavy parts (spaCy for free text, openpyxl for spreadsheets) load
only when a function that needs them is first used.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from community_insights.safety.defaults import (
    DEFAULT_HOUSEHOLD_THRESHOLD,
    DEFAULT_NK_K,
    DEFAULT_NK_N,
    DEFAULT_P_PERCENT,
    DEFAULT_ROUNDING_BASE,
    DEFAULT_THRESHOLD,
    ROUNDING_BASES,
    SMALLEST_GROUP_SIZE,
)
from community_insights.safety.errors import InputError, KeyFileError, PlanError, SafetyError
from community_insights.safety.types import (
    MEASURES,
    Action,
    CheckOptions,
    CheckReport,
    CheckSummary,
    ColumnFinding,
    ColumnKind,
    CombinationRisk,
    DiversityFinding,
    DiversityMeasures,
    Evidence,
    GeneralisationStep,
    MosaicFinding,
    PiiType,
    SmallArea,
    SmallAreasFinding,
    SourceInfo,
    Span,
    Verdict,
    to_jsonable,
)

if TYPE_CHECKING:  # pragma: no cover - for type checkers and editors only
    from community_insights.safety.check import check_dataset as check_dataset
    from community_insights.safety.check import exit_code as exit_code
    from community_insights.safety.readers import Table as Table
    from community_insights.safety.readers import open_table as open_table
    from community_insights.safety.readers import write_table as write_table

# public name → module that defines it (imported on first use)
_LAZY: dict[str, str] = {
    # the data safety check
    "check_dataset": "community_insights.safety.check",
    "exit_code": "community_insights.safety.check",
    "Table": "community_insights.safety.readers",
    "open_table": "community_insights.safety.readers",
    "write_table": "community_insights.safety.readers",
    "sheet_names": "community_insights.safety.readers",
    "classify_column": "community_insights.safety.classify",
    "mask_value": "community_insights.safety.masking",
    "load_households": "community_insights.safety.areas",
    "sample_households_path": "community_insights.safety.areas",
    "assess_mosaic": "community_insights.safety.mosaic",
    "MosaicCounter": "community_insights.safety.mosaic",
    "records_share": "community_insights.safety.combinations",
    "render_report": "community_insights.safety.report",
    "render_html": "community_insights.safety.report",
    "render_json": "community_insights.safety.report",
    "render_markdown": "community_insights.safety.report",
    "write_text_atomic": "community_insights.safety.report",
    "atomic_path": "community_insights.safety.files",
    # the backend seam: who counts the whole table
    "Backend": "community_insights.safety.backend",
    "PolarsBackend": "community_insights.safety.backend",
    "SparkBackend": "community_insights.safety.spark_backend",  # pyspark loads only when one is made
    "refuse_overwrite": "community_insights.safety.files",
    "escape_formula": "community_insights.safety.formulas",
    "escape_frame": "community_insights.safety.formulas",
    "escape_row": "community_insights.safety.formulas",
    # value detectors and free text
    "is_nhs_number": "community_insights.safety.detectors",
    "is_ni_number": "community_insights.safety.detectors",
    "normalise_ni_number": "community_insights.safety.detectors",
    "normalise_postcode": "community_insights.safety.detectors",
    "postcode_sector": "community_insights.safety.detectors",
    "postcode_district": "community_insights.safety.detectors",
    "is_uk_phone": "community_insights.safety.detectors",
    "is_email": "community_insights.safety.detectors",
    "parse_uk_date": "community_insights.safety.detectors",
    "value_matches": "community_insights.safety.detectors",
    "person_name_share": "community_insights.safety.detectors",
    "special_category_values": "community_insights.safety.detectors",
    "find_spans": "community_insights.safety.text",
    "redact_text": "community_insights.safety.text",
    # remedies
    "plan_dataset": "community_insights.safety.remedies",
    "plan_from_check": "community_insights.safety.remedies",
    "redact_dataset": "community_insights.safety.remedies",
    "keygen": "community_insights.safety.remedies",
    "load_key": "community_insights.safety.remedies",
    "key_id": "community_insights.safety.remedies",
    "RemedyPlan": "community_insights.safety.remedies",
    "ColumnRule": "community_insights.safety.remedies",
    "load_plan": "community_insights.safety.remedies",
    "loads_plan": "community_insights.safety.remedies",
    "dumps_plan": "community_insights.safety.remedies",
    "KEY_BYTES": "community_insights.safety.remedies",
    "save_plan": "community_insights.safety.remedies",
    "validate_plan": "community_insights.safety.remedies",
    "RedactReport": "community_insights.safety.remedies",
    "Pseudonymiser": "community_insights.safety.remedies",
    # disclosure control
    "protect_table": "community_insights.safety.disclosure",
    "write_protected_table": "community_insights.safety.disclosure",
    "ProtectedTable": "community_insights.safety.disclosure",
    "DisclosureRules": "community_insights.safety.disclosure",
    "DisclosureError": "community_insights.safety.disclosure",
    "CONFIDENTIAL": "community_insights.safety.disclosure",
    "aggregate_to_areas": "community_insights.safety.disclosure",
    "merge_small_areas": "community_insights.safety.disclosure",
    "AreaTable": "community_insights.safety.disclosure",
    "AreaCount": "community_insights.safety.disclosure",
    "check_indicator_output": "community_insights.safety.disclosure",
    "PermittedUse": "community_insights.safety.disclosure",
    "IndicatorRefused": "community_insights.safety.disclosure",
    "IndicatorDecision": "community_insights.safety.disclosure",
    "IndicatorAuditRecord": "community_insights.safety.disclosure",
    "HiddenCell": "community_insights.safety.disclosure",
    "PublishedCell": "community_insights.safety.disclosure",
    "TableMetadata": "community_insights.safety.disclosure",
    # outputs: charts and maps drawn only from protected figures
    "make_chart": "community_insights.safety.outputs",
    "chart_figures": "community_insights.safety.outputs",
    "FiguresChart": "community_insights.safety.outputs",
    "make_map": "community_insights.safety.outputs",
    "load_boundaries": "community_insights.safety.outputs",
    "output_rules": "community_insights.safety.outputs",
    "preset_names": "community_insights.safety.outputs",
    "OutputRules": "community_insights.safety.outputs",
    "Chart": "community_insights.safety.outputs",
    "AreaMap": "community_insights.safety.outputs",
    "sample_boundaries_path": "community_insights.safety.outputs",
    "check_output_path": "community_insights.safety.outputs",
    "mark_hidden_cells": "community_insights.safety.outputs",
}

__all__ = [
    "CONFIDENTIAL",
    "DEFAULT_HOUSEHOLD_THRESHOLD",
    "DEFAULT_NK_K",
    "DEFAULT_NK_N",
    "DEFAULT_P_PERCENT",
    "DEFAULT_ROUNDING_BASE",
    "DEFAULT_THRESHOLD",
    "KEY_BYTES",
    "MEASURES",
    "ROUNDING_BASES",
    "SMALLEST_GROUP_SIZE",
    "Action",
    "AreaCount",
    "AreaMap",
    "AreaTable",
    "Backend",
    "Chart",
    "CheckOptions",
    "CheckReport",
    "CheckSummary",
    "ColumnFinding",
    "ColumnKind",
    "ColumnRule",
    "CombinationRisk",
    "DisclosureError",
    "DisclosureRules",
    "DiversityFinding",
    "DiversityMeasures",
    "Evidence",
    "FiguresChart",
    "GeneralisationStep",
    "HiddenCell",
    "IndicatorAuditRecord",
    "IndicatorDecision",
    "IndicatorRefused",
    "InputError",
    "KeyFileError",
    "MosaicCounter",
    "MosaicFinding",
    "OutputRules",
    "PermittedUse",
    "PiiType",
    "PlanError",
    "PolarsBackend",
    "ProtectedTable",
    "Pseudonymiser",
    "PublishedCell",
    "RedactReport",
    "RemedyPlan",
    "SafetyError",
    "SmallArea",
    "SmallAreasFinding",
    "SourceInfo",
    "Span",
    "SparkBackend",
    "Table",
    "TableMetadata",
    "Verdict",
    "aggregate_to_areas",
    "assess_mosaic",
    "atomic_path",
    "chart_figures",
    "check_dataset",
    "check_indicator_output",
    "check_output_path",
    "classify_column",
    "dumps_plan",
    "escape_formula",
    "escape_frame",
    "escape_row",
    "exit_code",
    "find_spans",
    "is_email",
    "is_nhs_number",
    "is_ni_number",
    "is_uk_phone",
    "key_id",
    "keygen",
    "load_boundaries",
    "load_households",
    "load_key",
    "load_plan",
    "loads_plan",
    "make_chart",
    "make_map",
    "mark_hidden_cells",
    "mask_value",
    "merge_small_areas",
    "normalise_ni_number",
    "normalise_postcode",
    "open_table",
    "output_rules",
    "parse_uk_date",
    "person_name_share",
    "plan_dataset",
    "plan_from_check",
    "postcode_district",
    "postcode_sector",
    "preset_names",
    "protect_table",
    "records_share",
    "redact_dataset",
    "redact_text",
    "refuse_overwrite",
    "render_html",
    "render_json",
    "render_markdown",
    "render_report",
    "sample_boundaries_path",
    "sample_households_path",
    "save_plan",
    "sheet_names",
    "special_category_values",
    "to_jsonable",
    "validate_plan",
    "value_matches",
    "write_protected_table",
    "write_table",
    "write_text_atomic",
]


def __getattr__(name: str) -> Any:
    module_name = _LAZY.get(name)
    if module_name is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(module_name), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
